"""Comments on passages, grouped by passage, and adopting proposed wording.

A section's page here lists every passage of its current text with the comments on it
(and those on passages its earlier text had), so coordinators read what people said
about each paragraph and target together; a comment that proposes wording shows it
compared word by word with the draft's, and can be adopted into the next version.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.orm import contains_eager

from ..content import passages
from ..extensions import db
from ..models import Comment, Consultation, Response, Section
from ..models.response import flagged_responses
from ..models.vocab import ResponseStatus
from ..outcome import adoption
from ..outcome.diff import shared_words, word_pieces
from ..public.routes import load_consultation
from . import bp
from .forms import AdoptForm, first_error


@dataclass
class PassageGroup:
    """One passage and the comments on it; ``passage`` None: not in the current text."""

    anchor: str
    passage: passages.Passage | None
    text: str
    comments: list[Comment] = field(default_factory=list)

    @property
    def proposals(self) -> int:
        return sum(1 for c in self.comments if c.proposal)


def passage_groups(section: Section) -> list[PassageGroup]:
    """The section's passages in reading order with their comments (submitted or draft,
    withdrawn and flagged ones left out), then the passages of earlier text."""
    comments = db.session.scalars(
        sa.select(Comment)
        .join(Comment.response)
        .where(
            Comment.section_id == section.id,
            Comment.anchor != "",
            Response.status == ResponseStatus.SUBMITTED,
            Response.id.not_in(flagged_responses()),
        )
        .options(contains_eager(Comment.response))
        .order_by(Comment.id)
    ).all()
    current = passages.passages(section.body_md_es)
    groups = {p.anchor: PassageGroup(p.anchor, p, p.text) for p in current}
    earlier: dict[str, PassageGroup] = {}
    for comment in comments:
        group = groups.get(comment.anchor)
        if group is None:
            group = earlier.setdefault(
                comment.anchor, PassageGroup(comment.anchor, None, comment.passage_text or "")
            )
        group.comments.append(comment)
    return [*groups.values(), *earlier.values()]


@bp.get("/c/<slug>/passages")
def list_passages(slug: str):
    """Comments on the passages of one section, grouped by passage."""
    consultation = load_consultation(slug)
    with_comments = [s for s in consultation.sections if s.comments_enabled]
    if not with_comments:
        abort(404)
    wanted = request.args.get("section")
    section = next((s for s in with_comments if s.key == wanted), None)
    if wanted and section is None:
        abort(404)
    section = section or with_comments[0]
    return render_template(
        "console/passages.html",
        consultation=consultation,
        sections=with_comments,
        section=section,
        groups=passage_groups(section),
        counts=_counts(consultation),
    )


def _counts(consultation: Consultation) -> dict[int, int]:
    """Submitted comments on passages per section id, for the section picker."""
    rows = db.session.execute(
        sa.select(Comment.section_id, sa.func.count())
        .join(Comment.response)
        .where(
            Response.consultation_id == consultation.id,
            Comment.anchor != "",
            Response.status == ResponseStatus.SUBMITTED,
            Response.id.not_in(flagged_responses()),
        )
        .group_by(Comment.section_id)
    )
    return dict(rows.all())


def proposal_context(consultation: Consultation, comment: Comment) -> dict:
    """What the comment page shows of a comment on a passage and its proposal."""
    if not comment.anchor:
        return {}
    section = comment.section
    context: dict = {
        "passage_name": _passage_name(section, comment.anchor),
        "passage_url": url_for(
            "public.show_passage", slug=consultation.slug, key=section.key, anchor=comment.anchor
        ),
    }
    if comment.proposal:
        wording = {
            language: adoption.current_wording(section, comment.anchor, language)
            for language in ("es", "en")
        }
        language = proposal_language(comment, wording)
        original = wording[language] or comment.passage_text or ""
        context["proposal_pieces"] = word_pieces(original, comment.proposal)
        context["adoption_refused"] = adoption.refusal(consultation, comment)
        context["adoption_target"] = adoption.target(consultation)
        if context["adoption_refused"] is None:
            other = "en" if language == "es" else "es"
            context["adopt_form"] = AdoptForm(
                data={f"wording_{language}": comment.proposal, f"wording_{other}": wording[other]}
            )
    return context


def proposal_language(comment: Comment, wording: dict[str, str]) -> str:
    """The language a proposal is written in: the one whose draft words it keeps most of
    (a respondent may read the page in English and reword the Spanish); on a tie, the
    language of the text they read, else of their response."""
    read = next(
        (language for language, text in wording.items() if text and text == comment.passage_text),
        None,
    )
    fallback = read or (comment.response.locale if comment.response.locale in wording else "es")
    kept = {
        language: shared_words(text, comment.proposal or "") for language, text in wording.items()
    }
    return max(kept, key=lambda language: (kept[language], language == fallback))


def _passage_name(section: Section, anchor: str) -> str | None:
    found = passages.find(passages.passages(section.body_md_es), anchor)
    if found is None:
        return None
    if found.kind == passages.ITEM:
        return _("On line %(number)d of the section", number=found.number)
    return _("On paragraph %(number)d of the section", number=found.number)


@bp.post("/c/<slug>/comments/<int:comment_id>/adopt")
def adopt_proposal(slug: str, comment_id: int):
    """Adopt a comment's proposed wording into the next version of the draft."""
    consultation = load_consultation(slug)
    comment = db.session.scalar(
        sa.select(Comment)
        .join(Comment.section)
        .where(Comment.id == comment_id, Section.consultation_id == consultation.id)
    )
    if comment is None:
        abort(404)
    back = url_for("console.show_comment", slug=slug, comment_id=comment.id)
    form = AdoptForm()
    if not form.validate_on_submit():
        flash(_("Nothing was adopted: %(why)s", why=first_error(form)), "error")
        return redirect(back)
    try:
        number = adoption.adopt(comment, form.wording_es.data, form.wording_en.data, current_user)
    except adoption.AdoptionRefused as refused:
        flash(_("Nothing was adopted: %(why)s", why=refused.args[0]), "error")
        return redirect(back)
    flash(
        _("The wording was adopted into version %(number)s of the draft.", number=number), "success"
    )
    return redirect(back)
