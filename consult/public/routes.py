"""Views of the public blueprint: load, check, validate, call one operation, render."""

from __future__ import annotations

import sqlalchemy as sa
from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_wtf import FlaskForm
from sqlalchemy.orm import selectinload

from .. import responding
from ..extensions import db
from ..mail import receipt_state
from ..models import Consultation, Question, Section
from ..models.columns import current_language
from ..models.vocab import ConsultationStatus, ResponseStatus, Stage
from ..outcome.answers import CommentOutcome, comment_outcomes
from ..responding.own_response import OwnResponse, load_own_response
from ..web.limits import client_address, start_response_limit
from ..web.paging import page_number
from ..web.security import shareable
from . import bp, drafts, guard
from .cache import kept_for_readers, previewing, published_comments_html, shared_consultation
from .forms import AnswersForm, ProfileForm, answers_form, profile_form
from .gates import GateForm, gate_form
from .guard import HoneypotForm
from .pages import answers_by_key, page_after, page_before, profile_summary, review_rows


def load_consultation(slug: str) -> Consultation:
    """The consultation in this request's session, to change it (the console), or 404.

    Public views read the shared copy instead: ``cache.shared_consultation``.
    """
    consultation = db.session.scalar(
        sa.select(Consultation)
        .filter_by(slug=slug)
        .options(selectinload(Consultation.sections), selectinload(Consultation.questions))
    )
    if consultation is None:
        abort(404)
    return consultation


def _section(consultation: Consultation, key: str) -> Section:
    section = next((s for s in consultation.sections if s.key == key), None)
    if section is None:
        abort(404)
    return section


def _questions_of(consultation: Consultation, section: Section | None) -> list[Question]:
    section_id = section.id if section else None
    return [q for q in consultation.questions if q.section_id == section_id]


def _safe_next(consultation: Consultation, target: str | None) -> str | None:
    """Only send people on to pages of the same consultation."""
    prefix = url_for("public.show_consultation", slug=consultation.slug)
    if target and target.startswith(prefix) and "//" not in target and "\\" not in target:
        return target
    return None


@bp.get("/")
@shareable
def list_consultations():
    """The open, upcoming and closed consultations (not those in preparation, nor archived
    ones), each kind under its heading; with only one listed, go straight to it."""
    consultations = db.session.scalars(
        sa.select(Consultation)
        .where(Consultation.stage != Stage.PREPARATION, Consultation.archived_at.is_(None))
        .order_by(Consultation.opens_at.desc())
    ).all()
    if len(consultations) == 1:
        return redirect(url_for("public.show_consultation", slug=consultations[0].slug))
    groups: dict[ConsultationStatus, list[Consultation]] = {s: [] for s in _LISTED}
    for consultation in consultations:
        # In analysis or with its outcome published, it is closed for responses.
        running = consultation.stage is Stage.RUNNING
        groups[consultation.status() if running else ConsultationStatus.CLOSED].append(consultation)
    return render_template(
        "public/index.html",
        consultations=consultations,
        groups=[(status, groups[status]) for status in _LISTED if groups[status]],
    )


#: The home page's headings, in this order.
_LISTED = (ConsultationStatus.OPEN, ConsultationStatus.UPCOMING, ConsultationStatus.CLOSED)


@bp.get("/c/<slug>/")
@kept_for_readers
def show_consultation(slug: str):
    """The consultation's home: what it is, who runs it, its dates, how to take part."""
    consultation = shared_consultation(slug)
    response = drafts.current_response(consultation)
    done = responding.answered_sections(response) if response else set()
    return render_template(
        "public/consultation.html", consultation=consultation, response=response, done=done
    )


@bp.route("/c/<slug>/profile", methods=["GET", "POST"])
@start_response_limit
def edit_profile(slug: str):
    """The first step of a response (and its later edits): who is responding."""
    consultation = shared_consultation(slug)
    response = drafts.current_response(consultation)
    next_url = _safe_next(consultation, request.values.get("next"))
    form = profile_form(consultation)
    if request.method == "GET" and response is not None:
        form.fill_from(response, responding.read_traits(consultation.profile, response.id))
    status = 200
    if request.method == "POST":
        responding.ensure_writable(consultation, response)
        valid = form.validate_on_submit()
        refusal = form.refusal(starting=response is None)
        if refusal is not None:
            form.form_errors.append(refusal)
        elif valid:
            if response is None:
                done = _start(consultation, form)
                if done is not None:
                    return done
            else:
                responding.update_profile(response, form.profile())
                flash(_("Your details were saved."), "success")
            first = url_for("public.show_section", slug=slug, key=consultation.sections[0].key)
            return redirect(next_url or first)
        status = 422
    return (
        render_template(
            "public/profile.html",
            consultation=consultation,
            response=response,
            form=form,
            next_url=next_url,
        ),
        status,
    )


def _start(consultation: Consultation, form: ProfileForm):
    """Start the response (or find the one this same form started); None when started."""
    assert form.token is not None
    try:
        _response, token = responding.start_response(
            consultation,
            form.profile(),
            locale=current_language(),
            form_token=form.token.nonce,
            address=client_address(),
        )
    except responding.FormAlreadyUsed:
        return render_template("public/form_used.html", consultation=consultation), 409
    drafts.remember(consultation, token)
    flash(_("Thank you. Your answers are saved as a draft as you go."), "success")
    return None


@bp.route("/c/<slug>/s/<key>", methods=["GET", "POST"])
@kept_for_readers
def show_section(slug: str, key: str):
    """A section: its text, its questions and a comment box; POST saves this page."""
    consultation = shared_consultation(slug)
    section = _section(consultation, key)
    return _answer_page(consultation, section)


@bp.route("/c/<slug>/general", methods=["GET", "POST"])
@kept_for_readers
def show_general(slug: str):
    """Questions about the draft as a whole."""
    consultation = shared_consultation(slug)
    if not consultation.general_questions:
        abort(404)
    return _answer_page(consultation, None)


def _answer_page(consultation: Consultation, section: Section | None):
    response = drafts.current_response(consultation)
    questions = _questions_of(consultation, section)
    form: AnswersForm | None = None
    gate: GateForm | None = None
    if request.method == "POST":
        responding.ensure_writable(consultation, response)
        if response is None:
            flash(_("Please tell us who you are first; then you can answer."), "error")
            return redirect(_profile_url(consultation, section))
    if response is not None and response.is_editable:
        posted = request.form if request.method == "POST" else None
        if section is not None and section.gated:
            gate = _gate(section, response, posted)
            if posted is not None:
                reply = _after_gate(consultation, section, response, gate)
                if reply is not None:
                    return reply
        if gate is None or responding.wants_section(response, section) is True:
            form = _page_form(consultation, section, questions, response, posted)
            if posted is not None and not (gate and gate.errors) and form.validate():
                responding.save_answers(
                    response,
                    questions,
                    form.values(),
                    section=section,
                    comment=form.comment_input(),
                )
                flash(_("Saved."), "success")
                return redirect(_where_to(consultation, section, request.form.get("go")))
    status = 422 if (form and form.errors) or (gate and gate.errors) else 200
    preview = _preview(consultation, section, questions) if response is None else None
    comments = (
        published_comments_html(consultation, section, page_number(request.args.get("page")))
        if section and section.comments_enabled
        else None
    )
    return (
        render_template(
            "public/section.html",
            consultation=consultation,
            section=section,
            questions=questions,
            response=response,
            form=form,
            gate=gate,
            wants=responding.wants_section(response, section) if gate else None,
            comments=comments,
            previous=page_before(consultation, section),
            following=page_after(consultation, section),
            profile_url=_profile_url(consultation, section),
            preview=preview,
        ),
        status,
    )


def _preview(
    consultation: Consultation, section: Section | None, questions: list[Question]
) -> tuple[GateForm | None, AnswersForm] | None:
    """For a coordinator previewing a consultation in preparation: the page's gate and
    questions as a respondent will see them (shown, never sent); None otherwise."""
    if not previewing(consultation):
        return None
    gate = gate_form(section, None) if section is not None and section.gated else None
    form = answers_form(
        questions,
        with_comment=section is not None and section.comments_enabled,
        max_chars=current_app.config["MAX_COMMENT_CHARS"],
        contributions=consultation.contribution_choices(current_language()),
    )
    return gate, form


def _page_form(
    consultation: Consultation,
    section: Section | None,
    questions: list[Question],
    response: OwnResponse,
    posted,
) -> AnswersForm:
    """The page's questions and, where the section has one, its comment box."""
    current = response.section_comment(section)
    return answers_form(
        questions,
        with_comment=section is not None and section.comments_enabled,
        max_chars=current_app.config["MAX_COMMENT_CHARS"],
        contributions=consultation.contribution_choices(current_language()),
        formdata=posted,
        answers=answers_by_key(response),
        comment=(current.text, current.contribution) if current else None,
    )


def _gate(section: Section, response: OwnResponse, posted) -> GateForm:
    """The section's yes/no question, warning of what a "no" deletes where there is some."""
    wants = responding.wants_section(response, section)
    wrote = any(c.section_id == section.id for c in response.comments) or any(
        a.question.section_id == section.id for a in response.answers
    )
    return gate_form(section, wants, formdata=posted, has_answers=wants is True and wrote)


def _after_gate(
    consultation: Consultation, section: Section, response: OwnResponse, gate: GateForm
):
    """Store a posted yes or no; the reply that follows it, or None when the page goes on.

    "No" skips the section: the next page (or the one the button asked for) follows.
    A first "yes" brings the same page back with the questions; a "yes" given before
    lets the questions on the page be saved.
    """
    if not gate.validate():
        return None
    if not gate.wants:
        deleted = responding.answer_gate(response, section, False)
        title = f"{section.number}. {section.title}"
        if deleted:
            flash(
                _(
                    "You chose not to answer “%(section)s”; what you had written in it"
                    " was deleted.",
                    section=title,
                ),
                "success",
            )
        else:
            flash(_("You chose not to answer “%(section)s”.", section=title), "success")
        return redirect(_where_to(consultation, section, request.form.get("go")))
    if responding.wants_section(response, section) is not True:
        responding.answer_gate(response, section, True)
        return redirect(
            url_for(
                "public.show_section",
                slug=consultation.slug,
                key=section.key,
                _anchor="section-questions",
            )
        )
    return None


def _where_to(consultation: Consultation, section: Section | None, go: str | None) -> str:
    """After saving a page: the previous page, the review, or (by default) the next page."""
    if go == "prev":
        neighbour = page_before(consultation, section)
    elif go == "review":
        neighbour = None
    else:
        neighbour = page_after(consultation, section)
    return neighbour[1] if neighbour else url_for("public.show_review", slug=consultation.slug)


def _profile_url(consultation: Consultation, section: Section | None) -> str:
    here = (
        url_for("public.show_section", slug=consultation.slug, key=section.key)
        if section
        else url_for("public.show_general", slug=consultation.slug)
    )
    return url_for("public.edit_profile", slug=consultation.slug, next=here)


def _require_response(consultation: Consultation) -> OwnResponse:
    response = drafts.current_response(consultation)
    if response is None:
        abort(404)
    return response


@bp.get("/c/<slug>/review")
def show_review(slug: str):
    """Everything the person wrote, with links to change it, and the submit button."""
    consultation = shared_consultation(slug)
    response = drafts.current_response(consultation)
    if response is None:
        flash(_("You have not started a response yet."), "info")
        return redirect(url_for("public.show_consultation", slug=slug))
    return _render_review(consultation, response)


def _render_review(
    consultation: Consultation,
    response: OwnResponse,
    status: int = 200,
    form: HoneypotForm | None = None,
):
    return (
        render_template(
            "public/review.html",
            consultation=consultation,
            response=response,
            rows=review_rows(consultation, response),
            profile=profile_summary(consultation, response),
            form=form or HoneypotForm(),
            private_url=_private_url(consultation),
        ),
        status,
    )


def _private_url(consultation: Consultation) -> str:
    return url_for(
        "public.show_private",
        slug=consultation.slug,
        token=drafts.token_for(consultation),
        _external=True,
    )


@bp.post("/c/<slug>/submit")
def submit(slug: str):
    """Submit the draft tied to this browser."""
    consultation = shared_consultation(slug)
    response = drafts.current_response(consultation)
    responding.ensure_writable(consultation, response)
    if response is None:
        abort(404)
    form = HoneypotForm()
    if not form.validate_on_submit():
        abort(400)
    if form.caught():
        form.form_errors.append(str(guard.AUTOMATED))
    elif response.status is ResponseStatus.DRAFT and guard.too_soon(response.created_at):
        # A person answers and reads before submitting; a script posts at once.
        form.form_errors.append(str(guard.TOO_FAST))
    if form.form_errors:
        return _render_review(consultation, response, status=422, form=form)
    try:
        responding.submit_response(response, token=drafts.token_for(consultation))
    except responding.NothingToSubmit:
        flash(_("Your response is empty: answer a question or write a comment first."), "error")
        return _render_review(consultation, response, status=422)
    return redirect(url_for("public.show_receipt", slug=slug))


@bp.post("/c/<slug>/forget")
def forget(slug: str):
    """Untie the response from this browser (a shared computer); the private link still works."""
    consultation = shared_consultation(slug)
    if not FlaskForm().validate_on_submit():
        abort(400)
    drafts.forget(consultation)
    flash(
        _("This device no longer shows your response. Use your private link to open it."),
        "success",
    )
    return redirect(url_for("public.show_consultation", slug=slug))


@bp.get("/c/<slug>/receipt")
def show_receipt(slug: str):
    """Thank the person; give the reference code and the private link."""
    consultation = shared_consultation(slug)
    response = _require_response(consultation)
    if response.status is not ResponseStatus.SUBMITTED:
        return redirect(url_for("public.show_review", slug=slug))
    return render_template(
        "public/receipt.html",
        consultation=consultation,
        response=response,
        private_url=_private_url(consultation),
        mail=receipt_state(response),
    )


def _outcomes(consultation: Consultation, response: OwnResponse) -> dict[int, CommentOutcome]:
    """What became of each comment of a submitted response, once the outcome is published
    (nothing before: not one query more)."""
    if consultation.stage is not Stage.OUTCOME or response.status is not ResponseStatus.SUBMITTED:
        return {}
    return comment_outcomes(consultation, response.comments, response.draft_version)


def _comparison_url(consultation: Consultation, key: str) -> str:
    """The public comparison of a section's versions."""
    return url_for("public.section_changes", slug=consultation.slug, key=key)


def _private_response(consultation: Consultation, token: str) -> OwnResponse:
    response = load_own_response(consultation, token)
    if response is None:
        abort(404)
    return response


@bp.get("/c/<slug>/r/<token>")
def show_private(slug: str, token: str):
    """The respondent's private page: their response, to view, edit or withdraw."""
    consultation = shared_consultation(slug)
    response = _private_response(consultation, token)
    return render_template(
        "public/private.html",
        consultation=consultation,
        response=response,
        rows=review_rows(consultation, response),
        profile=profile_summary(consultation, response),
        token=token,
        form=FlaskForm(),
        outcomes=_outcomes(consultation, response),
        comparison_url=_comparison_url,
    )


@bp.post("/c/<slug>/r/<token>/edit")
def edit_private(slug: str, token: str):
    """Open the response for editing in this browser."""
    consultation = shared_consultation(slug)
    response = _private_response(consultation, token)
    responding.ensure_writable(consultation, response)
    if not FlaskForm().validate_on_submit():
        abort(400)
    drafts.remember(consultation, token)
    return redirect(url_for("public.show_review", slug=slug))


@bp.route("/c/<slug>/r/<token>/withdraw", methods=["GET", "POST"])
def withdraw(slug: str, token: str):
    """Ask for confirmation, then withdraw the response."""
    consultation = shared_consultation(slug)
    response = _private_response(consultation, token)
    responding.ensure_writable(consultation, response)
    form = FlaskForm()
    if request.method == "POST":
        if not form.validate_on_submit():
            abort(400)
        discarded = responding.withdraw_response(response)
        drafts.forget(consultation)
        if discarded:
            flash(_("Your draft was deleted. Nothing of it was kept."), "success")
            return redirect(url_for("public.show_consultation", slug=slug))
        flash(_("Your response was withdrawn. It will not be counted."), "success")
        return redirect(url_for("public.show_private", slug=slug, token=token))
    return render_template(
        "public/withdraw.html",
        consultation=consultation,
        response=response,
        form=form,
        token=token,
    )
