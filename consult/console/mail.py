"""Receipts by email (/console/c/<slug>/mail): the outbox's counts, the messages not sent
with their last error, and "try again now" for one given up (audited).

Addresses and sealed links are never shown: a coordinator sees the response's reference.
"""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm

from ..mail.outbox import RetryRefused, outbox_summary, retry_now, sends_mail
from ..public.routes import load_consultation
from . import bp


@bp.get("/c/<slug>/mail")
def show_mail(slug: str):
    """How many receipts are waiting, sent and given up; those not sent, failed first."""
    consultation = load_consultation(slug)
    return render_template(
        "console/mail.html",
        consultation=consultation,
        summary=outbox_summary(consultation),
        sends_mail=sends_mail(),
        max_attempts=current_app.config["MAIL_MAX_ATTEMPTS"],
        form=FlaskForm(),
    )


@bp.post("/c/<slug>/mail/<int:mail_id>/retry")
def retry_mail(slug: str, mail_id: int):
    """Queue a receipt that was given up again, due now (the worker sends it)."""
    consultation = load_consultation(slug)
    if not FlaskForm().validate_on_submit():
        abort(400)
    try:
        retry_now(consultation, mail_id, current_user)
    except LookupError:
        abort(404)
    except RetryRefused:
        flash(_("Only a message that was given up can be tried again."), "error")
    else:
        flash(_("The message will be tried again in a moment."), "success")
    return redirect(url_for("console.show_mail", slug=slug))
