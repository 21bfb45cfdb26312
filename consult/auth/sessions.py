"""Coordinators' sessions: loaded from the signed cookie, ended when they grow stale."""

from __future__ import annotations

from datetime import datetime, timedelta

from flask import current_app, session
from flask_babel import lazy_gettext as _l
from flask_login import current_user, logout_user

from ..extensions import login_manager
from ..models.columns import utcnow
from ..reviewing.accounts import load_session_user

login_manager.login_view = "auth.sign_in"
login_manager.login_message = _l("Please sign in to use the console.")
login_manager.login_message_category = "info"
login_manager.session_protection = "strong"
login_manager.user_loader(load_session_user)

_SINCE, _SEEN = "console_since", "console_seen"


def start_console_session() -> None:
    now = utcnow().isoformat()
    session[_SINCE] = session[_SEEN] = now


def end_console_session() -> None:
    session.pop(_SINCE, None)
    session.pop(_SEEN, None)


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
