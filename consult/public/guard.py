"""Telling a person from a script on the response forms, and one form from its replay.

A bot fills every field it finds and posts at once; a person never sees the honeypot
field and takes more than a few seconds. The form that starts a response carries a
signed token (a random nonce and the moment the form was shown): its age gives the fill
time without trusting the client, and its nonce, kept unique in ``Response.form_token``,
makes sending the same form twice give back the same response.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from flask import current_app
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from itsdangerous import BadData, URLSafeTimedSerializer
from wtforms import HiddenField, StringField

from ..models.columns import utcnow

#: Name of the field no person sees or fills in.
HONEYPOT_FIELD = "website"
#: Name of the hidden field with the signed form token.
FORM_TOKEN_FIELD = "form_token"
_SALT = "consult.response-form"


@dataclass(frozen=True)
class FormToken:
    nonce: str
    #: When the form was shown (naive UTC, as stored timestamps are).
    issued_at: datetime


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=_SALT)


def issue_form_token() -> str:
    """A new signed token for a form being shown now."""
    return str(_serializer().dumps(secrets.token_urlsafe(24)))


def read_form_token(value: object) -> FormToken | None:
    """The token's nonce and issue time, or None if it is missing, altered or not ours."""
    if not isinstance(value, str) or not value or len(value) > 200:
        return None
    try:
        nonce, issued = _serializer().loads(value, return_timestamp=True)
    except BadData:
        return None
    if not isinstance(nonce, str) or not 16 <= len(nonce) <= 64:
        return None
    return FormToken(nonce, issued.astimezone(UTC).replace(tzinfo=None))


def too_soon(since: datetime) -> bool:
    """Whether less than RESPONSE_MIN_FILL_SECONDS have passed since ``since``."""
    seconds = float(current_app.config.get("RESPONSE_MIN_FILL_SECONDS") or 0)
    return seconds > 0 and utcnow() - since < timedelta(seconds=seconds)


#: What a refused form is told. A person who was only quick sends it again.
AUTOMATED = _l(
    "This form looked automated, so it was not accepted and nothing was saved."
    " If you filled it in yourself, please check it and send it again."
)
TOO_FAST = _l(
    "This form was sent faster than a person can fill it in, so it was not accepted and"
    " nothing was saved. Please check your answers and send it again."
)
STALE = _l(
    "This form is incomplete or out of date, so it was not accepted and nothing was"
    " saved. Please check your answers and send it again."
)


class HoneypotForm(FlaskForm):
    """A form with a field only a script fills in (hidden from sight, keyboard and readers)."""

    website = StringField(_l("Leave this field empty"))

    def caught(self) -> bool:
        """True when the honeypot was filled in; it is emptied for the page shown back."""
        data = self.website.data
        # Anything but blank text (a file, say) is a script's doing as well.
        filled = not isinstance(data, str | None) or bool((data or "").strip())
        self.website.data = ""
        return filled


class StartForm(HoneypotForm):
    """A honeypot form that also carries the signed form token."""

    form_token = HiddenField()

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.token: FormToken | None = read_form_token(self.form_token.data)
        if self.token is None:
            # Shown for the first time, or sent back without a usable token: a fresh one.
            self.form_token.data = issue_form_token()

    def refusal(self, *, starting: bool = True) -> str | None:
        """Why this form is refused, or None when it looks like a person's.

        The token and the fill time matter only when the form starts a response.
        """
        if self.caught():
            return str(AUTOMATED)
        if not starting:
            return None
        if self.token is None:
            return str(STALE)
        if too_soon(self.token.issued_at):
            # The same token goes back in the page: sent again a moment later, it passes.
            return str(TOO_FAST)
        return None
