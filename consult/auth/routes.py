"""Sign-in and sign-out."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required, login_user, logout_user
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField
from wtforms.validators import InputRequired, Length

from ..public.forms import plain_text
from ..reviewing import accounts
from ..web.limits import sign_in_limit
from . import bp
from .sessions import end_console_session, start_console_session


class SignInForm(FlaskForm):
    email = EmailField(
        _l("Email"),
        validators=[InputRequired(_l("Please enter your email.")), Length(max=254), plain_text],
    )
    password = PasswordField(
        _l("Password"),
        validators=[InputRequired(_l("Please enter your password.")), Length(max=1024)],
    )


def _safe_next(target: str | None) -> str:
    if target and target.startswith("/console") and "//" not in target and "\\" not in target:
        return target
    return url_for("console.show_dashboard")


@bp.route("/sign-in", methods=["GET", "POST"])
@sign_in_limit
def sign_in():
    """Sign a coordinator in; refuse with a clear message when throttled or locked."""
    if current_user.is_authenticated:
        return redirect(url_for("console.show_dashboard"))
    form = SignInForm()
    status = 200
    if form.validate_on_submit():
        try:
            user = accounts.authenticate(
                form.email.data, form.password.data, request.remote_addr or "unknown"
            )
        except accounts.SignInRefused as refusal:
            status = 429 if refusal.reason != "invalid" else 401
            form.form_errors.append(_refusal_message(refusal))
        else:
            lang = session.get("lang")
            session.clear()  # nothing from before sign-in survives it (fixation)
            if lang:
                session["lang"] = lang
            login_user(user)
            start_console_session(user)
            return redirect(_safe_next(request.args.get("next")))
    elif form.errors:
        status = 422
    return render_template("auth/sign_in.html", form=form), status


def _refusal_message(refusal: accounts.SignInRefused) -> str:
    if refusal.reason == "locked":
        minutes = max(1, (refusal.seconds + 59) // 60)
        return _(
            "Too many failed attempts: sign-in is locked for %(minutes)d more minute(s).",
            minutes=minutes,
        )
    if refusal.reason == "slowed":
        return _(
            "Several attempts failed. Please wait %(seconds)d second(s) before trying again.",
            seconds=refusal.seconds,
        )
    return _("That email and password do not match an active account.")


@bp.post("/sign-out")
@login_required
def sign_out():
    """End this browser's session on the server, not only its cookie."""
    form = FlaskForm()
    if form.validate_on_submit():
        end_console_session(signed_out=current_user._get_current_object())
        logout_user()
        flash(_("You have signed out."), "success")
    return redirect(url_for("auth.sign_in"))
