"""Security headers, cookie flags and a request id on every response.

The policy allows no inline script and no inline style: every page's look comes from
``static/css``. Charts are SVG drawn by matplotlib, whose elements carry ``style``
attributes that such a policy blocks inside a page; ``chart_image`` therefore shows a
chart as an ``<img>`` of a ``data:`` URL, a separate document the page's policy does not
restyle.

No cache may keep a page that shows a person's own data: every reply gets
``Cache-Control: no-store, private`` unless it set its own (static files, chart images)
or its view marked it the same for everyone (``same_for_everyone``, ``shareable``: the
list of consultations, the published results, a reader's page without a draft).
Private is the default, so a new page is private until someone decides otherwise.

HTTPS decides the rest: ``HTTPS = "auto"`` (the default) marks cookies ``Secure`` and sends
HSTS only on requests that arrived over HTTPS, so the local ``consult serve`` on
http://127.0.0.1 keeps working; ``HTTPS = True`` (production, behind TLS) does it on every
response, whatever a proxy forwards; ``HTTPS = False`` never does.
"""

from __future__ import annotations

import re
import secrets
from base64 import b64encode
from functools import wraps

from flask import (
    Flask,
    abort,
    current_app,
    g,
    has_request_context,
    make_response,
    request,
    session,
)
from flask.sessions import SecureCookieSessionInterface
from markupsafe import Markup
from werkzeug.wrappers import Response as WerkzeugResponse

from ..extensions import csrf

#: An id a proxy or client sent is reused only when it is short and plain.
_SANE_REQUEST_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{7,63}")
#: Every reply not marked the same for everyone: a person's own answers, email or
#: console must stay out of shared caches (proxies, CDNs) and off the browser's disk.
PRIVATE = "no-store, private"
_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}


def https_mode(app: Flask) -> bool | str:
    """The ``HTTPS`` setting as True, False or "auto" (strings from files are accepted)."""
    value = app.config.get("HTTPS", "auto")
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    if text == "auto":
        return "auto"
    raise ValueError(f"HTTPS must be true, false or auto, not {value!r}")


def served_over_https() -> bool:
    """Whether this response goes to a browser that reached us over HTTPS."""
    mode = https_mode(current_app)
    if mode == "auto":
        return has_request_context() and request.is_secure
    return bool(mode)


def request_id() -> str:
    """This request's id: the ``X-Request-ID`` sent by a proxy if sane, else a new one."""
    if "request_id" not in g:
        sent = request.headers.get("X-Request-ID", "")
        g.request_id = sent if _SANE_REQUEST_ID.fullmatch(sent) else secrets.token_hex(8)
    return g.request_id


class SessionInterface(SecureCookieSessionInterface):
    """Flask's signed-cookie session, ``Secure`` whenever the site is served over HTTPS."""

    def get_cookie_secure(self, app: Flask) -> bool:
        return served_over_https() or bool(app.config.get("SESSION_COOKIE_SECURE"))

    def save_session(self, app: Flask, session, response) -> None:
        if g.get("without_session"):
            return  # ``without_session``: no cookie, no ``Vary: Cookie``
        super().save_session(app, session, response)

    def get_signing_serializer(self, app: Flask):
        """Flask builds the serializer twice a request; it depends only on the keys."""
        keys = (*(app.config.get("SECRET_KEY_FALLBACKS") or ()), app.secret_key)
        kept = self.__dict__.setdefault("_serializers", {})
        if keys not in kept:
            kept[keys] = super().get_signing_serializer(app)
        return kept[keys]


def _harden_cookie(header: str, secure: bool) -> str:
    """Add HttpOnly, SameSite=Lax and (over HTTPS) Secure to a Set-Cookie value lacking them."""
    attributes = {part.strip().split("=", 1)[0].lower() for part in header.split(";")[1:]}
    if "httponly" not in attributes:
        header += "; HttpOnly"
    if "samesite" not in attributes:
        header += "; SameSite=Lax"
    if secure and "secure" not in attributes:
        header += "; Secure"
    return header


def same_for_everyone() -> None:
    """Mark this reply as the page every visitor gets: it goes without ``PRIVATE``.

    Only for a page that shows nothing of the person (no draft, no message, no form
    token made for them); every other reply is private.
    """
    g.same_for_everyone = True


def without_session() -> None:
    """Send this reply without the session's cookie and without ``Vary: Cookie``.

    For replies that read nothing of the session and that shared caches may keep (the
    JSON API): a visitor's permanent session would otherwise be refreshed on each reply,
    and a cache could hand their cookie to the next reader.
    """
    g.without_session = True


def shareable(view):
    """For a view whose page is the same for everyone unless it carries something of
    this visitor's (a message left for them, a form token made for them)."""

    @wraps(view)
    def wrapper(*args, **kwargs):
        message_waiting = "_flashes" in session
        response = make_response(view(*args, **kwargs))
        if response.status_code == 200 and not message_waiting and made_for_anyone():
            same_for_everyone()
        return response

    return wrapper


def made_for_anyone() -> bool:
    """Whether the page just made carries no form token nor new message for this visitor."""
    # A coordinator's preview of a consultation in preparation is never for anyone else.
    return "csrf_token" not in g and "_flashes" not in session and not g.get("previewing")


def _set_headers(response: WerkzeugResponse) -> WerkzeugResponse:
    config = current_app.config
    headers = response.headers
    # One pass over the headers already set: each setdefault() would scan them again.
    present = {name.lower() for name, _value in headers.items()}
    secure = served_over_https()
    wanted = [
        ("Content-Security-Policy", config["CONTENT_SECURITY_POLICY"]),
        ("X-Content-Type-Options", "nosniff"),
        ("X-Frame-Options", "DENY"),
        ("Referrer-Policy", config["REFERRER_POLICY"]),
        ("Cross-Origin-Opener-Policy", "same-origin"),
    ]
    if secure and config["HSTS_SECONDS"]:
        wanted.append(("Strict-Transport-Security", f"max-age={int(config['HSTS_SECONDS'])}"))
    for name, value in wanted:
        if name.lower() not in present:
            headers.add(name, value)
    if "cache-control" not in present and not g.get("same_for_everyone"):
        headers.add("Cache-Control", PRIVATE)
    if "x-request-id" in present:
        del headers["X-Request-ID"]
    headers.add("X-Request-ID", request_id())
    cookies = headers.getlist("Set-Cookie") if "set-cookie" in present else []
    if cookies:
        headers.setlist("Set-Cookie", [_harden_cookie(c, secure) for c in cookies])
    return response


def chart_image(svg: str | None) -> Markup:
    """Show an inline SVG chart as an image, so its style attributes survive the policy."""
    if not svg:
        return Markup("")
    data = b64encode(svg.encode("utf-8")).decode("ascii")
    return Markup('<img alt="" src="data:image/svg+xml;base64,{}">').format(data)


def accepts_files(view=None, *, fields: tuple[str, ...] | None = None):
    """For a view whose form takes a file (with a ``FileField``): its files are let
    through the check below, and the form validates them itself. With ``fields``
    (``@accepts_files(fields=("bundle",))``), a file under any other name is refused too:
    Flask-WTF would hand it to a text field, and that field's validators to a 500."""

    def mark(view):
        view.accepts_files = frozenset(fields) if fields is not None else True
        return view

    return mark(view) if view is not None else mark


def _files_refused() -> bool:
    """Whether this POST's files are more than its view takes."""
    accepted = getattr(current_app.view_functions.get(request.endpoint), "accepts_files", False)
    if accepted is True:
        return False
    return not accepted or not set(request.files) <= accepted


def _check_request() -> None:
    """Before every view: give the request its id, refuse files, check CSRF on writes.

    No form takes a file but the views marked ``accepts_files`` (in the fields they name):
    Flask-WTF would hand an uploaded file to a text field (and its validators to a 500),
    so a POST carrying other files is refused before any form reads it. CSRF is checked
    here, on the methods that need it, instead of by Flask-WTF's own hook
    (``WTF_CSRF_CHECK_DEFAULT`` is off), which looks up exempt views first on every
    request: a tenth of the time of a reader's page.
    """
    request_id()
    config = current_app.config
    if request.method not in config["WTF_CSRF_METHODS"] or not request.endpoint:
        return  # a read, or no such page (its 404 or 405 follows)
    if request.method == "POST" and request.files and _files_refused():
        abort(400)
    if config["WTF_CSRF_ENABLED"]:
        csrf.protect()


def init_app(app: Flask) -> None:
    https_mode(app)  # a wrong value fails at start, not on the first request
    app.session_interface = SessionInterface()
    app.before_request(_check_request)
    app.after_request(_set_headers)
    app.jinja_env.globals["request_id"] = request_id
    app.jinja_env.filters["chart_image"] = chart_image
