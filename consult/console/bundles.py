"""Bundles in and out of the console: a consultation downloaded as a zipped bundle (those
who may edit it), and a zipped bundle imported (administrators): uploaded, compared with
what is stored — what would be added, changed, removed or refused, nothing written — and
loaded only once confirmed.

Writing the bundle is ``content.export``; the comparison ``content.compare``; keeping the
upload and loading it ``authoring.imports``.
"""

from __future__ import annotations

import sqlalchemy as sa
from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import HiddenField
from wtforms.validators import DataRequired, Regexp

from ..authoring import imports
from ..authoring.access import can_edit
from ..content.archives import ArchiveRefused
from ..content.checks import ContentError
from ..content.export import bundle_zip
from ..web.security import accepts_files
from . import admin_bp, bp
from .editing import editable_consultation


class ImportForm(FlaskForm):
    bundle = FileField(
        _l("Bundle (a zip file)"),
        description=_l(
            "A consultation's folder zipped: consultation.yaml, profile.yaml, sections/"
            " (as “Download this consultation as a bundle” gives it)."
        ),
        validators=[FileRequired(_l("Please choose a zip file."))],
    )


class ConfirmForm(FlaskForm):
    upload = HiddenField(validators=[DataRequired(), Regexp(r"^[0-9a-f]{32}$")])


@bp.app_context_processor
def bundle_links() -> dict:
    """Whether the signed-in person may download a consultation as a bundle."""
    return {"may_export_bundle": lambda consultation: can_edit(current_user, consultation)}


@bp.get("/c/<slug>/bundle.zip")
def export_bundle(slug: str):
    """The consultation as a zipped bundle: what ``consult load-consultation`` reads."""
    consultation = editable_consultation(slug)
    data = bundle_zip(consultation)
    return (
        data,
        200,
        {
            "Content-Type": "application/zip",
            "Content-Disposition": f'attachment; filename="{consultation.slug}.zip"',
        },
    )


def _upload_page(form: ImportForm, problem: str | None = None, status: int = 200):
    return render_template("console/admin/import.html", form=form, problem=problem), status


@admin_bp.get("/import")
def import_form():
    """The form to upload a zipped bundle: a new consultation, or one stored updated."""
    return _upload_page(ImportForm())


def _read_error(error: Exception) -> str:
    if isinstance(error, ArchiveRefused):
        return str(error.message)
    return _("The bundle cannot be loaded: %(why)s", why=str(error))


@admin_bp.post("/import")
@accepts_files(fields=("bundle",))
def upload_bundle():
    """Upload: read and compare, write nothing; keep the zip for the confirmation."""
    form = ImportForm()
    if not form.validate_on_submit():
        return _upload_page(form, status=422)
    data = form.bundle.data.read()
    try:
        comparison = imports.compare_zip(data)
    except (ArchiveRefused, ContentError) as error:
        return _upload_page(form, _read_error(error), 422)
    confirm = ConfirmForm()
    confirm.upload.data = imports.keep_upload(data) if comparison.loadable else ""
    return render_template(
        "console/admin/import_summary.html", comparison=comparison, confirm=confirm
    )


@admin_bp.post("/import/confirm")
def confirm_import():
    """Load the upload the summary showed, if nothing is refused; in one transaction."""
    form = ConfirmForm()
    data = imports.kept_upload(form.upload.data) if form.validate_on_submit() else None
    if data is None:
        problem = _("This upload is unknown or has expired. Please upload the zip file again.")
        return _upload_page(ImportForm(formdata=None), problem, 422)
    try:
        comparison = imports.compare_zip(data)
        if not comparison.loadable:
            return (
                render_template(
                    "console/admin/import_summary.html",
                    comparison=comparison,
                    confirm=ConfirmForm(formdata=None),
                ),
                422,
            )
        imported = imports.import_zip(data, current_user)
    except (ArchiveRefused, ContentError) as error:
        return _upload_page(ImportForm(formdata=None), _read_error(error), 422)
    except sa.exc.IntegrityError:  # the same consultation written at the same moment
        problem = _(
            "The consultation was changed at the same moment. Nothing was loaded: please"
            " upload the zip file again."
        )
        return _upload_page(ImportForm(formdata=None), problem, 422)
    imports.discard_upload(form.upload.data)
    if comparison.new:
        flash(_("The consultation “%(slug)s” is created.", slug=imported.slug), "success")
    else:
        flash(_("The consultation “%(slug)s” is updated.", slug=imported.slug), "success")
    return redirect(url_for("console.show_dashboard", slug=imported.slug))
