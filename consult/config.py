"""Safe defaults; ``instance/config.py`` and ``CONSULT_*`` environment variables override them.

Every setting here can be overridden by a line ``NAME = value`` in ``instance/config.py`` or
by the environment variable ``CONSULT_NAME`` (strings; "true"/"false" and integers are parsed).
"""

#: SQLAlchemy URL. ``None`` means a SQLite file ``consult.db`` in the instance folder.
DATABASE_URL = None
#: Signing key for sessions and CSRF. ``None`` means: generate one into ``instance/secret_key``.
SECRET_KEY = None

#: Spanish first, English second; the first is the default.
LANGUAGES = ("es", "en")
BABEL_DEFAULT_LOCALE = "es"
#: The site's time zone, for pages of no consultation (each consultation has its own).
BABEL_DEFAULT_TIMEZONE = "America/Lima"

#: How long a consultation stays open when its bundle fixes no window.
DEFAULT_WINDOW_DAYS = 60
#: The bundle loaded by ``consult init`` and on the first ``consult serve``.
DEFAULT_BUNDLE = "enia-2021"

#: Longest comment or long-text answer, in characters.
MAX_COMMENT_CHARS = 5000

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
#: Whether browsers reach the site over HTTPS, which makes every cookie ``Secure`` and sends
#: HSTS. "auto": only on requests that arrived over HTTPS (the local http://127.0.0.1 run
#: keeps working); True: production behind TLS, on every response; False: never.
HTTPS = "auto"
#: HSTS lifetime sent over HTTPS; 0 sends no HSTS header.
HSTS_SECONDS = 60 * 60 * 24 * 365
#: No inline script or style anywhere; charts are shown as images.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "frame-ancestors 'none'; form-action 'self'; base-uri 'none'; object-src 'none'"
)
#: Private links carry a secret token in their path: never send it to another site.
REFERRER_POLICY = "same-origin"
#: Drafts live in the browser session; keep it for the length of a consultation.
PERMANENT_SESSION_LIFETIME = 60 * 60 * 24 * 90

WTF_CSRF_TIME_LIMIT = None
#: CSRF is checked on every POST by ``security._check_request``, not by Flask-WTF's hook.
WTF_CSRF_CHECK_DEFAULT = False
SQLALCHEMY_TRACK_MODIFICATIONS = False

#: Coordinators' sign-in: after this many failures in the window, each attempt must wait
#: (2, 4, 8 … seconds); after SIGN_IN_LOCK_AFTER the account is locked for the window.
#: An address gets twice and four times these numbers.
SIGN_IN_SLOW_AFTER = 3
SIGN_IN_LOCK_AFTER = 5
SIGN_IN_LOCK_MINUTES = 15
#: A coordinator's session ends after this long, and after this long without activity.
CONSOLE_SESSION_HOURS = 12
CONSOLE_IDLE_MINUTES = 120

#: K of the open-report rule: in anything public, a group of fewer than K respondents is
#: never shown on its own (it is pooled into "Other groups"; see consult/reports/privacy.py).
REPORT_MIN_CELL = 5
#: The public results page is rebuilt at most this often per process (seconds).
REPORT_PUBLIC_CACHE_SECONDS = 300
#: A confidential XLSX built in a web request holds a raw file's rows only up to this many
#: (a workbook cannot be streamed); the CSV download and ``consult report`` hold them all.
REPORT_WEB_XLSX_RAW_ROWS = 50_000
#: Each process keeps a consultation (text, sections, questions) and the pages sent to
#: visitors without a draft for at most this many seconds; a change committed in another
#: process (another worker or machine, ``consult load-consultation``) shows within it.
#: Opening and closing follow the dates exactly. 0 keeps nothing (every page is rebuilt).
PUBLIC_CACHE_SECONDS = 10

#: The licence of the open data (``consult export-open-data``, the results page's download):
#: an SPDX id among CC-BY-4.0, CC-BY-SA-4.0, CC0-1.0, ODC-By-1.0, ODbL-1.0, PDDL-1.0, or a
#: dict {"name": …, "path": URL, "title": …} for another (in instance/config.py).
OPEN_DATA_LICENSE = "CC-BY-4.0"
#: The site's public address, e.g. "https://consulta.example.gob.pe": the open data's
#: ``homepage`` when it is written outside a web request (``consult export-open-data``).
#: None: the command leaves it out (unless SERVER_NAME is set); the download says the
#: address it was asked at.
PUBLIC_URL = None

#: The public JSON API (/api/v1/): shared caches may keep an answer this many seconds
#: before asking again (with its ETag, a 304 when nothing changed) …
API_CACHE_SECONDS = 60
#: … and a page of published comments holds at most this many (``per_page``; 20 if unsaid).
API_PER_PAGE_MAX = 100

#: Largest request body accepted, in bytes; larger ones get the 413 page. A response page
#: holds at most a few comments of MAX_COMMENT_CHARS, far below this.
MAX_CONTENT_LENGTH = 256 * 1024
#: ``consult serve`` reads every request whole before a thread takes it (slow or idle clients
#: hold no thread). A client must send the request line and headers within this many
#: seconds (a kept-alive connection left idle as long is closed too) …
REQUEST_HEADER_TIMEOUT = 10
#: … and the body within this many: a response page is a few KB, a minute is ample on the
#: slowest mobile link. A client that is slower gets its connection closed.
REQUEST_BODY_TIMEOUT = 60

#: Rate limits, counted per client address (an IPv6 address counts by its /64 network).
#: Syntax: Flask-Limiter's, several joined by ";", e.g. "60 per minute;600 per hour".
#: RATELIMIT_ENABLED = False switches every limit off (CONSULT_RATELIMIT_ENABLED=false).
RATELIMIT_ENABLED = True
#: Where the counts live. None: a SQLite file in the instance folder (ratelimits.db), shared
#: by every worker of `consult serve` on this machine, so each limit holds for the whole
#: server with nothing more to install. A Redis, e.g. "redis://127.0.0.1:6379", when
#: several machines serve the site; "memory://" counts in each process alone.
RATELIMIT_STORAGE_URL = None
#: Every write (any POST: public pages, sign-in, console), all pages together.
RATELIMIT_WRITE = "120 per minute;3000 per hour"
#: Starting a response (the profile step), on top of RATELIMIT_WRITE. Generous enough for
#: a workshop of people behind one shared address, far below a flood.
RATELIMIT_START_RESPONSE = "20 per minute;300 per hour"
#: Posting the sign-in form, on top of RATELIMIT_WRITE and the per-account throttling.
RATELIMIT_SIGN_IN = "10 per minute;60 per hour"
#: Every request to the public JSON API (/api/…, reads included), all its endpoints
#: together. A refusal is a 429 problem (application/problem+json) with Retry-After.
RATELIMIT_API = "60 per minute;1000 per hour"
#: Number of reverse proxies in front of the app that set X-Forwarded-For/-Proto. 0 (the
#: default) trusts no such header: the client address is the connection's.
PROXY_COUNT = 0

#: A response form sent sooner than this after it was shown (or a submit this soon after
#: the response was started) is treated as automated and refused. 0 disables the check.
RESPONSE_MIN_FILL_SECONDS = 3
#: The console points out an address (hashed) shared by at least this many responses.
ADDRESS_FLOOD_THRESHOLD = 10

# --- Insight (consult/insight, consult/systematising) ---
#: Near copies: estimated Jaccard similarity of word shingles at or above this join a cluster.
INSIGHT_COPY_THRESHOLD = 0.8
#: Template campaigns: a shared passage of at least this share of the shorter text.
INSIGHT_TEMPLATE_SHARE = 0.6
#: At most this many suggested themes per section or open question.
INSIGHT_MAX_THEMES = 12
#: At most this many opinion groups.
INSIGHT_MAX_GROUPS = 6
#: A running run that has given no sign of life for this long is taken as dead.
INSIGHT_STALE_MINUTES = 30

# --- Emailed receipts (consult/mail, docs/mail.md) ---
#: The SMTP server receipts are sent through, e.g. "smtp.example.gob.pe". None: this site
#: sends no email (nothing is queued, and the receipt page says to keep the link).
MAIL_SERVER = None
#: Its port: 25, or 587 for submission with MAIL_USE_TLS.
MAIL_PORT = 25
#: Upgrade the connection with STARTTLS before anything else is said.
MAIL_USE_TLS = False
#: Log in with these when MAIL_USERNAME is set (CONSULT_MAIL_PASSWORD keeps the password
#: out of files). The password never appears in the console or the logs.
MAIL_USERNAME = None
MAIL_PASSWORD = None
#: The address receipts come from, e.g. "Consulta ENIA <no-responder@example.gob.pe>".
#: Required to send; the private link's host is PUBLIC_URL's (else SERVER_NAME's).
MAIL_DEFAULT_SENDER = None
#: Seconds to wait for the mail server at each step of a conversation.
MAIL_TIMEOUT = 30
#: A message is given up ("failed", shown in the console) after this many failed attempts;
#: between attempts the worker waits 1, 2, 4 … minutes (at most four hours).
MAIL_MAX_ATTEMPTS = 8
#: The worker looks for messages due this often (seconds).
MAIL_POLL_SECONDS = 15
#: Whether ``consult serve`` sends mail on a thread of its own (``--no-mail`` also turns it
#: off); False when ``consult send-mail`` runs as a service of its own instead.
MAIL_WORKER = True

# --- Position papers (consult/papers, docs/position-papers.md) ---
#: A response may carry at most this many position papers (PDF files) …
PAPER_MAX_FILES = 3
#: … of at most this many bytes each. The upload route alone accepts a request body this
#: large (plus a little for the form's other fields); every other route keeps
#: MAX_CONTENT_LENGTH.
PAPER_MAX_BYTES = 5 * 1024 * 1024
#: Where the files are kept, outside the web root. None: the instance folder's papers/.
PAPER_STORAGE_DIR = None
