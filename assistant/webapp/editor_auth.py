"""Editor login for /beheer: scrypt password hashes per account, signed session cookie, throttled failures.

Off unless at least one account is configured (editor_accounts.py: ASSISTANT_EDITOR_USER with
_PASSWORD_HASH, ASSISTANT_EDITORS, ASSISTANT_EDITORS_FILE). Passwords are never stored, only their
scrypt hashes (`python -m assistant beheer wachtwoord` makes one). User names and passwords are
compared in constant time. After MAX_FAILURES wrong attempts from one client, ACCOUNT_FAILURES
against one account (from anywhere) or GLOBAL_FAILURES from all together within WINDOW seconds,
logging in is refused until the window has passed; client addresses are held in memory for that
window only, never stored or logged. The session cookie is signed with the key of
editor_secret.py (kept across restarts; a new key logs editors out) and the account's password
hash (its new password does too); it holds the user name and an expiry, nothing else.
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
ACCOUNT_FAILURES = 10
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
    """Counts failed logins per client, per account and in total over a sliding window; refuses while over."""

    def __init__(self, per_client: int = MAX_FAILURES, total: int = GLOBAL_FAILURES, window: float = WINDOW,
                 per_account: int = ACCOUNT_FAILURES):
        self.per_client, self.per_account, self.total, self.window = per_client, per_account, total, window
        self._failures: dict[str, deque[float]] = {}
        self._accounts: dict[str, deque[float]] = {}
        self._all: deque[float] = deque()
        self._lock = threading.Lock()

    def _trim(self, now: float) -> None:
        while self._all and self._all[0] <= now - self.window:
            self._all.popleft()
        for table in (self._failures, self._accounts):
            for key in list(table):
                times = table[key]
                while times and times[0] <= now - self.window:
                    times.popleft()
                if not times:
                    del table[key]

    def wait(self, client: str, now: float | None = None, account: str | None = None) -> int:
        """Seconds this client (trying this account) must wait before trying again (0: it may try now)."""
        now = time.monotonic() if now is None else now
        with self._lock:
            self._trim(now)
            waits = []
            for times, limit in ((self._failures.get(client), self.per_client),
                                 (self._accounts.get(account) if account else None, self.per_account),
                                 (self._all, self.total)):
                if times and len(times) >= limit:
                    waits.append(times[0] + self.window - now)
        return max(1, int(max(waits)) + 1) if waits else 0

    def fail(self, client: str, now: float | None = None, account: str | None = None) -> None:
        """Record one failed attempt (account: only a configured one, so typed names are not kept)."""
        now = time.monotonic() if now is None else now
        with self._lock:
            self._failures.setdefault(client, deque()).append(now)
            if account:
                self._accounts.setdefault(account, deque()).append(now)
            self._all.append(now)

    def succeed(self, client: str) -> None:
        """A right password clears this client's failures (not the account's: others may be guessing)."""
        with self._lock:
            self._failures.pop(client, None)


class EditorAuth:
    """Checks credentials and signs and reads the session cookie."""

    def __init__(self, settings: Settings, key: bytes | None = None):
        from assistant.webapp.editor_accounts import load_accounts

        self.accounts = load_accounts(settings)  # user → scrypt hash; a bad entry stops the start
        if key is None and self.enabled:
            from assistant.webapp.editor_secret import session_key

            key = session_key(settings)  # the same after a restart: sessions survive it
        self._key = key or secrets.token_bytes(32)
        self.throttle = Throttle()

    @property
    def enabled(self) -> bool:
        """Whether the editor pages are on (at least one account)."""
        return bool(self.accounts)

    def account(self, user: str) -> str | None:
        """The configured account with this exact name, found in constant time, or None."""
        found = None
        for name in self.accounts:
            if hmac.compare_digest(user.encode(), name.encode()):
                found = name
        return found

    def check(self, user: str, password: str) -> str | None:
        """The account name for a right user name and password, else None; constant time either way."""
        if not self.enabled:
            return None
        found = self.account(user)
        stored = self.accounts[found] if found else next(iter(self.accounts.values()))
        right_password = verify_password(password, stored)  # always run: no timing hint about the name
        return found if found and right_password else None

    def _sign(self, payload: str, password_hash: str) -> str:
        return _b64(hmac.new(self._key, f"{payload}|{password_hash}".encode(), hashlib.sha256).digest())

    def session(self, user: str, now: float | None = None) -> str:
        """A cookie value for a logged-in editor, valid for SESSION_SECONDS."""
        payload = f"{_b64(user.encode())}|{int((now or time.time()) + SESSION_SECONDS)}"
        return f"{payload}|{self._sign(payload, self.accounts[user])}"

    def user_of(self, cookie: str | None, now: float | None = None) -> str | None:
        """The editor of an unexpired cookie signed by this app for a configured account, else None."""
        if not self.enabled or not cookie or cookie.count("|") != 2:
            return None
        encoded, expires, signature = cookie.split("|")
        try:
            user = _unb64(encoded).decode()
        except (ValueError, UnicodeDecodeError):
            return None
        stored = self.accounts.get(user)
        if stored is None or not hmac.compare_digest(signature, self._sign(f"{encoded}|{expires}", stored)):
            return None
        return user if expires.isdigit() and int(expires) > (now or time.time()) else None

    def valid(self, cookie: str | None, now: float | None = None) -> bool:
        """True for a cookie of a logged-in editor."""
        return self.user_of(cookie, now) is not None
