"""Editor login for /beheer: scrypt password hash from settings, signed session cookie, throttled failures.

Off unless ASSISTANT_EDITOR_USER and ASSISTANT_EDITOR_PASSWORD_HASH are both set. The password is
never stored, only its scrypt hash (`python -m assistant beheer wachtwoord` makes one). User name
and password are compared in constant time. After MAX_FAILURES wrong attempts from one client (or
GLOBAL_FAILURES from all together) within WINDOW seconds, logging in is refused until the window
has passed; the client address is held in memory for that window only, never stored or logged.
The session cookie is signed with the key of editor_secret.py (kept across restarts; a new key
logs editors out) and the password hash (a new password does too); it holds the user name and an
expiry, nothing else.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import threading
import time
from collections import deque

from assistant.settings import Settings

COOKIE = "rw_beheer"
SESSION_SECONDS = 8 * 3600
MAX_FAILURES = 5
GLOBAL_FAILURES = 50
WINDOW = 15 * 60
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**14, 8, 1


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def hash_password(password: str, salt: bytes | None = None) -> str:
    """An scrypt hash for ASSISTANT_EDITOR_PASSWORD_HASH: 'scrypt$n$r$p$salt$hash'."""
    salt = salt or secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode(), salt=salt, n=SCRYPT_N, r=SCRYPT_R, p=SCRYPT_P, dklen=32)
    return f"scrypt${SCRYPT_N}${SCRYPT_R}${SCRYPT_P}${_b64(salt)}${_b64(digest)}"


def verify_password(password: str, stored: str) -> bool:
    """True when the password matches the stored hash (constant-time comparison)."""
    try:
        _, n, r, p, salt, digest = stored.split("$")
        expected = _unb64(digest)
        actual = hashlib.scrypt(password.encode(), salt=_unb64(salt), n=int(n), r=int(r), p=int(p),
                                dklen=len(expected), maxmem=128 * 1024 * 1024)
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(actual, expected)


class Throttle:
    """Counts failed logins per client and in total over a sliding window; refuses while over."""

    def __init__(self, per_client: int = MAX_FAILURES, total: int = GLOBAL_FAILURES, window: float = WINDOW):
        self.per_client, self.total, self.window = per_client, total, window
        self._failures: dict[str, deque[float]] = {}
        self._all: deque[float] = deque()
        self._lock = threading.Lock()

    def _trim(self, now: float) -> None:
        while self._all and self._all[0] <= now - self.window:
            self._all.popleft()
        for client in list(self._failures):
            times = self._failures[client]
            while times and times[0] <= now - self.window:
                times.popleft()
            if not times:
                del self._failures[client]

    def wait(self, client: str, now: float | None = None) -> int:
        """Seconds this client must wait before trying again (0: it may try now)."""
        now = time.monotonic() if now is None else now
        with self._lock:
            self._trim(now)
            times = self._failures.get(client, deque())
            waits = [times[0] + self.window - now] if len(times) >= self.per_client else []
            if len(self._all) >= self.total:
                waits.append(self._all[0] + self.window - now)
        return max(1, int(max(waits)) + 1) if waits else 0

    def fail(self, client: str, now: float | None = None) -> None:
        """Record one failed attempt."""
        now = time.monotonic() if now is None else now
        with self._lock:
            self._failures.setdefault(client, deque()).append(now)
            self._all.append(now)

    def succeed(self, client: str) -> None:
        """A right password clears this client's failures."""
        with self._lock:
            self._failures.pop(client, None)


class EditorAuth:
    """Checks credentials and signs and reads the session cookie."""

    def __init__(self, settings: Settings, key: bytes | None = None):
        self.user = settings.editor_user
        self.password_hash = settings.editor_password_hash
        if key is None and self.enabled:
            from assistant.webapp.editor_secret import session_key

            key = session_key(settings)  # the same after a restart: sessions survive it
        self._key = key or secrets.token_bytes(32)
        self.throttle = Throttle()

    @property
    def enabled(self) -> bool:
        """Whether the editor pages are on (both settings given)."""
        return bool(self.user and self.password_hash)

    def check(self, user: str, password: str) -> bool:
        """True for the configured user and password; both compared in constant time."""
        if not self.enabled:
            return False
        right_user = hmac.compare_digest(user.encode(), (self.user or "").encode())
        right_password = verify_password(password, self.password_hash or "")  # always run: no timing hint
        return right_user and right_password

    def _sign(self, payload: str) -> str:
        return _b64(hmac.new(self._key, f"{payload}|{self.password_hash}".encode(), hashlib.sha256).digest())

    def session(self, now: float | None = None) -> str:
        """A cookie value for the logged-in editor, valid for SESSION_SECONDS."""
        payload = f"{_b64((self.user or '').encode())}|{int((now or time.time()) + SESSION_SECONDS)}"
        return f"{payload}|{self._sign(payload)}"

    def valid(self, cookie: str | None, now: float | None = None) -> bool:
        """True for an unexpired cookie signed by this app for the configured user."""
        if not self.enabled or not cookie or cookie.count("|") != 2:
            return False
        user, expires, signature = cookie.split("|")
        if not hmac.compare_digest(signature, self._sign(f"{user}|{expires}")):
            return False
        return expires.isdigit() and int(expires) > (now or time.time()) and user == _b64(self.user.encode())
