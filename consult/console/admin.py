"""Administration under /console/admin: accounts, and the audit trail (read-only).

The whole blueprint is for administrators only (``require_admin`` in ``__init__``).
Passwords of new accounts are generated, shown once in the reply to the form, and never
stored or sent anywhere else in clear.
"""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import EmailField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import (
    AnyOf,
    Email,
    InputRequired,
    Length,
    Optional,
    ValidationError,
)

from ..extensions import db
from ..models import AuditEntry, User
from ..models.vocab import Role
from ..models.zones import day_start
from ..public.forms import plain_text
from ..reviewing import accounts
from ..web.paging import page_number, paginate
from . import admin_bp

_ROLE_CODES = [role.value for role in Role]
_ROLE_CHOICES = [SelectChoice(code, label) for code, label in Role.choices()]
_ROLE_MESSAGE = _l("Please choose a role from the list.")
#: Largest id a filter may ask for: the columns are 32-bit integers on PostgreSQL.
_MAX_ID = 2**31 - 1


class NewUserForm(FlaskForm):
    email = EmailField(
        _l("Email"),
        validators=[
            InputRequired(_l("Please enter an email address.")),
            Length(max=254),
            plain_text,
            Email(_l("Please enter a valid email address.")),
        ],
    )
    role = SelectField(
        _l("Role"),
        choices=_ROLE_CHOICES,
        default=Role.COORDINATOR.value,
        validate_choice=False,
        validators=[InputRequired(_ROLE_MESSAGE), AnyOf(_ROLE_CODES, _ROLE_MESSAGE)],
    )

    def validate_email(self, field: EmailField) -> None:
        if field.errors:  # not an address at all: nothing to look up
            return
        email = accounts.normalise_email(field.data)
        if db.session.scalar(sa.select(User.id).filter_by(email=email)) is not None:
            raise ValidationError(_l("An account with this email exists already."))


class UserUpdateForm(FlaskForm):
    """One row's change: a new role, or "active" yes/no (either form posts here)."""

    role = StringField(validators=[Optional(), AnyOf(_ROLE_CODES, _ROLE_MESSAGE)])
    active = StringField(
        validators=[Optional(), AnyOf(["yes", "no"], _l("Please choose active or deactivated."))]
    )

    def validate(self, extra_validators=None) -> bool:
        if not super().validate(extra_validators):
            return False
        if not self.role.data and not self.active.data:
            self.role.errors.append(_("Please choose a role or a status."))
            return False
        return True


class DayField(StringField):
    """A day typed as YYYY-MM-DD: kept as typed for the form, read into ``day``."""

    day: date | None = None

    def pre_validate(self, form: Any) -> None:
        self.day = None
        if not self.data:
            return
        try:
            day = datetime.strptime(self.data.strip(), "%Y-%m-%d").date()
        except ValueError:
            message = _("Please enter a date as YYYY-MM-DD, such as 2025-03-01.")
            raise ValidationError(message) from None
        if not 1900 <= day.year <= 9998:  # so the day after always exists
            raise ValidationError(_("Please enter a date between 1900 and 9998."))
        self.day = day


def _object_number(_form: Any, field: StringField) -> None:
    if field.data and not (field.data.isdecimal() and 0 < int(field.data) <= _MAX_ID):
        raise ValidationError(_l("Please enter a whole number greater than zero."))


def _offered(_form: Any, field: SelectField) -> None:
    if field.data not in {choice.value for choice in field.choices}:
        raise ValidationError(_l("Please choose a value from the list."))


class AuditFilterForm(FlaskForm):
    class Meta:
        csrf = False  # a GET search that changes nothing

    actor = StringField(
        _l("Who (email or part of it)"), validators=[Optional(), Length(max=254), plain_text]
    )
    action = SelectField(_l("Action"), validate_choice=False, validators=[Optional(), _offered])
    object_type = SelectField(
        _l("Object type"), validate_choice=False, validators=[Optional(), _offered]
    )
    object_id = StringField(_l("Object number"), validators=[_object_number])
    date_from = DayField(_l("From (YYYY-MM-DD)"))
    date_to = DayField(_l("To (YYYY-MM-DD)"))

    def validate(self, extra_validators=None) -> bool:
        if not super().validate(extra_validators):
            return False
        if self.date_from.day and self.date_to.day and self.date_from.day > self.date_to.day:
            self.date_to.errors.append(_("The end date comes before the start date."))
            return False
        return True


# ---------------------------------------------------------------- accounts


def _users_page(form: NewUserForm, *, status: int = 200, row_errors: dict | None = None):
    users = db.session.scalars(sa.select(User).order_by(User.email)).all()
    return (
        render_template(
            "console/admin/users.html",
            users=users,
            form=form,
            roles=Role.choices(),
            row_errors=row_errors or {},
        ),
        status,
    )


@admin_bp.get("/users")
def list_users():
    """Accounts with their role and status, a form to add one, and per-row changes."""
    return _users_page(NewUserForm(formdata=None))


@admin_bp.post("/users")
def create_user():
    """Create an account with a generated password, shown once in this reply."""
    form = NewUserForm()
    if not form.validate_on_submit():
        return _users_page(form, status=422)
    try:
        user, password = accounts.create_user(
            form.email.data, Role(form.role.data), actor=current_user._get_current_object()
        )
    except accounts.AccountError:
        db.session.rollback()
        form.email.errors.append(_("This account could not be created. Please check the email."))
        return _users_page(form, status=422)
    return render_template("console/admin/user_created.html", user=user, password=password)


@admin_bp.post("/users/<int:user_id>")
def update_user(user_id: int):
    """Change one account's role, or deactivate or reactivate it (ending its sessions)."""
    user = db.session.get(User, user_id)
    if user is None:
        abort(404)
    form = UserUpdateForm()
    if not form.validate_on_submit():
        message = next((errors[0] for errors in form.errors.values()), "")
        return _users_page(NewUserForm(formdata=None), status=422, row_errors={user.id: message})
    role = Role(form.role.data) if form.role.data else None
    active = {"yes": True, "no": False}.get(form.active.data or "")
    before = (user.role, user.active)
    try:
        accounts.update_user(
            user, actor=current_user._get_current_object(), role=role, active=active
        )
    except accounts.AccountError:
        db.session.rollback()
        message = _("You cannot deactivate or demote your own account. Nothing was changed.")
        return _users_page(NewUserForm(formdata=None), status=422, row_errors={user.id: message})
    flash(_update_message(user, before), "success")
    return redirect(url_for("console.admin.list_users"))


def _update_message(user: User, before: tuple[Role, bool]) -> str:
    if (user.role, user.active) == before:
        return _("Nothing changed for %(email)s.", email=user.email)
    if user.active != before[1]:
        if user.active:
            return _("%(email)s was reactivated.", email=user.email)
        return _("%(email)s was deactivated and signed out.", email=user.email)
    return _(
        "%(email)s is now: %(role)s. Their open sessions have ended.",
        email=user.email,
        role=user.role.label,
    )


# ---------------------------------------------------------------- audit trail


def _utc_start_of(day: date) -> datetime:
    """Midnight at the start of ``day`` in the site's time zone, as stored (naive UTC):
    the audit trail belongs to no consultation, so it has no zone of its own."""
    return day_start(day, current_app.config["BABEL_DEFAULT_TIMEZONE"])


def _choices(column, anything: str) -> list[SelectChoice]:
    """A filter's choices: "any", then each code present in ``column``."""
    codes = db.session.scalars(sa.select(column).distinct().order_by(column))
    return [SelectChoice("", anything)] + [SelectChoice(code, code) for code in codes]


def compact_json(value: Any) -> str:
    """One line of JSON for a before/after cell (the template escapes it)."""
    if value is None:
        return ""
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(", ", ": "))


@admin_bp.get("/audit")
def list_audit():
    """The audit trail, newest first, filtered by who, what, on what and when."""
    form = AuditFilterForm(formdata=request.args)
    form.action.choices = _choices(AuditEntry.action, _("Any action"))
    form.object_type.choices = _choices(AuditEntry.object_type, _("Any type"))
    if not form.validate():
        return render_template("console/admin/audit.html", form=form, page=None), 422

    stmt = sa.select(AuditEntry).order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
    if form.actor.data:
        stmt = stmt.where(AuditEntry.actor_email.icontains(form.actor.data, autoescape=True))
    if form.action.data:
        stmt = stmt.where(AuditEntry.action == form.action.data)
    if form.object_type.data:
        stmt = stmt.where(AuditEntry.object_type == form.object_type.data)
    if form.object_id.data:
        stmt = stmt.where(AuditEntry.object_id == int(form.object_id.data))
    if form.date_from.day:
        stmt = stmt.where(AuditEntry.at >= _utc_start_of(form.date_from.day))
    if form.date_to.day:
        stmt = stmt.where(AuditEntry.at < _utc_start_of(form.date_to.day + timedelta(days=1)))
    page = paginate(stmt, page_number(request.args.get("page")))
    return render_template(
        "console/admin/audit.html", form=form, page=page, compact_json=compact_json
    )
