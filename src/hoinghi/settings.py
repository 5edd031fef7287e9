"""Settings, read from the environment (docs/operations.md has every variable, why, and the
production environment that passes `hoinghi check --deploy`).

| variable              | default                                   |
| --------------------- | ----------------------------------------- |
| DATABASE_URL          | sqlite:///<var>/hoinghi.sqlite3           |
| REDIS_URL             | unset: file cache under <var>/cache       |
| HOINGHI_SECRET_KEY    | a random key kept in <var>/secret_key     |
| HOINGHI_DEBUG         | 0                                         |
| HOINGHI_ALLOWED_HOSTS | localhost,127.0.0.1,[::1]                 |
| HOINGHI_VAR_DIR       | var/ at the project root                  |
| HOINGHI_TASKS         | "database" (a worker runs them) or "immediate" |
| HOINGHI_PG_OPTIONS    | "-c random_page_cost=1.1" (PostgreSQL)  |
| HOINGHI_PG_POOL, _SIZE | 1, 4: a connection pool per process      |
| HOINGHI_PG_PREPARED   | 1: the hot paths' queries kept prepared (0 behind a transaction pooler) |
| HOINGHI_MAX_CONCURRENT_REQUESTS | the pool size (PostgreSQL), 2 (SQLite) per process |
| HOINGHI_EMAIL_HOST    | unset: e-mail is written to files in <var>/mail |
| HOINGHI_EMAIL_PORT, _USER, _PASSWORD, _USE_TLS | SMTP login (587, TLS on)   |
| HOINGHI_EMAIL_FROM    | "Ban Tổ chức hội nghị <hoinghi@localhost>"    |
| HOINGHI_SMS_BACKEND   | the HTTP gateway if HOINGHI_SMS_GATEWAY_URL is set, else files in <var>/sms |
| HOINGHI_SMS_GATEWAY_URL, _TOKEN | unset: the SMS gateway's endpoint and bearer token |
| HOINGHI_SMS_SENDER, _TIMEOUT, _FILE_PATH | CONGDOANVN, 10 s, <var>/sms |
| HOINGHI_BASE_URL      | http://127.0.0.1:8000 (links in e-mails, PDFs) |
| HOINGHI_TRUSTED_PROXIES | none: proxies whose X-Forwarded-For/-Proto are believed |
| HOINGHI_CSRF_TRUSTED_ORIGINS | none: origins allowed to post besides the page's own |
| HOINGHI_SSL_REDIRECT, HOINGHI_SECURE_COOKIES | 0, 0: HTTPS only (the demo is plain HTTP) |
| HOINGHI_HSTS_SECONDS, _INCLUDE_SUBDOMAINS, _PRELOAD | 0, 0, 0: Strict-Transport-Security |
| HOINGHI_STREAM_DIR    | <var>/stream: live HLS, recordings, chapters (nginx writes there) |
| HOINGHI_STREAM_SECRET | random, kept in <var>/stream_secret: signs playback URLs and callbacks |
| HOINGHI_STREAM_RTMP_PORT, _HTTP_PORT | 1935, 8081: where nginx listens (RTMP in, HLS out) |
| HOINGHI_STREAM_PUBLISH_URL | rtmp://127.0.0.1:<rtmp port>/live (shown to the host's encoder) |
| HOINGHI_STREAM_PLAY_URL | http://127.0.0.1:<http port> (what players fetch HLS and chapters from) |
| HOINGHI_STREAM_CALLBACK_URL | HOINGHI_BASE_URL: where nginx reaches hoinghi for its callbacks |
"""

import os
import secrets
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from django.utils.csp import CSP

SRC_DIR = Path(__file__).resolve().parent
VAR_DIR = Path(os.environ.get("HOINGHI_VAR_DIR", SRC_DIR.parents[1] / "var")).resolve()
VAR_DIR.mkdir(parents=True, exist_ok=True)


PG_POOL_SIZE = "4"  # connections (and requests at once) per process on PostgreSQL: below


def _env_bool(name: str, default: bool = False) -> bool:
    return os.environ.get(name, "1" if default else "0").strip().lower() in {"1", "true", "yes", "on"}


def _kept_secret(variable: str, filename: str, length: int) -> str:
    """The secret in the environment, else a random one made once and kept in <var>/filename."""
    if secret := os.environ.get(variable):
        return secret
    path = VAR_DIR / filename
    if not path.exists():
        path.write_text(secrets.token_urlsafe(length))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _kept_secret("HOINGHI_SECRET_KEY", "secret_key", 50)
DEBUG = _env_bool("HOINGHI_DEBUG")
ALLOWED_HOSTS = os.environ.get("HOINGHI_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]").split(",")
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("HOINGHI_CSRF_TRUSTED_ORIGINS", "").split(",") if o]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "axes",
    "channels",
    "django_tasks_db",
    "hoinghi.core",
    "hoinghi.accounts",
    "hoinghi.orgs",
    "hoinghi.conferences",
    "hoinghi.attendance",
    "hoinghi.streaming",
    "hoinghi.resolutions",
    "hoinghi.learning_reports",
    "hoinghi.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "hoinghi.core.csp.PageSourcesMiddleware",  # after Django's: it answers first on the way out
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "hoinghi.core.middleware.BaseUrlCheckMiddleware",
    "hoinghi.core.middleware.IgnoreBrowserLanguageMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "hoinghi.accounts.middleware.PasswordChangeRequiredMiddleware",
    "hoinghi.core.middleware.RejectNulMiddleware",  # before any view reads the request's values
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
    "hoinghi.core.middleware.DomainErrorMiddleware",
]

ROOT_URLCONF = "hoinghi.urls"
ASGI_APPLICATION = "hoinghi.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "hoinghi.core.context_processors.menu",
            ],
        },
    },
]

# --- Database -----------------------------------------------------------------------------------
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'hoinghi.sqlite3'}",
        conn_max_age=int(os.environ.get("HOINGHI_CONN_MAX_AGE", "0")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers go on while an import writes; IMMEDIATE takes the write lock at BEGIN so
    # that two writers queue instead of failing with "database is locked" half-way through.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 30,
    }
    # Tests use a file, not memory: the reliability tests start real server processes on it, and
    # the live server's threads then each have their own connection, as in production. One file
    # per test process, so that two test runs on one machine do not share it.
    DATABASES["default"]["TEST"] = {
        "NAME": os.environ.get("HOINGHI_TEST_SQLITE") or str(VAR_DIR / f"test-{os.getpid()}.sqlite3")
    }
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # PostgreSQL's default random_page_cost (4) models spinning disks: it makes the planner scan
    # the whole people table to count one province's subtree (39 ms at --scale 10) instead of
    # probing the unit index (11 ms). 1.1 is the usual value for SSD storage; a server tuned
    # already can pass its own with HOINGHI_PG_OPTIONS="" or other "-c" settings.
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = os.environ.get(
        "HOINGHI_PG_OPTIONS", "-c random_page_cost=1.1"
    )
    # The hot paths' queries (`core.compiled`) bind their values on the server and ask PostgreSQL
    # to keep them prepared, so each connection parses and plans them once: planning was 40 % of
    # PostgreSQL's CPU for a check-in. Django's other queries keep client-side binding and are
    # never prepared. psycopg prepares nothing with a threshold of None; the number only has to
    # be there (the compiled queries ask for preparation themselves). A transaction-mode pooler
    # (PgBouncer before 1.21) cannot keep prepared statements: HOINGHI_PG_PREPARED=0 there.
    if _env_bool("HOINGHI_PG_PREPARED", default=True):
        DATABASES["default"]["OPTIONS"]["prepare_threshold"] = 1_000_000
    # A pool shared by the threads of the process (HOINGHI_MAX_CONCURRENT_REQUESTS of them run
    # requests): without a pool every concurrent request opens (and a burst of 364 check-in
    # clients exhausts) a PostgreSQL connection. With it, a request waits for one of
    # HOINGHI_PG_POOL_SIZE connections instead. Four: a process's requests share one interpreter
    # lock, so beyond a few at once they only take turns on it, and more connections contend in
    # PostgreSQL on the same two cores; the morning's check-in took 5-32 % more batches a second
    # with four than with ten, the dashboards as fast (docs/benchmarks.md).
    if _env_bool("HOINGHI_PG_POOL", default=True):
        DATABASES["default"]["CONN_MAX_AGE"] = 0
        DATABASES["default"]["OPTIONS"]["pool"] = {
            "min_size": 1,
            "max_size": int(os.environ.get("HOINGHI_PG_POOL_SIZE", PG_POOL_SIZE)),
            "timeout": 60,
            # What PostgreSQL keeps per connection (the prepared statements' plans, the foreign
            # keys' checks) is planned for the tables as they were when first used, until their
            # statistics change. A morning starts on near-empty attendance tables that take
            # 25,000 rows in minutes: a plan made at 7:00 scanned them whole at 7:10 (half of
            # PostgreSQL's CPU for a single scan, docs/benchmarks.md). A connection lives 30 s, so
            # the plans follow the tables; the pool opens the next one in the background.
            "max_lifetime": 30,
        }

# At most this many HTTP requests of one server process run at once; the others wait their turn
# in the event loop (cheaply) instead of each taking a thread and a database connection. SQLite
# takes one writer at a time, so a small number avoids a storm of lock waits.
HOINGHI_MAX_CONCURRENT_REQUESTS = int(
    os.environ.get(
        "HOINGHI_MAX_CONCURRENT_REQUESTS",
        "2"
        if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3"
        else os.environ.get("HOINGHI_PG_POOL_SIZE", PG_POOL_SIZE),
    )
)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache (import progress, login throttling) --------------------------------------------------
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "hoinghi.core.cache.SharedPoolRedisCache", "LOCATION": REDIS_URL}}
else:
    # Shared between the web server and the task worker, which are separate processes. Past
    # MAX_ENTRIES files Django deletes a third of them at random, live versions and locks too (a
    # page would see a version go back, two processes take one lock): far more than a demo makes.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(VAR_DIR / "cache"),
            "OPTIONS": {"MAX_ENTRIES": 100_000},
        }
    }

# --- Background tasks (Django's tasks framework) -----------------------------------------------
TASKS = {
    "default": {
        "BACKEND": (
            "django.tasks.backends.immediate.ImmediateBackend"
            if os.environ.get("HOINGHI_TASKS", "database") == "immediate"
            else "django_tasks_db.DatabaseBackend"
        )
    }
}

# --- Authentication ------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "hoinghi.accounts.backends.ModelBackend",  # Django's, the session's user read by a compiled query
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "orgs:tree"
LOGOUT_REDIRECT_URL = "accounts:login"
# The test suite makes hundreds of users: PBKDF2 at Django's cost (~0.9 s a password on this
# machine) was most of its time. The tests (and the servers they start, which must check the same
# hashes) set HOINGHI_TEST_PASSWORD_HASHING=1 for a fast hasher; production never does.
if _env_bool("HOINGHI_TEST_PASSWORD_HASHING"):
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
# Five failed logins lock the username for 15 minutes whatever address they came from (and the
# username at that address, as before): one client cannot try passwords on one account from many
# addresses. An address alone is not locked: a district office's staff share one public address,
# and one forgetful colleague must not lock them all out on the morning of the conference.
AXES_FAILURE_LIMIT = int(os.environ.get("HOINGHI_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = ["username", ["username", "ip_address"]]
# The addresses of the reverse proxies whose X-Forwarded-For / X-Forwarded-Proto are believed
# (`hoinghi serve`); none by default, so a client cannot claim another address.
HOINGHI_TRUSTED_PROXIES = [a for a in os.environ.get("HOINGHI_TRUSTED_PROXIES", "").split(",") if a.strip()]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_VERBOSE = False

SESSION_COOKIE_HTTPONLY = True
if REDIS_URL:
    # Read from Redis, written to the database too: a signed-in request costs no session query.
    SESSION_ENGINE = "hoinghi.accounts.sessions"
SESSION_COOKIE_SECURE = _env_bool("HOINGHI_SECURE_COOKIES")
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
LANGUAGE_COOKIE_SECURE = SESSION_COOKIE_SECURE
# A Vietnamese page (the form expired, reload it) instead of Django's English one.
CSRF_FAILURE_VIEW = "hoinghi.core.views.csrf_failure"

# --- HTTPS (docs/operations.md, "Production settings") ------------------------------------------
# Off by default: the demo is served over plain HTTP on 127.0.0.1. Production turns them on.
SECURE_SSL_REDIRECT = _env_bool("HOINGHI_SSL_REDIRECT")
# nginx-rtmp reaches its callbacks at HOINGHI_STREAM_CALLBACK_URL, an internal plain-HTTP address,
# and takes a 3xx answer to on_publish as "publish under the name in Location": redirected to
# HTTPS, every publish would go astray. The path holds the stream secret, so it is no weaker.
SECURE_REDIRECT_EXEMPT = [r"^truyen-hinh/hooks/"]
SECURE_HSTS_SECONDS = int(os.environ.get("HOINGHI_HSTS_SECONDS", "0"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = _env_bool("HOINGHI_HSTS_INCLUDE_SUBDOMAINS")
SECURE_HSTS_PRELOAD = _env_bool("HOINGHI_HSTS_PRELOAD")
if HOINGHI_TRUSTED_PROXIES:
    # TLS ends at the proxy, which says so in X-Forwarded-Proto; without this Django would take
    # every request for plain HTTP (and SECURE_SSL_REDIRECT would redirect forever). Only with a
    # proxy configured: a client that reaches the server directly could claim HTTPS otherwise.
    # The proxy must set the header itself, overwriting whatever the client sent.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# --- Language, time -----------------------------------------------------------------------------
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]
LOCALE_PATHS = [SRC_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
DATE_INPUT_FORMATS = ["%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y"]
FORMAT_MODULE_PATH = ["hoinghi.formats"]

# --- Static files -------------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)  # whitenoise serves from here after collectstatic; finders before
WHITENOISE_USE_FINDERS = True
MEDIA_ROOT = VAR_DIR / "media"
MEDIA_URL = "/media/"

# --- Uploads ------------------------------------------------------------------------------------
HOINGHI_IMPORT_MAX_BYTES = int(os.environ.get("HOINGHI_IMPORT_MAX_BYTES", str(20 * 1024 * 1024)))
HOINGHI_IMPORT_MAX_ROWS = int(os.environ.get("HOINGHI_IMPORT_MAX_ROWS", "300000"))
# The sum of a workbook's members once unzipped: a "zip bomb" of blank rows is refused unread.
HOINGHI_IMPORT_MAX_UNCOMPRESSED_BYTES = int(
    os.environ.get("HOINGHI_IMPORT_MAX_UNCOMPRESSED_BYTES", str(250 * 1024 * 1024))
)
HOINGHI_IMPORT_MAX_COLUMNS = int(os.environ.get("HOINGHI_IMPORT_MAX_COLUMNS", "200"))

# --- Channels: Redis in production (several app servers), in-memory in the one-process demo --------
if REDIS_URL:
    from redis.asyncio.retry import Retry  # the channel layer is asyncio: its Retry awaits
    from redis.backoff import ExponentialBackoff
    from redis.exceptions import ConnectionError as RedisConnectionError
    from redis.exceptions import TimeoutError as RedisTimeoutError

    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            # channels_redis waits for messages with a 5 s blocking read (BZPOPMIN); redis-py 8
            # times reads out after 5 s by default, which killed every consumer after 5 s without
            # a message. The socket timeout must outlast the blocking read.
            # After Redis comes back the pool still holds connections to the Redis that went away:
            # the first command on each fails ("Connection closed by server"). A command is
            # retried on a fresh connection instead, so the first dashboard after an outage
            # connects, rather than being told to poll once more.
            "CONFIG": {
                "hosts": [
                    {
                        "address": REDIS_URL,
                        "socket_timeout": 15,
                        "retry": Retry(ExponentialBackoff(cap=0.5, base=0.05), 3),
                        "retry_on_error": [RedisConnectionError, RedisTimeoutError],
                    }
                ],
                "capacity": 2000,
                "expiry": 30,
            },
        }
    }
else:
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}

# --- Conferences ---------------------------------------------------------------------------------
# Links that leave the site (e-mails, QR codes on printed invitations) need the public address.
HOINGHI_BASE_URL = os.environ.get("HOINGHI_BASE_URL", "http://127.0.0.1:8000").rstrip("/")
HOINGHI_MATERIAL_MAX_BYTES = int(os.environ.get("HOINGHI_MATERIAL_MAX_BYTES", str(50 * 1024 * 1024)))
HOINGHI_MATERIAL_TYPES = {
    ".pdf": "application/pdf",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".doc": "application/msword",
    ".pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".mp4": "video/mp4",
    ".png": "image/png",
    ".jpg": "image/jpeg",
}

# --- E-mail: SMTP in production, files under var/mail in the demo and tests ----------------------
if os.environ.get("HOINGHI_EMAIL_HOST"):
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": os.environ["HOINGHI_EMAIL_HOST"],
                "port": int(os.environ.get("HOINGHI_EMAIL_PORT", "587")),
                "username": os.environ.get("HOINGHI_EMAIL_USER", ""),
                "password": os.environ.get("HOINGHI_EMAIL_PASSWORD", ""),
                "use_tls": _env_bool("HOINGHI_EMAIL_USE_TLS", default=True),
                "timeout": 20,
            },
        }
    }
else:
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "OPTIONS": {"file_path": str(VAR_DIR / "mail")},
        }
    }
DEFAULT_FROM_EMAIL = os.environ.get("HOINGHI_EMAIL_FROM", "Ban Tổ chức hội nghị <hoinghi@localhost>")

# --- SMS: invitations for those without e-mail (conferences/sms) -----------------------------------
# Files under var/sms in the demo and tests (one per batch); the HTTP gateway in production when
# HOINGHI_SMS_GATEWAY_URL is set, unless HOINGHI_SMS_BACKEND names another class.
HOINGHI_SMS_GATEWAY_URL = os.environ.get("HOINGHI_SMS_GATEWAY_URL", "")
HOINGHI_SMS_GATEWAY_TOKEN = os.environ.get("HOINGHI_SMS_GATEWAY_TOKEN", "")
HOINGHI_SMS_SENDER = os.environ.get("HOINGHI_SMS_SENDER", "CONGDOANVN")
HOINGHI_SMS_TIMEOUT = float(os.environ.get("HOINGHI_SMS_TIMEOUT", "10"))
HOINGHI_SMS_FILE_PATH = os.environ.get("HOINGHI_SMS_FILE_PATH", str(VAR_DIR / "sms"))
HOINGHI_SMS_BACKEND = os.environ.get(
    "HOINGHI_SMS_BACKEND",
    "hoinghi.conferences.sms.backends.http.SmsBackend"
    if HOINGHI_SMS_GATEWAY_URL
    else "hoinghi.conferences.sms.backends.filebased.SmsBackend",
)
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"refusals_on_one_line": {"()": "hoinghi.core.views.RefusalsOnOneLine"}},
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("HOINGHI_LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # 403s and 400s as one line each, 500s with their traceback (core.views.RefusalsOnOneLine)
        "django.request": {"filters": ["refusals_on_one_line"]},
    },
}
USE_THOUSAND_SEPARATOR = True


# --- Live video (hoinghi.streaming): nginx with the RTMP module carries it; see docs/operations.md.
STREAM_DIR = Path(os.environ.get("HOINGHI_STREAM_DIR", VAR_DIR / "stream")).resolve()
STREAM_RTMP_PORT = int(os.environ.get("HOINGHI_STREAM_RTMP_PORT", "1935"))
STREAM_HTTP_PORT = int(os.environ.get("HOINGHI_STREAM_HTTP_PORT", "8081"))
STREAM_PUBLISH_URL = os.environ.get("HOINGHI_STREAM_PUBLISH_URL", f"rtmp://127.0.0.1:{STREAM_RTMP_PORT}/live")
STREAM_PLAY_URL = os.environ.get("HOINGHI_STREAM_PLAY_URL", f"http://127.0.0.1:{STREAM_HTTP_PORT}").rstrip(
    "/"
)
STREAM_CALLBACK_URL = os.environ.get("HOINGHI_STREAM_CALLBACK_URL", HOINGHI_BASE_URL).rstrip("/")
STREAM_SECRET = _kept_secret("HOINGHI_STREAM_SECRET", "stream_secret", 32)


# --- Content-Security-Policy (Django's own, django.middleware.csp): on every response, in
# development too, so that the tests and the demo see what production sends.
def _origin(url: str, *, scheme: str | None = None) -> str:
    parts = urlsplit(url)
    return f"{scheme or parts.scheme}://{parts.netloc}"


# The pages run only our own static scripts: no inline script, no inline handler (core's
# behaviour.js does data-confirm, data-autosubmit and data-back), no eval.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    # Inline style attributes (bars whose width is a figure, htmx's indicator rule, Leaflet,
    # Django's admin) stay allowed: a style cannot run script, and the url() an injected rule
    # could leak data through is held to our own origin by img-src and font-src.
    "style-src": [CSP.SELF, CSP.UNSAFE_INLINE],
    # The QR codes are SVG from our own views, map markers are drawn in SVG: no data: images.
    "img-src": [CSP.SELF],
    "font-src": [CSP.SELF],
    # The API, the check-in queue and the dashboard's WebSocket ('self' covers ws: and wss: in
    # current browsers; the base URL's form is named for older Safari). A page with a video player
    # adds the origin it plays from (HOINGHI_STREAM_PLAY_URL, or a broadcaster's) to connect-src
    # and media-src, for that page only: hoinghi.core.csp.
    "connect-src": [
        CSP.SELF,
        _origin(HOINGHI_BASE_URL, scheme="wss" if HOINGHI_BASE_URL.startswith("https:") else "ws"),
    ],
    # hls.js plays through a MediaSource, a blob: URL.
    "media-src": [CSP.SELF, "blob:"],
    # hls.js demuxes in a worker made from a blob: URL; the check-in page has a service worker.
    "worker-src": [CSP.SELF, "blob:"],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}
