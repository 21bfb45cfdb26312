"""Importing responses from a file in the console, step by step, for whoever may edit the
consultation (``editing``): upload a CSV or XLSX, say what each column is (suggested by
header similarity), match each label to an option (suggested), see 20 rows as they would
be stored and every problem row by row (a dry run), then import in one transaction.

Nothing is kept between steps but the upload (``authoring.imports``: under the instance
folder, named by a random token, for an hour); the mapping travels in the forms as YAML
and is read and checked again at each step, so a step sent twice or tampered with is
judged afresh. The request's size limit (``MAX_CONTENT_LENGTH``) bounds an upload here;
larger files go through ``consult import-responses``. The operations are ``importing``.
"""

from __future__ import annotations

import sqlalchemy as sa
from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_login import current_user
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, HiddenField, RadioField
from wtforms.validators import DataRequired, InputRequired, Length, Regexp

from ..authoring import imports as kept
from ..extensions import db
from ..importing import (
    ImportConflict,
    MappingError,
    RemovalRefused,
    TableRefused,
    dump_mapping,
    import_rows,
    load_mapping,
    plan_import,
    read_table,
    remove_import,
    suggest_mapping,
)
from ..importing import labels as L
from ..importing.mapping import check_mapping
from ..importing.report import preview
from ..importing.suggest import (
    distinct_labels,
    label_targets,
    mapping_from_columns,
    suggest_label,
)
from ..models import Consultation, Response, ResponseImport, User
from ..models.columns import current_language
from ..models.profile import GROUPS_KEY
from ..models.vocab import Channel, Stage
from ..public.forms import options
from ..web.security import accepts_files
from . import bp
from .editing import editable_consultation

_KEPT = {"folder": "response-imports", "suffix": ".upload"}
IGNORE = "ignore"


class UploadForm(FlaskForm):
    file = FileField(
        _l("File (CSV or XLSX)"),
        description=_l(
            "One row per respondent, one column per question, the header in the first row,"
            " as form tools export them. Nothing is written until the last step."
        ),
        validators=[FileRequired(_l("Please choose a CSV or XLSX file."))],
    )
    channel = RadioField(
        _l("Where do these responses come from?"),
        choices=options(
            [
                (Channel.IMPORT.value, _l("Another tool's export (a form tool, a spreadsheet)")),
                (Channel.PAPER.value, _l("Paper forms typed in")),
            ]
        ),
        default=Channel.IMPORT.value,
        validators=[InputRequired(_l("Please choose one."))],
    )


class StepForm(FlaskForm):
    upload = HiddenField(validators=[DataRequired(), Regexp(r"^[0-9a-f]{32}$")])
    file_name = HiddenField(validators=[DataRequired(), Length(max=255)])
    mapping = HiddenField(validators=[DataRequired(), Length(max=200_000)])


class ConfirmForm(StepForm):
    consent = BooleanField(
        _l(
            "The people who gave these responses consented to their processing for this"
            " consultation, as its privacy notice says."
        ),
        validators=[DataRequired(_l("Please confirm the respondents' consent."))],
    )
    skip_invalid = BooleanField(_l("Import only the valid rows and leave out those with problems"))


class StepExpired(Exception):
    """The upload is unknown or older than an hour, or the step's form is not one."""


def _max_chars() -> int:
    return current_app.config["MAX_COMMENT_CHARS"]


def _upload_page(consultation: Consultation, form: UploadForm, problem=None, status=200):
    limit = current_app.config["MAX_CONTENT_LENGTH"] // 1024
    return (
        render_template(
            "console/import/upload.html",
            consultation=consultation,
            form=form,
            problem=problem,
            limit_kb=limit,
        ),
        status,
    )


def _expired(consultation: Consultation):
    problem = _("This upload is unknown or has expired. Please upload the file again.")
    return _upload_page(consultation, UploadForm(formdata=None), problem, 422)


def _step(consultation: Consultation, form: StepForm):
    """The kept file and the mapping a step's form carries; raises ``StepExpired``."""
    if not form.validate_on_submit():
        raise StepExpired()
    data = kept.kept_upload(form.upload.data, **_KEPT)
    if data is None:
        raise StepExpired()
    try:
        table = read_table(data, form.file_name.data)
        mapping = load_mapping(form.mapping.data)
    except (TableRefused, MappingError) as error:
        raise StepExpired() from error
    return table, mapping


def _column_choices(consultation: Consultation) -> list[tuple[str, list[tuple[str, str]]]]:
    """What a column may be, grouped for the select: (group, [(value, label)])."""
    profile = consultation.profile
    response = [
        ("timestamp", _("Date and time of the response")),
        ("email", _("Email address (private)")),
        ("name", _("Name to publish with the comments")),
    ]
    if consultation.asks_publication:
        response.append(("publication", _("Whether the comments may be published")))
    fields = [
        (f"profile:{f.key}", f.prompt(current_language()) or f.key)
        for f in profile.fields
        if f.asked and f.key != GROUPS_KEY
    ]
    if profile.abroad_codes:
        fields.append(("profile:country", _("Country (outside the consultation's country)")))
    questions = [
        (
            f"question:{q.key}",
            f"{q.section.number} · {q.prompt}" if q.section is not None else q.prompt,
        )
        for q in consultation.questions
    ]
    comments, contributions = [], []
    for section in consultation.sections:
        if section.comments_enabled:
            comments.append((f"comment:{section.key}", f"{section.number} {section.title}"))
            if consultation.contributions:
                contributions.append(
                    (f"contribution:{section.key}", f"{section.number} {section.title}")
                )
    groups = [
        (_("Not imported"), [(IGNORE, _("Ignore this column"))]),
        (_("The response"), response),
        (_("Profile"), fields),
        (_("Questions"), questions),
        (_("Comment on a section"), comments),
    ]
    if contributions:
        groups.append((_("What a section's comment contributes to"), contributions))
    return groups


def _samples(table, index: int) -> list[str]:
    found = []
    for row in table.rows:
        cell = row.cells[index].strip()
        if cell and cell not in found:
            found.append(cell if len(cell) <= 60 else cell[:59] + "…")
        if len(found) == 3:
            break
    return found


def _columns_page(consultation, table, mapping, step_form, errors=(), status=200):
    chosen = dict(mapping.columns())
    columns = [
        {
            "index": index,
            "header": header,
            "samples": _samples(table, index),
            "chosen": chosen.get(header, IGNORE),
        }
        for index, header in enumerate(table.headers)
    ]
    return (
        render_template(
            "console/import/columns.html",
            consultation=consultation,
            table=table,
            columns=columns,
            groups=_column_choices(consultation),
            timestamp_format=mapping.timestamp_format,
            form=step_form,
            errors=errors,
        ),
        status,
    )


@bp.get("/c/<slug>/import")
def import_responses_form(slug: str):
    """The first step: upload a file of responses."""
    consultation = editable_consultation(slug)
    return _upload_page(consultation, UploadForm())


@bp.post("/c/<slug>/import")
@accepts_files(fields=("file",))
def upload_responses(slug: str):
    """Read the file (refused with its reason if it cannot be), keep it, suggest a mapping."""
    consultation = editable_consultation(slug)
    form = UploadForm()
    if not form.validate_on_submit():
        return _upload_page(consultation, form, status=422)
    data = form.file.data.read()
    name = form.file.data.filename or "file"
    try:
        table = read_table(data, name)
    except TableRefused as refused:
        return _upload_page(consultation, form, refused.message, 422)
    mapping = suggest_mapping(table, consultation)
    mapping.channel = Channel(form.channel.data)
    step = StepForm(formdata=None)
    step.upload.data = kept.keep_upload(data, **_KEPT)
    step.file_name.data = table.file_name
    step.mapping.data = dump_mapping(mapping)
    return _columns_page(consultation, table, mapping, step)


@bp.post("/c/<slug>/import/labels")
def map_import_labels(slug: str):
    """The columns as chosen (checked) → the labels of each choice column to match."""
    consultation = editable_consultation(slug)
    form = StepForm()
    try:
        table, carried = _step(consultation, form)
    except StepExpired:
        return _expired(consultation)
    allowed = {
        value for _group, options in _column_choices(consultation) for value, _label in options
    }
    columns: dict[str, str] = {}
    errors: list = []
    for index, header in enumerate(table.headers):
        value = request.form.get(f"column-{index}", IGNORE)
        if value not in allowed:
            errors.append(_("“%(column)s”: not one of the choices.", column=header))
        elif value != IGNORE:
            if value in columns.values():
                errors.append(_("“%(column)s”: another column is this already.", column=header))
            columns[header] = value
    fmt = (request.form.get("timestamp_format") or "").strip()[:60] or carried.timestamp_format
    mapping = mapping_from_columns(columns, table, consultation, fmt)
    mapping.channel, mapping.locale = carried.channel, carried.locale
    if not errors:
        errors = [str(e) for e in check_mapping(mapping, consultation, table.headers)]
    if "timestamp" in columns.values() and "%" not in fmt:
        errors.append(_("The date format must use codes such as %%d/%%m/%%Y %%H:%%M:%%S."))
    if errors:
        form.mapping.data = dump_mapping(mapping)
        return _columns_page(consultation, table, mapping, form, errors, 422)
    form.mapping.data = dump_mapping(mapping)
    return render_template(
        "console/import/labels.html",
        consultation=consultation,
        form=form,
        targets=_label_rows(table, mapping, consultation),
    )


def _label_rows(table, mapping, consultation):
    """Per choice column: its header, what it is, and each label with the code suggested."""
    language = current_language()
    rows = []
    for name, source, target in label_targets(mapping, consultation, _max_chars()):
        labels = [
            {"text": label, "code": suggest_label(label, source, target)}
            for label in distinct_labels(table, source, target)
        ]
        options = [
            (code, es if language == "es" else (en or es)) for code, es, en in target.options
        ]
        rows.append({"name": name, "column": source.column, "labels": labels, "options": options})
    return rows


def _with_labels(table, mapping, consultation) -> None:
    """Add the labels chosen on the labels page to the mapping (in place)."""
    targets = label_targets(mapping, consultation, _max_chars())
    for i, (_name, source, target) in enumerate(targets):
        codes = {code for code, _es, _en in target.options}
        known = L.known_labels(target, source)
        for j, label in enumerate(distinct_labels(table, source, target)):
            code = request.form.get(f"label-{i}-{j}", "")
            if code in codes and known.get(L.normalise(label)) != code:
                source.labels[label] = code


def _check_page(consultation, table, mapping, form, status=200, problem=None):
    plan = plan_import(table, mapping, consultation, max_chars=_max_chars())
    if plan.mapping_errors:
        return _columns_page(
            consultation, table, mapping, form, [str(e) for e in plan.mapping_errors], 422
        )
    result = import_rows(table, mapping, consultation, plan, dry_run=True)
    confirm = ConfirmForm(formdata=None)
    confirm.upload.data, confirm.file_name.data = form.upload.data, form.file_name.data
    confirm.mapping.data = dump_mapping(mapping)
    if request.form.get("consent"):
        confirm.consent.data = True
    if isinstance(form, ConfirmForm):
        confirm.consent.errors = list(form.consent.errors)
    return (
        render_template(
            "console/import/check.html",
            consultation=consultation,
            table=table,
            plan=plan,
            result=result,
            rows=preview(plan, consultation, current_language()),
            problems=sorted(plan.problems, key=lambda p: p.line),
            form=confirm,
            problem=problem,
        ),
        status,
    )


@bp.post("/c/<slug>/import/check")
def check_import(slug: str):
    """The dry run: every problem row by row, 20 rows as stored, what would be added."""
    consultation = editable_consultation(slug)
    form = StepForm()
    try:
        table, mapping = _step(consultation, form)
    except StepExpired:
        return _expired(consultation)
    _with_labels(table, mapping, consultation)
    return _check_page(consultation, table, mapping, form)


@bp.post("/c/<slug>/import/confirm")
def confirm_responses_import(slug: str):
    """Import, in one transaction: refused while problems remain, unless the person chose
    to leave the rows with problems out."""
    consultation = editable_consultation(slug)
    form = ConfirmForm()
    valid = form.validate_on_submit()
    try:
        table, mapping = _step(consultation, StepForm())
    except StepExpired:
        return _expired(consultation)
    if not valid:
        return _check_page(consultation, table, mapping, form, 422)
    plan = plan_import(table, mapping, consultation, max_chars=_max_chars())
    if plan.mapping_errors:
        return _check_page(consultation, table, mapping, form, 422)
    if plan.problems and not form.skip_invalid.data:
        problem = _(
            "Nothing was imported: some rows have problems. Correct the file and upload it"
            " again, or choose to import only the valid rows."
        )
        return _check_page(consultation, table, mapping, form, 422, problem)
    try:
        result = import_rows(
            table, mapping, consultation, plan, actor=current_user, skip_invalid=True
        )
    except ImportConflict:
        problem = _("The same rows were imported at the same moment; nothing was added.")
        return _check_page(consultation, table, mapping, form, 409, problem)
    kept.discard_upload(form.upload.data, **_KEPT)
    flash(
        _(
            "%(added)s responses imported from %(file)s; %(already)s already imported,"
            " %(refused)s left out.",
            added=result.added,
            file=table.file_name,
            already=result.already,
            refused=result.refused,
        ),
        "success",
    )
    return redirect(url_for("console.list_response_imports", slug=consultation.slug))


@bp.get("/c/<slug>/imports")
def list_response_imports(slug: str):
    """Every file imported into the consultation: when, by whom, what it added."""
    consultation = editable_consultation(slug)
    imports = db.session.execute(
        sa.select(ResponseImport, User.email)
        .outerjoin(User, User.id == ResponseImport.imported_by_id)
        .where(ResponseImport.consultation_id == consultation.id)
        .order_by(ResponseImport.imported_at.desc(), ResponseImport.id.desc())
    ).all()
    return render_template(
        "console/import/list.html",
        consultation=consultation,
        imports=imports,
        removable=consultation.stage is not Stage.OUTCOME,
    )


class RemoveImportForm(FlaskForm):
    """Taking a file back: the person confirms the responses will be deleted."""

    understood = BooleanField(
        _l("I understand that these responses will be deleted"),
        validators=[DataRequired(_l("Please confirm that these responses will be deleted."))],
    )


def _file_import(consultation: Consultation, import_id: int) -> ResponseImport:
    found = db.session.get(ResponseImport, import_id)
    if found is None or found.consultation_id != consultation.id:
        abort(404)
    return found


@bp.route("/c/<slug>/imports/<int:import_id>/remove", methods=["GET", "POST"])
def remove_response_import(slug: str, import_id: int):
    """Take a file back (imported by mistake, or with a wrong mapping): what would go,
    then, confirmed, its responses deleted in one transaction."""
    consultation = editable_consultation(slug)
    file_import = _file_import(consultation, import_id)
    form = RemoveImportForm()
    status = 200
    if consultation.stage is Stage.OUTCOME:
        flash(_("The outcome is published: the responses it counts are kept."), "error")
        return redirect(url_for("console.list_response_imports", slug=slug))
    if request.method == "POST":
        if form.validate_on_submit():
            name = file_import.file_name
            try:
                removed = remove_import(file_import, current_user)
            except RemovalRefused:
                flash(_("The outcome is published: the responses it counts are kept."), "error")
                return redirect(url_for("console.list_response_imports", slug=slug))
            flash(
                ngettext(
                    "%(num)s response imported from %(file)s was deleted.",
                    "%(num)s responses imported from %(file)s were deleted.",
                    removed,
                    file=name,
                ),
                "success",
            )
            return redirect(url_for("console.list_response_imports", slug=slug))
        status = 422
    count = db.session.scalar(
        sa.select(sa.func.count()).select_from(Response).where(Response.import_id == import_id)
    )
    return (
        render_template(
            "console/import/remove.html",
            consultation=consultation,
            item=file_import,
            count=count,
            form=form,
        ),
        status,
    )
