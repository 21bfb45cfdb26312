"""Writing a consultation's questions (issue 17, part 3), under /console/c/<slug>/edit/questions:
every type, on a section or on the draft as a whole, wording and help per language, options
with codes (rows of plain inputs: a few empty ones to add more, a row emptied to remove
one), required or optional; up and down buttons; delete.

Editors only (403 for other coordinators). The rules that protect answers live in
``authoring.questions``; a refusal is shown beside its field and nothing is written.
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import BooleanField, FieldList, Form, FormField, RadioField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length, Optional

from ..authoring import questions as ops
from ..authoring import sections as section_ops
from ..authoring.texts import EditRefused
from ..models import Consultation, Question
from ..models.vocab import QuestionType, likert_choices
from ..public.forms import options as choices_of
from ..public.forms import plain_text
from . import bp
from .sections import MoveForm, _text, editable, refusal_on

#: Empty option rows offered below the filled ones.
SPARE_ROWS = 3
#: The most option rows a form may send.
MAX_OPTIONS = 60


class OptionForm(Form):
    code = StringField(_l("Code"), validators=[Optional(), Length(max=64), plain_text])
    es = StringField(_l("Wording in Spanish"), validators=[Optional(), Length(max=300), plain_text])
    en = StringField(_l("Wording in English"), validators=[Optional(), Length(max=300), plain_text])


class QuestionForm(FlaskForm):
    key = _text(
        _l("Key"),
        64,
        description=_l(
            "How bundles and downloads name it: lowercase letters, digits and hyphens, such"
            " as q-5-3-agree. Leave it empty to make one from the wording. It cannot change"
            " later."
        ),
    )
    section = SelectField(
        _l("Where it is asked"), choices=[], validate_choice=False, validators=[Optional()]
    )
    type = RadioField(
        _l("Type of question"),
        choices=choices_of(QuestionType.choices()),
        validate_choice=False,
        validators=[Optional()],
    )
    required = BooleanField(_l("An answer is required on this page"))
    prompt_es = _text(_l("Wording in Spanish"), ops.PROMPT_MAX, multiline=True)
    prompt_en = _text(_l("Wording in English"), ops.PROMPT_MAX, multiline=True)
    help_es = _text(_l("Help in Spanish (optional)"), ops.PROMPT_MAX, multiline=True)
    help_en = _text(_l("Help in English (optional)"), ops.PROMPT_MAX, multiline=True)
    options = FieldList(FormField(OptionForm), min_entries=0, max_entries=MAX_OPTIONS)

    def offer_sections(self, consultation: Consultation) -> None:
        self.section.choices = [SelectChoice("", _l("The draft as a whole"))] + [
            SelectChoice(s.key, f"{s.number} {s.title}") for s in section_ops.ordered(consultation)
        ]

    def spare_rows(self) -> None:
        filled = sum(1 for row in self.options if any((row.data or {}).values()))
        while len(self.options) < max(filled + SPARE_ROWS, 4) and len(self.options) < MAX_OPTIONS:
            self.options.append_entry()

    def values(self) -> ops.QuestionInput:
        return ops.QuestionInput(
            type=self.type.data or "",
            prompt_es=self.prompt_es.data or "",
            prompt_en=self.prompt_en.data or "",
            help_es=self.help_es.data or "",
            help_en=self.help_en.data or "",
            required=bool(self.required.data),
            section=self.section.data or None,
            options=[
                {k: (row.data.get(k) or "") for k in ("code", "es", "en")} for row in self.options
            ],
            key=(self.key.data or "").strip(),
        )


def _question(consultation: Consultation, key: str) -> Question:
    question = next((q for q in consultation.questions if q.key == key), None)
    if question is None:
        abort(404)
    return question


def _page(consultation, form, question=None, status=200):
    if any(isinstance(e, dict) for e in form.options.errors):
        # Row errors stay beside their inputs; the summary names the options once.
        form.options.errors = [_("Please check the options below.")]
    form.spare_rows()
    return (
        render_template(
            "console/edit_question.html",
            consultation=consultation,
            form=form,
            question=question,
            answers=ops.answer_count(question) if question else 0,
            likert=likert_choices(),
        ),
        status,
    )


def _pages(consultation: Consultation):
    """The questions by page: the draft as a whole first, then each section."""
    questions = sorted(consultation.questions, key=lambda q: q.position)
    pages = [(None, [q for q in questions if q.section_id is None])]
    pages += [
        (s, [q for q in questions if q.section_id == s.id])
        for s in section_ops.ordered(consultation)
    ]
    return pages


def _list(consultation: Consultation, status: int = 200):
    return (
        render_template(
            "console/edit_questions.html",
            consultation=consultation,
            pages=_pages(consultation),
            answers=ops.answer_counts(consultation),
        ),
        status,
    )


@bp.get("/c/<slug>/edit/questions")
def edit_questions(slug: str):
    """Every question, page by page, with its type, answers and buttons to move it."""
    return _list(editable(slug))


@bp.post("/c/<slug>/edit/questions/<qkey>/move")
def move_question(slug: str, qkey: str):
    consultation = editable(slug)
    question = _question(consultation, qkey)
    if not MoveForm().validate_on_submit() or request.form.get("to") not in ("up", "down"):
        flash(_("Nothing was changed: please use the up or down button."), "error")
        return _list(consultation, 400)
    if ops.move_question(question, request.form["to"], current_user):
        flash(_("Question %(key)s moved.", key=question.key), "success")
    else:
        flash(_("Question %(key)s is already at the end.", key=question.key), "info")
    return redirect(url_for("console.edit_questions", slug=slug) + f"#question-{qkey}")


@bp.route("/c/<slug>/edit/questions/new", methods=["GET", "POST"])
def new_question(slug: str):
    consultation = editable(slug)
    form = QuestionForm()
    form.offer_sections(consultation)
    if request.method == "GET":
        wanted = request.args.get("section")
        if any(s.key == wanted for s in consultation.sections):
            form.section.data = wanted
        form.type.data = QuestionType.LIKERT.value
        return _page(consultation, form)
    if not form.validate_on_submit():
        return _page(consultation, form, status=422)
    try:
        question = ops.create_question(consultation, form.values(), current_user)
    except EditRefused as refused:
        refusal_on(form, refused)
        return _page(consultation, form, status=422)
    flash(_("Question %(key)s added.", key=question.key), "success")
    return redirect(url_for("console.edit_questions", slug=slug) + f"#question-{question.key}")


@bp.route("/c/<slug>/edit/questions/<qkey>", methods=["GET", "POST"])
def edit_question(slug: str, qkey: str):
    consultation = editable(slug)
    question = _question(consultation, qkey)
    form = QuestionForm(data=vars(ops.input_of(question)) if request.method == "GET" else None)
    form.key.data = question.key
    form.offer_sections(consultation)
    if request.method == "GET":
        return _page(consultation, form, question)
    if not form.validate_on_submit():
        return _page(consultation, form, question, status=422)
    try:
        changed = ops.update_question(question, form.values(), current_user)
    except EditRefused as refused:
        refusal_on(form, refused)
        return _page(consultation, form, question, status=422)
    if changed:
        flash(_("Question %(key)s saved.", key=qkey), "success")
    else:
        flash(_("Nothing had changed."), "info")
    return redirect(url_for("console.edit_questions", slug=slug) + f"#question-{qkey}")


@bp.route("/c/<slug>/edit/questions/<qkey>/delete", methods=["GET", "POST"])
def delete_question(slug: str, qkey: str):
    """Asks first (GET); deletes (POST) unless people answered it."""
    consultation = editable(slug)
    question = _question(consultation, qkey)
    page = {
        "consultation": consultation,
        "what": f"{question.key}: {question.prompt}",
        "refusal": ops.delete_refusal(question),
        "questions": [],
        "back": url_for("console.edit_questions", slug=slug),
        "form": MoveForm(),
    }
    if request.method == "GET":
        return render_template("console/confirm_delete.html", **page)
    if not page["form"].validate_on_submit():
        return render_template("console/confirm_delete.html", **page), 400
    try:
        ops.delete_question(question, current_user)
    except EditRefused as refused:
        page["refusal"] = refused.message
        return render_template("console/confirm_delete.html", **page), 409
    flash(_("Question %(key)s deleted.", key=qkey), "success")
    return redirect(url_for("console.edit_questions", slug=slug))
