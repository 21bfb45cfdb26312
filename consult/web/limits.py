"""Rate limits on every write and on sign-in (Flask-Limiter), counted per client address.

The limits are read from the config at each request (``RATELIMIT_WRITE``,
``RATELIMIT_START_RESPONSE``, ``RATELIMIT_SIGN_IN``), so a deployment or a test changes
them without code. A refusal raises a 429, which ``errors.py`` renders as the bilingual
page; the limiter adds ``Retry-After``. The counts live in this process (``memory://``)
or in Redis (``RATELIMIT_STORAGE_URL``) when several processes must share them; if Redis
goes away, each process falls back to counting alone rather than refusing everyone.
"""

from __future__ import annotations

import ipaddress

from flask import Flask, current_app, request
from flask_limiter import Limiter
from werkzeug.middleware.proxy_fix import ProxyFix

#: Methods that change something; reading is never limited.
WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def client_address() -> str:
    """Where the request came from; an IPv6 address counts by its /64 network.

    One IPv6 host usually owns a whole /64, so counting single addresses would let it
    rotate through millions of them.
    """
    raw = request.remote_addr or ""
    try:
        address = ipaddress.ip_address(raw)
    except ValueError:
        return raw or "unknown"
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            return str(address.ipv4_mapped)
        return str(ipaddress.IPv6Network((address, 64), strict=False))
    return str(address)


def _configured(name: str):
    return lambda: current_app.config[name]


def _not_a_write() -> bool:
    return request.method not in WRITE_METHODS


limiter = Limiter(
    key_func=client_address,
    application_limits=[_configured("RATELIMIT_WRITE")],
    application_limits_exempt_when=_not_a_write,
    headers_enabled=True,
    key_prefix="consult",
    # A broken Redis must not stop responses from being saved: count in memory instead.
    swallow_errors=True,
    in_memory_fallback_enabled=True,
)

#: Stricter limit on posting the sign-in form.
sign_in_limit = limiter.limit(_configured("RATELIMIT_SIGN_IN"), methods=["POST"])
#: Stricter limit on the profile step, which starts a response.
start_response_limit = limiter.limit(_configured("RATELIMIT_START_RESPONSE"), methods=["POST"])


@limiter.request_filter
def _switched_off() -> bool:
    """Honour each app's own switch (the limiter object is shared by every app in a process)."""
    return not current_app.config.get("RATELIMIT_ENABLED", True)


def init_app(app: Flask) -> None:
    """Trust the configured proxies, point the limiter at its storage and bind it."""
    proxies = int(app.config.get("PROXY_COUNT") or 0)
    if proxies > 0:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies)  # type: ignore[method-assign]
    app.config["RATELIMIT_ENABLED"] = _as_bool(app.config.get("RATELIMIT_ENABLED", True))
    app.config["RATELIMIT_STORAGE_URI"] = app.config.get("RATELIMIT_STORAGE_URL") or "memory://"
    limiter.init_app(app)


def _as_bool(value: object) -> bool:
    """``CONSULT_RATELIMIT_ENABLED=false`` arrives parsed; "off"/"no"/"0" as text are false too."""
    if isinstance(value, str):
        return value.strip().lower() not in {"", "0", "false", "no", "off"}
    return bool(value)
