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
#: Dates are shown in Peru's time zone; they are stored in UTC.
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

#: Open (public) reports show counts below this as "<K" (small-cell suppression).
REPORT_MIN_CELL = 5
#: The public results page is rebuilt at most this often per process (seconds).
REPORT_PUBLIC_CACHE_SECONDS = 300
