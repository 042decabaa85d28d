"""Configuration classes: SQLite under instance/ by default, everything else from the environment."""

import os
import secrets
from datetime import timedelta
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent
INSTANCE_DIR = Path(os.environ.get("PORTAL_INSTANCE_DIR", BASE_DIR / "instance"))


def _development_secret_key() -> str:
    """Generate a key once and keep it under instance/, so sessions survive restarts in development."""
    INSTANCE_DIR.mkdir(parents=True, exist_ok=True)
    key_file = INSTANCE_DIR / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_hex(32))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


def _database_url(url: str | None) -> str:
    """Accept plain postgresql:// URLs and route them to psycopg 3."""
    if not url:
        return f"sqlite:///{INSTANCE_DIR / 'portal.sqlite3'}"
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def _env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


class Config:
    SECRET_KEY = os.environ.get("SECRET_KEY")
    SQLALCHEMY_DATABASE_URI = _database_url(os.environ.get("DATABASE_URL"))
    # A pooled connection that the server dropped (PostgreSQL restarted) is replaced before use, so
    # the first request after a restart succeeds; while the database is down, pages answer 503.
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
    # Each of a web process's threads may hold a connection (gunicorn runs 32, README): a smaller
    # pool made requests wait 30 s for one and fail at the deadline hour (bench/rush.py, N = 64).
    # 2 web processes × 40 stay within PostgreSQL's default 100 connections with the workers.
    # (PostgreSQL only: SQLite's in-memory pool takes no size.)
    DATABASE_POOL_SIZE = int(os.environ.get("DATABASE_POOL_SIZE", 10))
    DATABASE_POOL_OVERFLOW = int(os.environ.get("DATABASE_POOL_OVERFLOW", 30))

    # Sessions: the cookie is only a pointer; a per-user session version on the server ends them.
    SESSION_COOKIE_NAME = "prd_session"
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = _env_bool("SESSION_COOKIE_SECURE", True)
    PERMANENT_SESSION_LIFETIME = timedelta(hours=12)
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_SECURE = SESSION_COOKIE_SECURE
    REMEMBER_COOKIE_DURATION = timedelta(days=14)

    # A director may write for hours: the CSRF token lives as long as the session does.
    WTF_CSRF_TIME_LIMIT = None

    # Internationalisation and display time zone.
    LANGUAGES = ("fr", "en")
    BABEL_DEFAULT_LOCALE = "fr"
    BABEL_DEFAULT_TIMEZONE = "Europe/Paris"
    BABEL_TRANSLATION_DIRECTORIES = str(BASE_DIR / "translations")

    # Rate limits: memory by default, Redis (redis://localhost:6379/0) in production.
    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", "memory://")
    RATELIMIT_HEADERS_ENABLED = True
    # Sign-in and the code page count failures only, per account and per client address, so that
    # many people behind one address (a university's NAT) never lock each other out.
    SIGN_IN_ACCOUNT_FAILURE_LIMIT = os.environ.get(
        "SIGN_IN_ACCOUNT_FAILURE_LIMIT", "10 per minute; 50 per hour"
    )
    SIGN_IN_ADDRESS_FAILURE_LIMIT = os.environ.get(
        "SIGN_IN_ADDRESS_FAILURE_LIMIT", "30 per minute; 200 per hour"
    )
    # Sign-up, reset and resend-confirmation each send an e-mail: every request counts, per address.
    EMAIL_LINK_RATE_LIMIT = os.environ.get("EMAIL_LINK_RATE_LIMIT", "10 per minute; 50 per hour")
    # Per account: finding a co-supervisor takes one or two tries, not a list of addresses.
    CO_SUPERVISOR_LOOKUP_RATE_LIMIT = os.environ.get(
        "CO_SUPERVISOR_LOOKUP_RATE_LIMIT", "5 per minute; 20 per day"
    )
    # The public catalogue, per client address: a reader (or a school's site) never comes near it;
    # a scraping flood does. Its pages are cached by browsers and proxies for PUBLIC_MAX_AGE seconds.
    PUBLIC_RATE_LIMIT = os.environ.get("PUBLIC_RATE_LIMIT", "300 per minute; 5000 per hour")
    PUBLIC_MAX_AGE = int(os.environ.get("PUBLIC_MAX_AGE", "300"))
    PUBLIC_PAGE_SIZE = 20
    # The anonymous public pages kept whole in each web process, by address and catalogue stamp.
    PUBLIC_CACHE_BYTES = int(os.environ.get("PUBLIC_CACHE_BYTES", str(32 * 1024 * 1024)))

    # Mail: "log" writes messages to the application log, "smtp" sends them.
    MAIL_BACKEND = os.environ.get("MAIL_BACKEND", "smtp")
    MAIL_SERVER = os.environ.get("MAIL_SERVER", "localhost")
    MAIL_PORT = int(os.environ.get("MAIL_PORT", "25"))
    MAIL_USE_TLS = _env_bool("MAIL_USE_TLS", False)
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME")
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD")
    MAIL_DEFAULT_SENDER = os.environ.get("MAIL_DEFAULT_SENDER", "PRD Portal <no-reply@prd-portal.test>")
    MAIL_TIMEOUT = 10
    # /dev/mail: the written messages with clickable links; development only (portal/devmail).
    DEV_MAILBOX = False
    # The outbox: a message that fails is retried after 1, 2, 4… minutes, then marked failed.
    OUTBOX_MAX_ATTEMPTS = int(os.environ.get("OUTBOX_MAX_ATTEMPTS", "8"))
    # How often the scheduler sends what is due and was not sent (a retry, a task lost with the
    # broker): the longest a message waits once its cause is gone.
    OUTBOX_SWEEP_SECONDS = float(os.environ.get("OUTBOX_SWEEP_SECONDS", "30"))

    # Drafts' stored PDFs older than this many days are deleted, each proposal's newest kept; the
    # scheduler looks every PDF_CLEANUP_SECONDS (proposals/pdf_cleanup.py, docs/pdf.md).
    DRAFT_PDF_KEEP_DAYS = float(os.environ.get("DRAFT_PDF_KEEP_DAYS", "7"))
    PDF_CLEANUP_SECONDS = float(os.environ.get("PDF_CLEANUP_SECONDS", "3600"))

    # Background work (portal/tasks): Celery on Redis in production; `make run` uses a SQLite file.
    CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "redis://localhost:6379/1")
    CELERY_BEAT_SCHEDULE_FILE = os.environ.get(
        "CELERY_BEAT_SCHEDULE_FILE", str(INSTANCE_DIR / "celerybeat-schedule")
    )

    # Uploads (figures and reference files): requests above this size are refused with 413.
    MAX_CONTENT_LENGTH = int(os.environ.get("MAX_CONTENT_LENGTH", str(16 * 1024 * 1024)))
    MAX_FIGURE_BYTES = 5 * 1024 * 1024
    # What one description may hold, checked on every way in (form, autosave, preview, import,
    # figure upload) before anything is rendered; the reasons and measures are in docs/security.md.
    # About 6,000 characters of prose fill a printed page: five times a 3-page call's text.
    DESCRIPTION_MAX_CHARS = int(os.environ.get("DESCRIPTION_MAX_CHARS", "100000"))
    # Each formula costs ziamath 10 ms to 1 s: 400 stay within the render time limit.
    DESCRIPTION_MAX_FORMULAS = int(os.environ.get("DESCRIPTION_MAX_FORMULAS", "400"))
    FORMULA_MAX_CHARS = 2000
    # Braces, \left and \begin nested deeper than this double ziamath's time at each level
    # (depth 8: up to 1 s; 10: 4 s; 12: 12 s).
    FORMULA_MAX_DEPTH = 8
    DESCRIPTION_MAX_FIGURES = 12
    # A page count or a PDF that takes longer is stopped (hostile or pathological input): the
    # task's soft limit; its worker process is killed and replaced 10 s later (the hard limit).
    RENDER_TIME_LIMIT = float(os.environ.get("RENDER_TIME_LIMIT", "20"))
    # How long a request waits for a page count, a preview or a PDF made by a worker before it
    # answers "being prepared" (the page then polls or refreshes itself): never longer.
    RENDER_WAIT_SECONDS = float(os.environ.get("RENDER_WAIT_SECONDS", "2"))
    RENDER_HARD_TIME_LIMIT = float(os.environ.get("RENDER_HARD_TIME_LIMIT", RENDER_TIME_LIMIT + 10))
    # An e-mail taken by a worker is not taken again for this long (a PDF to make, then SMTP): if
    # that worker dies, the sweep sends it after this delay. Longer than the hard limit.
    OUTBOX_LEASE_SECONDS = float(os.environ.get("OUTBOX_LEASE_SECONDS", RENDER_TIME_LIMIT + 10 + 30))
    # Background work killed with its worker is tried again, at most this many times in all.
    TASK_MAX_ATTEMPTS = int(os.environ.get("TASK_MAX_ATTEMPTS", "2"))

    # The site's address, for links in e-mails sent by commands (no request to take it from).
    PUBLIC_URL = os.environ.get("PUBLIC_URL", "http://127.0.0.1:5000")

    # Signed links.
    EMAIL_CONFIRMATION_MAX_AGE = timedelta(days=3)
    PASSWORD_RESET_MAX_AGE = timedelta(hours=2)
    INVITATION_MAX_AGE = timedelta(days=14)

    # Two-factor authentication is required for staff and administrators.
    TWO_FACTOR_ENFORCED = _env_bool("TWO_FACTOR_ENFORCED", True)
    TOTP_ISSUER = "PRD Portal"
    # Fernet keys for the TOTP seeds, comma-separated, newest first; derived from SECRET_KEY if unset.
    TOTP_ENCRYPTION_KEYS = os.environ.get("TOTP_ENCRYPTION_KEYS", "")

    # The ranking's normalised total uses a reviewer's z-score only when they reviewed at least this
    # many of the committee's proposals: with one or two, the mean and spread say nothing (one
    # review always gives z = 0, which reads as "average").
    REVIEW_NORMALISE_MIN_REVIEWS = int(os.environ.get("REVIEW_NORMALISE_MIN_REVIEWS", "3"))

    # Behind a reverse proxy: how many proxies set X-Forwarded-* headers.
    PROXY_FIX_HOPS = int(os.environ.get("PROXY_FIX_HOPS", "0"))


class DevelopmentConfig(Config):
    SECRET_KEY = os.environ.get("SECRET_KEY") or _development_secret_key()
    SESSION_COOKIE_SECURE = False
    REMEMBER_COOKIE_SECURE = False
    MAIL_BACKEND = os.environ.get("MAIL_BACKEND", "log")
    DEV_MAILBOX = True
    # No Redis needed: kombu's SQLAlchemy transport on a file beside the database. (Its filesystem
    # transport is not safe with several worker processes taking from one queue.)
    CELERY_BROKER_URL = os.environ.get(
        "CELERY_BROKER_URL", f"sqla+sqlite:///{INSTANCE_DIR / 'broker.sqlite3'}"
    )
    # The demo accounts must be usable without an authenticator app; production keeps the rule.
    TWO_FACTOR_ENFORCED = _env_bool("TWO_FACTOR_ENFORCED", False)


class TestConfig(Config):
    TESTING = True
    SECRET_KEY = "test-secret-key"  # noqa: S105 (tests only)
    SQLALCHEMY_DATABASE_URI = _database_url(os.environ.get("TEST_DATABASE_URL") or "sqlite://")
    SESSION_COOKIE_SECURE = False
    REMEMBER_COOKIE_SECURE = False
    MAIL_BACKEND = "smtp"
    MAIL_PORT = 0  # set by the SMTP fixture
    RATELIMIT_STORAGE_URI = "memory://"
    # Tasks run in a worker thread of the test process (tests/celery_worker.py).
    CELERY_BROKER_URL = "memory://localhost/"
    # Pages wait for that worker's renders (a bound, not a delay); tests of "being prepared" set 0.
    RENDER_WAIT_SECONDS = 60.0
    TWO_FACTOR_ENFORCED = True
    # Argon2id at its lowest cost: hundreds of sign-ins per run. Production keeps argon2's
    # defaults (tests/auth/test_sign_up.py checks that the hash stays Argon2id).
    PASSWORD_HASH_TIME_COST = 1
    PASSWORD_HASH_MEMORY_COST = 8
    PASSWORD_HASH_PARALLELISM = 1


def config_from_environment() -> type[Config]:
    """Pick the configuration named by PORTAL_ENV (production unless told otherwise)."""
    name = os.environ.get("PORTAL_ENV", "production")
    return {"development": DevelopmentConfig, "test": TestConfig}.get(name, Config)
