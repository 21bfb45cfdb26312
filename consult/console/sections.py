"""Writing a consultation's sections (issue 17, part 2), under /console/c/<slug>/edit/sections:
the tree with up and down buttons (plain forms: no JavaScript, each a button a keyboard
reaches), add, edit with a preview of the Markdown as the public page renders it, delete.

Editors only (``authoring.access.can_edit``: admins, and the coordinators an admin gave the
consultation); 403 for any other coordinator. Each change is one ``authoring.sections``
operation; a refused change is answered with its message and writes nothing.
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_login import current_user
from flask_wtf import FlaskForm
from markupsafe import Markup
from wtforms import BooleanField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length, Optional

from ..authoring import sections as ops
from ..authoring.texts import EditRefused
from ..content.markdown import render_markdown
from ..models import Consultation, Section
from ..public.forms import plain_text
from . import bp
from .editing import editable_consultation

BODY_MAX = 100_000


#: The gate of every writing page: 404 if none, 403 if the signed-in person may not edit it.
editable = editable_consultation


def refusal_on(form: FlaskForm, refused: EditRefused) -> None:
    """Put a refusal's message beside its field, or above the form."""
    field = getattr(form, refused.field, None) if refused.field else None
    if field is not None:
        field.errors = [*field.errors, refused.message]
    else:
        form.form_errors.append(refused.message)


def _text(label, max_len: int, multiline: bool = False, description=None):
    kind = TextAreaField if multiline else StringField
    return kind(
        label,
        validators=[Optional(), Length(max=max_len), plain_text],
        description=description,
    )


class SectionForm(FlaskForm):
    key = _text(
        _l("Key"),
        64,
        description=_l(
            "Its address ends with it: /c/…/s/5-3. Lowercase letters, digits and hyphens."
            " Leave it empty to make one from the title. It cannot change later."
        ),
    )
    number = _text(_l("Number"), 16, description=_l("Shown before the title, such as 5 or 5.3."))
    parent = SelectField(
        _l("Where it goes"), choices=[], validate_choice=False, validators=[Optional()]
    )
    title_es = _text(_l("Title in Spanish"), 300)
    title_en = _text(_l("Title in English"), 300)
    body_md_es = _text(
        _l("Text in Spanish"),
        BODY_MAX,
        multiline=True,
        description=_l("Markdown: **bold**, *italics*, lists, links, ## headings. No HTML."),
    )
    body_md_en = _text(
        _l("Text in English"),
        BODY_MAX,
        multiline=True,
        description=_l("Markdown: **bold**, *italics*, lists, links, ## headings. No HTML."),
    )
    comments_enabled = BooleanField(_l("People may comment on this section"), default=True)
    gate_es = _text(
        _l("Question before the section, in Spanish (optional)"),
        500,
        description=_l("A yes or no asked first, such as “Do you want to answer this section?”."),
    )
    gate_en = _text(_l("Question before the section, in English (optional)"), 500)

    def offer_parents(self, consultation: Consultation, section: Section | None) -> None:
        parts = [s for s in ops.ordered(consultation) if s.parent_id is None and s is not section]
        self.parent.choices = [SelectChoice("", _l("A part of its own"))] + [
            SelectChoice(s.key, _("Under %(number)s %(title)s", number=s.number, title=s.title))
            for s in parts
        ]

    def values(self) -> ops.SectionInput:
        return ops.SectionInput(
            number=self.number.data or "",
            title_es=self.title_es.data or "",
            title_en=self.title_en.data or "",
            body_md_es=self.body_md_es.data or "",
            body_md_en=self.body_md_en.data or "",
            parent=self.parent.data or None,
            comments_enabled=bool(self.comments_enabled.data),
            gate_es=self.gate_es.data or "",
            gate_en=self.gate_en.data or "",
            key=(self.key.data or "").strip() if self.key is not None else "",
        )


class MoveForm(FlaskForm):
    """Up or down: the button pressed."""


def _preview(form: SectionForm) -> dict[str, Markup]:
    """The posted Markdown rendered as the public page will show it (nothing saved)."""
    return {
        lang: Markup(render_markdown(getattr(form, f"body_md_{lang}").data or ""))  # noqa: S704
        for lang in ("es", "en")
    }


# ---------------------------------------------------------------- the tree


@bp.get("/c/<slug>/edit/sections")
def edit_sections(slug: str):
    """The sections as a tree, each with its questions' count and buttons to move it."""
    consultation = editable(slug)
    return render_template(
        "console/edit_sections.html",
        consultation=consultation,
        sections=ops.ordered(consultation),
    )


@bp.post("/c/<slug>/edit/sections/<key>/move")
def move_section(slug: str, key: str):
    consultation = editable(slug)
    section = _section(consultation, key)
    if not MoveForm().validate_on_submit() or request.form.get("to") not in ("up", "down"):
        flash(_("Nothing was changed: please use the up or down button."), "error")
        return (
            render_template(
                "console/edit_sections.html",
                consultation=consultation,
                sections=ops.ordered(consultation),
            ),
            400,
        )
    if ops.move_section(section, request.form["to"], current_user):
        flash(_("Section %(number)s moved.", number=section.number), "success")
    else:
        flash(_("Section %(number)s is already at the end.", number=section.number), "info")
    return redirect(url_for("console.edit_sections", slug=slug) + f"#section-{key}")


@bp.post("/c/<slug>/edit/sections/renumber")
def renumber_sections(slug: str):
    """Every section numbered from its place: parts 1, 2, …; sub-parts 1.1, 1.2, …"""
    consultation = editable(slug)
    if not MoveForm().validate_on_submit():
        flash(_("Nothing was changed: the form had expired. Please send it again."), "error")
        return redirect(url_for("console.edit_sections", slug=slug))
    changed = ops.renumber_sections(consultation, current_user)
    if changed:
        flash(
            ngettext("%(num)d section renumbered.", "%(num)d sections renumbered.", changed),
            "success",
        )
    else:
        flash(_("Every section already had the number of its place."), "info")
    return redirect(url_for("console.edit_sections", slug=slug))


def _section(consultation: Consultation, key: str) -> Section:
    section = next((s for s in consultation.sections if s.key == key), None)
    if section is None:
        abort(404)
    return section


# ---------------------------------------------------------------- add and edit


def _form_page(consultation, form, section=None, preview=None, status=200):
    return (
        render_template(
            "console/edit_section.html",
            consultation=consultation,
            form=form,
            section=section,
            preview=preview,
        ),
        status,
    )


@bp.route("/c/<slug>/edit/sections/new", methods=["GET", "POST"])
def new_section(slug: str):
    """A new section at the end (of its part, for a sub-part)."""
    consultation = editable(slug)
    form = SectionForm()
    form.offer_parents(consultation, None)
    if request.method == "GET":
        parent = next(
            (s for s in consultation.sections if s.key == request.args.get("parent")), None
        )
        if parent is not None and parent.parent_id is None:
            form.parent.data = parent.key
        form.number.data = ops.suggested_number(consultation, parent if form.parent.data else None)
        return _form_page(consultation, form)
    if not form.validate_on_submit():
        return _form_page(consultation, form, status=422)
    if "preview" in request.form:
        return _form_page(consultation, form, preview=_preview(form))
    try:
        section = ops.create_section(consultation, form.values(), current_user)
    except EditRefused as refused:
        refusal_on(form, refused)
        return _form_page(consultation, form, status=422)
    flash(_("Section %(number)s added.", number=section.number), "success")
    return redirect(url_for("console.edit_sections", slug=slug) + f"#section-{section.key}")


@bp.route("/c/<slug>/edit/sections/<key>", methods=["GET", "POST"])
def edit_section(slug: str, key: str):
    """A section's number, place, texts in each language (with a preview) and comment box."""
    consultation = editable(slug)
    section = _section(consultation, key)
    form = SectionForm(data=vars(ops.input_of(section)) if request.method == "GET" else None)
    form.key.data = section.key
    form.offer_parents(consultation, section)
    if request.method == "GET":
        return _form_page(consultation, form, section)
    if not form.validate_on_submit():
        return _form_page(consultation, form, section, status=422)
    if "preview" in request.form:
        return _form_page(consultation, form, section, preview=_preview(form))
    values = form.values()
    values.key = section.key
    try:
        changed = ops.update_section(section, values, current_user)
    except EditRefused as refused:
        refusal_on(form, refused)
        return _form_page(consultation, form, section, status=422)
    if changed:
        flash(_("Section %(number)s saved.", number=values.number), "success")
    else:
        flash(_("Nothing had changed."), "info")
    return redirect(url_for("console.edit_sections", slug=slug) + f"#section-{key}")


# ---------------------------------------------------------------- delete


@bp.route("/c/<slug>/edit/sections/<key>/delete", methods=["GET", "POST"])
def delete_section(slug: str, key: str):
    """Asks first (GET); deletes (POST) unless people's answers or comments refer to it."""
    consultation = editable(slug)
    section = _section(consultation, key)
    refusal = ops.delete_refusal(section)
    questions = [q for q in consultation.questions if q.section_id == section.id]
    page = {
        "consultation": consultation,
        "what": f"{section.number} {section.title}",
        "refusal": refusal,
        "questions": questions,
        "back": url_for("console.edit_sections", slug=slug),
        "form": MoveForm(),
    }
    if request.method == "GET":
        return render_template("console/confirm_delete.html", **page)
    if not page["form"].validate_on_submit():
        return render_template("console/confirm_delete.html", **page), 400
    try:
        ops.delete_section(section, current_user)
    except EditRefused as refused:
        page["refusal"] = refused.message
        return render_template("console/confirm_delete.html", **page), 409
    flash(_("Section %(what)s deleted.", what=page["what"]), "success")
    return redirect(url_for("console.edit_sections", slug=slug))


@bp.context_processor
def editing_pages() -> dict:
    """Whether the consultation's own editing page exists, for the writing pages' menu."""
    from flask import current_app

    return {"has_consultation_editor": "console.edit_consultation" in current_app.view_functions}
