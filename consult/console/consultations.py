"""A consultation's own fields in the console (issue 17): an admin creates one
(/console/admin/consultations/new) and archives it (/console/admin/c/<slug>/archive);
whoever may edit it (``editing``) changes its texts, dates, contact and privacy notice
(/console/c/<slug>/edit). Dates are typed in the consultation's time zone and stored as
naive UTC; every refusal is shown beside its field, in the page's language, with nothing
written.
"""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import Field, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional, ValidationError

from ..authoring import consultations as ops
from ..authoring.access import can_edit
from ..extensions import db
from ..models import Consultation
from ..models.vocab import Stage
from ..models.zones import DEFAULT_TIME_ZONE, in_zone, zone_info
from ..outcome import stages
from ..public.forms import plain_text
from ..public.routes import load_consultation
from . import admin_bp, bp
from .editing import editable_consultation

#: How a date and time may be typed (the first is what a datetime-local input sends).
_MOMENT_FORMATS = ("%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d")
_REQUIRED = _l("Please fill this in.")


def _moment(form, field: Field) -> None:
    """A date and time as typed (no zone), or a clear message."""
    field.moment = None
    text = (field.data or "").strip()
    for fmt in _MOMENT_FORMATS:
        try:
            field.moment = datetime.strptime(text, fmt)
            return
        except ValueError:
            continue
    raise ValidationError(_l("Please give a date and time such as 2027-03-01T09:00."))


def _zone(form, field: Field) -> None:
    try:
        zone_info((field.data or "").strip())
    except ValueError:
        raise ValidationError(
            _l("Please give a time zone by its name, such as America/Lima.")
        ) from None


def _text(label, limit: int | None = 300, required: bool = True, **kwargs) -> Field:
    checks = [InputRequired(_REQUIRED)] if required else [Optional()]
    if limit:
        checks.append(Length(max=limit, message=_l("At most %(max)d characters, please.")))
    checks.append(plain_text)
    field = StringField if limit else TextAreaField
    return field(label, validators=checks, **kwargs)


class ConsultationForm(FlaskForm):
    """The consultation's own fields; ``slug`` only when it is created."""

    slug = StringField(
        _l("Web address"),
        description=_l(
            "The end of its web address (/c/…): lowercase letters, digits and hyphens, such"
            " as datos-personales-2027. It cannot change once created."
        ),
        validators=[InputRequired(_l("Please enter the consultation's address.")), plain_text],
    )
    title_es = _text(_l("Title in Spanish"))
    title_en = _text(_l("Title in English"))
    organiser_es = _text(_l("Organiser in Spanish"))
    organiser_en = _text(_l("Organiser in English"))
    summary_md_es = _text(
        _l("Introduction in Spanish"), None, description=_l("Markdown: no HTML is kept.")
    )
    summary_md_en = _text(
        _l("Introduction in English"), None, description=_l("Markdown: no HTML is kept.")
    )
    opens_at = StringField(
        _l("Opens"),
        description=_l("Date and time in the consultation's time zone, such as 2027-03-01T09:00."),
        validators=[InputRequired(_REQUIRED), _moment],
    )
    closes_at = StringField(
        _l("Closes"),
        description=_l("Date and time in the consultation's time zone, such as 2027-04-30T23:59."),
        validators=[InputRequired(_REQUIRED), _moment],
    )
    time_zone = StringField(
        _l("Time zone"),
        default=DEFAULT_TIME_ZONE,
        description=_l("Its name, such as America/Lima (Peru time). Every date is shown in it."),
        validators=[InputRequired(_REQUIRED), _zone],
    )
    contact = _text(
        _l("Contact"),
        required=False,
        description=_l("How people reach the organiser: an email address or a line of text."),
    )
    privacy_md_es = _text(
        _l("Privacy notice in Spanish"),
        None,
        required=False,
        description=_l("Markdown, shown where people give their consent. Optional."),
    )
    privacy_md_en = _text(
        _l("Privacy notice in English"),
        None,
        required=False,
        description=_l("Markdown, shown where people give their consent. Optional."),
    )

    def validate_slug(self, field: Field) -> None:
        try:
            ops.check_slug((field.data or "").strip())
        except ops.ConsultationRefused as refusal:
            raise ValidationError(refusal.message) from None

    def validate(self, extra_validators=None) -> bool:
        """Each field's own checks, then the closing after the opening (every error at once)."""
        valid = super().validate(extra_validators)
        opens = getattr(self.opens_at, "moment", None)
        closes = getattr(self.closes_at, "moment", None)
        if opens and closes and not self.time_zone.errors and self.opens_at.data:
            values = self.values()
            if values.closes_at <= values.opens_at:
                self.closes_at.errors = [
                    *self.closes_at.errors,
                    _l("It must close after it opens."),
                ]
                return False
        return valid

    def values(self, current: Consultation | None = None) -> ops.ConsultationValues:
        """What was typed, the dates as stored (naive UTC). A date shown to the minute and
        sent back unchanged keeps its stored seconds (a bundle's opening has some)."""
        name = self.time_zone.data.strip()
        zone = zone_info(name)

        def stored(field) -> datetime:
            kept = getattr(current, field.name, None)
            if kept is not None and current.time_zone == name:
                shown = in_zone(kept, name).replace(second=0, microsecond=0, tzinfo=None)
                if shown == field.moment:
                    return kept
            local = field.moment.replace(tzinfo=zone)
            return local.astimezone(UTC).replace(tzinfo=None)

        return ops.ConsultationValues(
            **{name: (getattr(self, name).data or "") for name in ops.TEXT_FIELDS},
            opens_at=stored(self.opens_at),
            closes_at=stored(self.closes_at),
            time_zone=name,
        )

    def fill_from(self, consultation: Consultation) -> None:
        for name in ops.TEXT_FIELDS:
            getattr(self, name).data = getattr(consultation, name)
        self.time_zone.data = consultation.time_zone
        for name in ("opens_at", "closes_at"):
            local = in_zone(getattr(consultation, name), consultation.time_zone)
            getattr(self, name).data = local.strftime("%Y-%m-%dT%H:%M")

    def refused(self, refusal: ops.ConsultationRefused) -> None:
        field = getattr(self, refusal.field, None)
        if isinstance(field, Field):
            field.errors = [*field.errors, refusal.message]
        else:
            self.form_errors.append(refusal.message)


def _page(form: ConsultationForm, consultation: Consultation | None, status: int = 200):
    translations = None
    if consultation is not None and "console.edit_translations" in current_app.view_functions:
        translations = url_for("console.edit_translations", slug=consultation.slug)
    return (
        render_template(
            "console/consultation_form.html",
            form=form,
            consultation=consultation,
            translations_url=translations,
            sections_url=_editor_url("console.edit_sections", consultation),
        ),
        status,
    )


def _editor_url(endpoint: str, consultation: Consultation | None) -> str | None:
    """A link to another editing page, where that page exists."""
    if consultation is None or endpoint not in current_app.view_functions:
        return None
    return url_for(endpoint, slug=consultation.slug)


# ---------------------------------------------------------------- create (admins)


@admin_bp.get("/consultations/new")
def new_consultation():
    """The form of a new consultation: it starts in preparation, with no sections."""
    return _page(ConsultationForm(), None)


@admin_bp.post("/consultations/new")
def create_consultation():
    form = ConsultationForm()
    if form.validate_on_submit():
        try:
            consultation = ops.create_consultation(
                form.slug.data.strip(), form.values(), current_user
            )
        except ops.ConsultationRefused as refusal:
            form.refused(refusal)
        else:
            flash(
                _("The consultation was created. It is in preparation: only coordinators see it."),
                "success",
            )
            return redirect(url_for("console.edit_consultation", slug=consultation.slug))
    return _page(form, None, 422)


# ---------------------------------------------------------------- edit (editors)


@bp.get("/c/<slug>/edit")
def edit_consultation(slug: str):
    """Its texts, dates, contact and privacy notice; links to preview it in each language."""
    consultation = editable_consultation(slug)
    form = ConsultationForm()
    form.fill_from(consultation)
    return _page(form, consultation)


@bp.post("/c/<slug>/edit")
def update_consultation(slug: str):
    consultation = editable_consultation(slug)
    form = ConsultationForm()
    del form.slug  # the address never changes
    if form.validate_on_submit():
        try:
            changed = ops.update_consultation(consultation, form.values(consultation), current_user)
        except ops.ConsultationRefused as refusal:
            form.refused(refusal)
        else:
            if changed:
                flash(_("The consultation was saved."), "success")
            else:
                flash(_("Nothing had changed."), "info")
            return redirect(url_for("console.edit_consultation", slug=slug))
    return _page(form, load_consultation(slug), 422)


@bp.post("/c/<slug>/open")
def open_consultation(slug: str):
    """Those who wrote it open it: out of preparation, public and taking responses from
    its opening date. Refused, with the reason, while a text lacks a language
    (``outcome.stages.check_move``); one audit entry."""
    consultation = editable_consultation(slug)
    if consultation.stage is not Stage.PREPARATION:
        flash(_("Nothing was changed: it is no longer in preparation."), "error")
    else:
        try:
            stages.move(consultation, Stage.RUNNING, current_user)
        except stages.StageRefused as refusal:
            flash(_("It was not opened: %(why)s", why=str(refusal)), "error")
        else:
            flash(
                _("The consultation is public now; it takes responses from its opening date."),
                "success",
            )
    return redirect(url_for("console.edit_consultation", slug=slug))


# ---------------------------------------------------------------- archive (admins)


@admin_bp.post("/c/<slug>/archive")
def archive_consultation(slug: str):
    """Archive it (listed nowhere public, kept whole), or bring it back."""
    consultation = load_consultation(slug)
    wanted = request.form.get("archived")
    if wanted not in ("yes", "no"):
        flash(_("Nothing was changed: please use the archive button."), "error")
        form = ConsultationForm(formdata=None)
        form.fill_from(consultation)
        return _page(form, consultation, 400)
    try:
        ops.archive_consultation(consultation, current_user, archived=wanted == "yes")
    except ops.ConsultationRefused as refusal:
        flash(_("Nothing was changed: %(why)s", why=str(refusal.message)), "error")
    else:
        if wanted == "yes":
            flash(_("The consultation is archived: no public page lists it."), "success")
        else:
            flash(_("The consultation is no longer archived."), "success")
    return redirect(url_for("console.edit_consultation", slug=slug))


# ---------------------------------------------------------------- the switcher


@bp.context_processor
def consultation_switcher() -> dict:
    """Every console page's switcher: the consultations not archived (read when shown), and
    whether the signed-in person may edit the page's consultation."""

    def listed() -> list[Consultation]:
        return list(
            db.session.scalars(
                sa.select(Consultation)
                .where(Consultation.archived_at.is_(None))
                .order_by(Consultation.opens_at.desc())
            )
        )

    return {"switcher_consultations": listed, "may_edit": lambda c: can_edit(current_user, c)}
