"""Editor accounts for /beheer: user names with scrypt password hashes, from settings and a file.

Three sources, all optional and added together: the single pair ASSISTANT_EDITOR_USER +
ASSISTANT_EDITOR_PASSWORD_HASH (as before), ASSISTANT_EDITORS (pairs `naam:scrypt$…` separated by
commas, spaces or new lines) and ASSISTANT_EDITORS_FILE (one pair a line, `#` starts a comment).
`python -m assistant beheer wachtwoord --gebruiker naam` prints a line to add. A malformed entry
or a name given twice stops the start with the place of the mistake; hashes are never echoed.
"""

from __future__ import annotations

import re

from assistant.settings import Settings

USER_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._@-]{0,63}")
HASH_RE = re.compile(r"scrypt\$\d+\$\d+\$\d+\$[A-Za-z0-9_-]+\$[A-Za-z0-9_-]+")


class AccountsError(ValueError):
    """An editor account entry that cannot be used; the message says where."""


def _entry(entry: str, where: str) -> tuple[str, str]:
    user, sep, hashed = entry.partition(":")
    if not sep:
        raise AccountsError(f"{where}: expected naam:scrypt$… (made by `python -m assistant beheer wachtwoord "
                            "--gebruiker naam`)")
    if not USER_RE.fullmatch(user):
        raise AccountsError(f"{where}: user name {user[:64]!r} may hold only letters, digits and . _ @ - "
                            "(at most 64)")
    if not HASH_RE.fullmatch(hashed):
        raise AccountsError(f"{where}: the hash for {user!r} is not one made by `python -m assistant beheer "
                            "wachtwoord`")
    return user, hashed


def parse_accounts(text: str, source: str) -> list[tuple[str, str]]:
    """The (user, hash) pairs in a text: entries separated by commas, spaces or lines; # comments."""
    pairs: list[tuple[str, str]] = []
    for number, line in enumerate(text.splitlines(), 1):
        line = line.split("#", 1)[0]
        for entry in re.split(r"[,\s]+", line.strip()):
            if entry:
                pairs.append(_entry(entry, f"{source}:{number}"))
    return pairs


def load_accounts(settings: Settings) -> dict[str, str]:
    """Every configured account, user → hash, in the order given; empty when /beheer is off."""
    pairs: list[tuple[str, str, str]] = []
    if settings.editor_user and settings.editor_password_hash:
        pairs.append((settings.editor_user, settings.editor_password_hash, "ASSISTANT_EDITOR_USER"))
    if settings.editors:
        pairs += [(u, h, "ASSISTANT_EDITORS") for u, h in parse_accounts(settings.editors, "ASSISTANT_EDITORS")]
    if settings.editors_file is not None:
        path = settings.editors_file
        try:
            text = path.read_text(encoding="utf-8")
        except OSError as exc:
            raise AccountsError(f"ASSISTANT_EDITORS_FILE {path}: cannot be read ({exc.strerror})") from None
        pairs += [(u, h, str(path)) for u, h in parse_accounts(text, str(path))]
    accounts: dict[str, str] = {}
    for user, hashed, source in pairs:
        if user in accounts:
            raise AccountsError(f"{source}: editor {user!r} is given twice; keep one entry per user name")
        accounts[user] = hashed
    return accounts


def account_line(user: str, hashed: str) -> str:
    """The line for ASSISTANT_EDITORS_FILE (checked, so a bad name is refused before it is added)."""
    return "{}:{}".format(*_entry(f"{user}:{hashed}", "--gebruiker"))
