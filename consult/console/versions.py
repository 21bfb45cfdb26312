"""Versions of the draft in the console: the list, each version's changes with the form
that explains them (coordinators), and the upload of a new version (administrators).

The comparison itself is ``outcome.versions.section_changes``; links are written by
``outcome.changes.link_change``; a new version by ``outcome.versions.load_new_version``.
"""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_login import current_user
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import SelectMultipleField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length, ValidationError

from ..content.archives import ArchiveRefused, unpack_bundle
from ..content.checks import ContentError
from ..content.versions import version_row
from ..models import Theme
from ..outcome import changes, versions
from ..public.forms import plain_text
from ..public.routes import load_consultation
from ..web.security import accepts_files
from . import admin_bp, bp
from .filters import themes_of

_NUMBERS = re.compile(r"^[\s,;#0-9]*$")
#: Largest id a comment field may name: the columns are 32-bit integers on PostgreSQL.
_MAX_ID = 2**31 - 1


def comment_numbers(form: FlaskForm, field: StringField) -> None:
    """Comment numbers as the console shows them, separated by commas or spaces."""
    text = field.data or ""
    if not _NUMBERS.match(text) or any(int(n) > _MAX_ID for n in re.findall(r"\d+", text)):
        raise ValidationError(_l("Write comment numbers separated by commas, such as 12, 40."))


class ChangeForm(FlaskForm):
    explanation_es = TextAreaField(
        _l("Explanation in Spanish"), validators=[Length(max=5000), plain_text]
    )
    explanation_en = TextAreaField(
        _l("Explanation in English"), validators=[Length(max=5000), plain_text]
    )
    themes = SelectMultipleField(_l("Themes this change answers"), coerce=int, choices=[])
    comments = StringField(
        _l("Comments this change answers"),
        description=_l("Comment numbers as the console shows them, separated by commas."),
        validators=[Length(max=2000), comment_numbers],
    )

    def comment_ids(self) -> list[int]:
        return sorted({int(n) for n in re.findall(r"\d+", self.comments.data or "")})


class UploadForm(FlaskForm):
    bundle = FileField(
        _l("Bundle (a zip file)"),
        description=_l("The bundle's folder zipped: consultation.yaml, profile.yaml, sections/."),
        validators=[FileRequired(_l("Please choose a zip file."))],
    )
    note_es = StringField(
        _l("What this version is, in Spanish"), validators=[Length(max=300), plain_text]
    )
    note_en = StringField(
        _l("What this version is, in English"), validators=[Length(max=300), plain_text]
    )


# ---------------------------------------------------------------- coordinators


@bp.get("/c/<slug>/versions")
def list_versions(slug: str):
    """Every version of the draft, with its date and note."""
    consultation = load_consultation(slug)
    return render_template(
        "console/versions.html",
        consultation=consultation,
        versions=versions.versions(consultation),
        public_version=versions.public_version(consultation),
    )


def _theme_choices(themes: list[Theme], counts: dict[int, int]) -> list[SelectChoice]:
    return [
        SelectChoice(
            t.id,
            ngettext(
                "%(theme)s — %(num)s comment",
                "%(theme)s — %(num)s comments",
                counts.get(t.id, 0),
                theme=t.name,
            ),
        )
        for t in themes
    ]


def _version_page(slug: str, number: int, failed: tuple[int, ChangeForm] | None = None):
    consultation = load_consultation(slug)
    if not 1 <= number <= consultation.current_version:
        abort(404)
    found = versions.section_changes(consultation, number - 1, number)
    themes = themes_of(consultation)
    counts = changes.theme_comment_counts([t.id for t in themes])
    forms = {}
    for item in found:
        if failed and failed[0] == item.section.id:
            form = failed[1]
        else:
            form = ChangeForm(formdata=None, prefix=f"s{item.section.id}")
            own = next((c for c in item.changes if c.version.number == number), None)
            if own is not None:
                form.explanation_es.data = own.explanation_es
                form.explanation_en.data = own.explanation_en
                form.themes.data = [t.id for t in own.themes]
                form.comments.data = ", ".join(str(c.id) for c in own.comments)
        form.themes.choices = _theme_choices(themes, counts)
        forms[item.section.id] = form
    summary = next((v for v in versions.versions(consultation) if v.number == number), None)
    return (
        render_template(
            "console/version.html",
            consultation=consultation,
            version=summary,
            changes=found,
            forms=forms,
            counts=counts,
        ),
        422 if failed else 200,
    )


@bp.get("/c/<slug>/versions/<int:number>")
def show_version(slug: str, number: int):
    """The sections that changed in this version, compared, each with why it changed."""
    return _version_page(slug, number)


@bp.post("/c/<slug>/versions/<int:number>/s/<key>/change")
def link_change(slug: str, number: int, key: str):
    """Explain a section's change and link it to the themes and comments it answers."""
    consultation = load_consultation(slug)
    version = version_row(consultation, number) if number > 1 else None
    found = versions.section_changes(consultation, number - 1, number, key=key) if version else []
    if not found:
        abort(404)
    section = found[0].section
    form = ChangeForm(prefix=f"s{section.id}")
    themes = themes_of(consultation)
    form.themes.choices = [SelectChoice(t.id, t.name) for t in themes]
    if form.validate_on_submit():
        try:
            changed = changes.link_change(
                version,
                section,
                form.explanation_es.data or "",
                form.explanation_en.data or "",
                form.themes.data or [],
                form.comment_ids(),
                current_user,
            )
        except changes.ChangeRaced as raced:
            flash(str(raced.args[0]), "error")
            return redirect(
                url_for("console.show_version", slug=slug, number=number)
                + f"#section-{section.key}"
            )
        except changes.ChangeRefused:
            form.comments.errors = [_("Some of these are not comments of this consultation.")]
        else:
            if changed:
                flash(
                    _("The change to %(section)s is explained.", section=section.number),
                    "success",
                )
            else:
                flash(_("Nothing was changed: the explanation and links were already so."), "info")
            return redirect(
                url_for("console.show_version", slug=slug, number=number)
                + f"#section-{section.key}"
            )
    flash(
        _("Nothing was saved: please check the form of section %(n)s.", n=section.number), "error"
    )
    return _version_page(slug, number, failed=(section.id, form))


# ---------------------------------------------------------------- administrators


def _upload_page(consultation, form: UploadForm, problem: str | None = None, status: int = 200):
    return (
        render_template(
            "console/admin/version_new.html",
            consultation=consultation,
            form=form,
            problem=problem,
        ),
        status,
    )


@admin_bp.get("/c/<slug>/versions/new")
def new_version(slug: str):
    """The form to upload the next version of the draft as a zipped bundle."""
    return _upload_page(load_consultation(slug), UploadForm())


@admin_bp.post("/c/<slug>/versions/new")
@accepts_files(fields=("bundle",))
def upload_version(slug: str):
    consultation = load_consultation(slug)
    form = UploadForm()
    if not form.validate_on_submit():
        return _upload_page(consultation, form, status=422)
    data = form.bundle.data.read()
    with tempfile.TemporaryDirectory(prefix="consult-bundle-") as folder:
        try:
            bundle = unpack_bundle(data, Path(folder))
            loaded = versions.load_new_version(
                bundle,
                note_es=form.note_es.data or "",
                note_en=form.note_en.data or "",
                actor=current_user,
                slug=consultation.slug,
            )
        except (ArchiveRefused, versions.VersionRefused) as refused:
            return _upload_page(consultation, form, str(refused.message), 422)
        except ContentError as error:
            problem = _("The bundle cannot be loaded: %(why)s", why=_without_folder(error, folder))
            return _upload_page(consultation, form, problem, 422)
    flash(
        _("Version %(n)s of the draft is now current.", n=loaded.number),
        "success",
    )
    return redirect(url_for("console.show_version", slug=slug, number=loaded.number))


def _without_folder(error: Exception, folder: str) -> str:
    """The loader's message without the temporary folder's path (it means nothing here)."""
    return str(error).replace(folder + "/", "").replace(folder, "")
