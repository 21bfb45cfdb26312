"""Coordinators' sessions: a row on the server named by a token in the signed cookie.

Signing out, or a session grown too old or idle, deletes the row: a copy of the cookie
then opens nothing (``reviewing.accounts.open_session``). Only that browser's session
ends; deactivating an account or changing its role ends all of them.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from flask import current_app, session
from flask_babel import lazy_gettext as _l
from flask_login import current_user, logout_user

from ..extensions import login_manager
from ..models import User
from ..models.columns import utcnow
from ..reviewing.accounts import close_session, load_session_user, open_session

login_manager.login_view = "auth.sign_in"
login_manager.login_message = _l("Please sign in to use the console.")
login_manager.login_message_category = "info"
login_manager.session_protection = "strong"

_SINCE, _SEEN, _TOKEN = "console_since", "console_seen", "console_session"


@login_manager.user_loader
def _load_user(session_id: str) -> User | None:
    return load_session_user(session_id, session.get(_TOKEN))


def start_console_session(user: User) -> None:
    """Open ``user``'s session on the server; the browser keeps its token."""
    session[_TOKEN] = open_session(user)
    now = utcnow().isoformat()
    session[_SINCE] = session[_SEEN] = now


def end_console_session(*, signed_out: User | None = None) -> None:
    """End this browser's session on the server and forget it here."""
    session.pop(_SINCE, None)
    session.pop(_SEEN, None)
    close_session(session.pop(_TOKEN, None), signed_out=signed_out)


def console_session_expired() -> bool:
    """End a signed-in session that is too old or was idle too long."""
    if not current_user.is_authenticated:
        return False
    config = current_app.config
    now = utcnow()
    try:
        since = datetime.fromisoformat(session[_SINCE])
        seen = datetime.fromisoformat(session[_SEEN])
    except (KeyError, TypeError, ValueError):
        since = seen = datetime.min
    too_old = now - since > timedelta(hours=config["CONSOLE_SESSION_HOURS"])
    idle = now - seen > timedelta(minutes=config["CONSOLE_IDLE_MINUTES"])
    if too_old or idle:
        logout_user()
        end_console_session()
        return True
    session[_SEEN] = now.isoformat()
    return False
