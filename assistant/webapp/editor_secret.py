"""The key that signs editor sessions, kept across restarts so a restart does not log editors out.

From ASSISTANT_EDITOR_SECRET when set (several machines share it); otherwise from a file in the
data folder (`editor-secret` beside the feedback database, or ASSISTANT_EDITOR_SECRET_FILE), made
once with mode 0600 when it is missing. The key is never logged. Rotating it (a new setting, or
deleting the file and restarting) logs every editor out.
"""

from __future__ import annotations

import hashlib
import logging
import os
import secrets
from pathlib import Path

from assistant.settings import Settings

log = logging.getLogger("routewijzer.beheer")

FILE_NAME = "editor-secret"
MIN_CHARS = 32


class SecretError(ValueError):
    """The key file is unusable (too short); its content is never part of the message."""


def secret_path(settings: Settings) -> Path:
    """Where the key file lives: the setting, or the data folder of the feedback database."""
    return settings.editor_secret_file or settings.feedback_db.parent / FILE_NAME


def _derive(secret: str) -> bytes:
    """A fixed-length signing key from the secret text (its length and form do not matter)."""
    return hashlib.sha256(b"routewijzer-beheer-session|" + secret.encode()).digest()


def _read(path: Path) -> str:
    mode = path.stat().st_mode & 0o777
    if mode & 0o077:
        log.warning("editor secret file %s can be read by others (mode %o); run chmod 600 on it", path, mode)
    text = path.read_text(encoding="utf-8").strip()
    if len(text) < MIN_CHARS:
        raise SecretError(f"{path}: the editor secret is shorter than {MIN_CHARS} characters; "
                          "delete the file to have a new one made (editors log in again)")
    return text


def _create(path: Path) -> str:
    """Write a new random key to path unless another process did first (then read theirs)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    text = secrets.token_urlsafe(48)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        os.fchmod(fd, 0o600)
        os.write(fd, (text + "\n").encode())
        os.fsync(fd)
        os.close(fd)
        try:
            os.link(tmp, path)  # atomic and never overwrites: a complete file or none
        except FileExistsError:
            return _read(path)  # another process made it first; everyone uses that one
    finally:
        tmp.unlink(missing_ok=True)
    log.info("editor sessions: a new signing key was made in %s", path)
    return text


def session_key(settings: Settings) -> bytes:
    """The signing key for editor session cookies: same settings and data folder, same key."""
    if settings.editor_secret is not None:
        return _derive(settings.editor_secret.get_secret_value())
    path = secret_path(settings)
    text = _read(path) if path.exists() else _create(path)
    return _derive(text)
