"""``consult demo``'s one transaction: load the bundled draft under the demo's slug, then
store a plan (``plan``) with Core bulk inserts.

The consultation is loaded by the bundle loader (``content.bundles.write_bundle``) with a
slug and title of its own, so it is the bundled draft exactly; it opened five weeks ago,
closes in three (at midnight in its time zone) and its results are published, so the
public results page has something to show. A second run on a demo replaces its
responses, themes, decisions and analyses; a slug that names a consultation which is not
a demo is refused before anything is written. Public pages' caches are dropped when the
transaction commits (``responding.changes``), and the audit trail records the run.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta

import sqlalchemy as sa

from ..content.bundles import bundle_path, read_bundle, write_bundle
from ..content.versions import keep_current_in_step
from ..extensions import db
from ..models import (
    Answer,
    AnswerChoice,
    Comment,
    Consultation,
    CopyCluster,
    InsightRun,
    OpinionMap,
    OutcomeDecision,
    Response,
    ResponseImport,
    Section,
    Theme,
    ThemeSuggestion,
    comment_theme,
)
from ..models.columns import utcnow
from ..models.response import hash_token, new_reference
from ..models.vocab import Stage
from ..models.zones import zone_info
from ..responding.changes import note_public_change
from ..reviewing import audit
from . import texts
from .plan import DemoPlan, plan_demo
from .shape import Shape, shape_of

#: The bundle the demo copies, and the slug it gets unless told otherwise.
DEMO_BUNDLE = "enia-2021"
DEFAULT_SLUG = "enia-2021-demo"
DEFAULT_RESPONSES = 500
#: Weeks since it opened, and weeks until it closes.
WEEKS_OPEN, WEEKS_LEFT = 5, 3


class DemoRefused(Exception):
    """The slug belongs to a consultation that is not a demo: nothing was written."""


@dataclass
class DemoResult:
    """What a run wrote, for the command line."""

    slug: str
    created: bool
    #: Responses of the earlier demo that were replaced (0 on a first run).
    replaced: int
    submitted: int
    drafts: int
    withdrawn: int
    comments: int
    themes: int


def window(time_zone: str, now: datetime) -> tuple[datetime, datetime]:
    """Opened ``WEEKS_OPEN`` weeks ago, closing in ``WEEKS_LEFT``, at midnight in the
    consultation's time zone; naive UTC."""
    zone = zone_info(time_zone)
    today = now.replace(tzinfo=UTC).astimezone(zone).date()

    def midnight(day) -> datetime:
        return datetime.combine(day, time(), zone).astimezone(UTC).replace(tzinfo=None)

    return midnight(today - timedelta(weeks=WEEKS_OPEN)), midnight(
        today + timedelta(weeks=WEEKS_LEFT)
    )


def make_demo(
    slug: str = DEFAULT_SLUG,
    responses: int = DEFAULT_RESPONSES,
    seed: int = 2021,
    now: datetime | None = None,
) -> DemoResult:
    """Create (or refill) the demo consultation ``slug`` with ``responses`` submitted
    responses, in one transaction; ``DemoRefused`` if ``slug`` is not a demo's."""
    now = now or utcnow()
    existing = db.session.scalar(sa.select(Consultation).filter_by(slug=slug))
    if existing is not None and not existing.is_demo:
        raise DemoRefused(
            f"{slug!r} is a real consultation, not a demo: consult demo never touches it."
            " Choose another slug with --slug."
        )
    bundle = read_bundle(bundle_path(DEMO_BUNDLE))
    if slug == bundle["slug"]:
        # ``consult init`` loads the draft under its own slug; a demo there would stand
        # in its place on a fresh database.
        raise DemoRefused(
            f"{slug!r} is the bundled draft's own address, kept for the real consultation."
            " Choose another slug with --slug."
        )
    try:
        replaced = clear(existing) if existing is not None else 0
        bundle["slug"] = slug
        bundle["title_es"] = f"{bundle['title_es']} (demostración)"
        bundle["title_en"] = f"{bundle['title_en']} (demonstration)"
        opens, closes = window(bundle["time_zone"], now)
        write_bundle(bundle, opens=opens, closes=closes)
        consultation = db.session.scalar(sa.select(Consultation).filter_by(slug=slug))
        keep_current_in_step(consultation)
        consultation.is_demo = True
        consultation.summary_published = True
        consultation.stage = Stage.RUNNING
        consultation.archived_at = None
        db.session.flush()
        shape = shape_of(consultation)
        plan = plan_demo(shape, responses, seed, now)
        result = _write(consultation, shape, plan, now)
        result.created, result.replaced = existing is None, replaced
        audit.record(
            None,
            "consultation.demo",
            "consultation",
            consultation.id,
            before={"responses": replaced} if existing is not None else None,
            after={"responses": responses, "seed": seed},
            actor_email="consult demo (command line)",
        )
        note_public_change(db.session)
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return result


def clear(consultation: Consultation) -> int:
    """Remove a demo's responses, themes, decisions and analyses; how many responses."""
    cid = consultation.id
    count = db.session.scalar(
        sa.select(sa.func.count()).select_from(Response).where(Response.consultation_id == cid)
    )
    sections = sa.select(Section.id).where(Section.consultation_id == cid)
    for statement in (
        sa.delete(OutcomeDecision).where(OutcomeDecision.section_id.in_(sections)),
        sa.delete(CopyCluster).where(CopyCluster.consultation_id == cid),
        sa.delete(ThemeSuggestion).where(ThemeSuggestion.consultation_id == cid),
        sa.delete(OpinionMap).where(OpinionMap.consultation_id == cid),
        sa.delete(InsightRun).where(InsightRun.consultation_id == cid),
        sa.delete(Theme).where(Theme.consultation_id == cid),
        sa.delete(Response).where(Response.consultation_id == cid),
        sa.delete(ResponseImport).where(ResponseImport.consultation_id == cid),
    ):
        db.session.execute(statement.execution_options(synchronize_session=False))
    db.session.expire_all()
    return count


def _insert(table: sa.Table, rows: list[dict]) -> list[int]:
    """Insert ``rows`` in one statement (batched by the driver); their ids, in order."""
    if not rows:
        return []
    statement = table.insert().returning(table.c.id, sort_by_parameter_order=True)
    return list(db.session.execute(statement, rows).scalars())


def _write(consultation: Consultation, shape: Shape, plan: DemoPlan, now: datetime) -> DemoResult:
    questions = {q.key: q.id for q in consultation.questions}
    sections = {s.key: s.id for s in consultation.sections}
    references: set[str] = set()
    response_rows = []
    for item in plan.responses:
        person = item.person
        reference = new_reference()
        while reference in references:
            reference = new_reference()
        references.add(reference)
        draft = item.status == "draft"
        response_rows.append(
            {
                "consultation_id": consultation.id,
                "reference": reference,
                "token_hash": hash_token(secrets.token_urlsafe(24)),
                "status": item.status,
                "locale": person.locale,
                "draft_version": consultation.current_version,
                "channel": person.channel,
                "responding_as": person.responding_as,
                "stakeholder_type": person.stakeholder_type,
                "organisation_name": person.organisation_name,
                "organisation_size": person.organisation_size,
                "region": person.region,
                "country": person.country,
                "gender": person.gender,
                "age_band": person.age_band,
                "publication": person.publication,
                "display_name": person.display_name,
                "email": person.email,
                "consent_at": person.started_at,
                "created_at": person.started_at,
                "updated_at": item.withdrawn_at or person.submitted_at,
                "submitted_at": None if draft else person.submitted_at,
                "withdrawn_at": item.withdrawn_at,
            }
        )
    response_ids = _insert(Response.__table__, response_rows)

    answer_rows, picked = [], []
    for response_id, item in zip(response_ids, plan.responses, strict=True):
        moment = item.person.submitted_at
        values = {**item.answers.values, **item.texts}
        for key, value in values.items():
            answer_rows.append(_answer(response_id, questions[key], value, moment))
            picked.append(None)
        for key, codes in item.answers.choices.items():
            answer_rows.append(_answer(response_id, questions[key], None, moment))
            picked.append((codes, key in shape.ranking))
    choice_rows = []
    for answer_id, chosen in zip(_insert(Answer.__table__, answer_rows), picked, strict=True):
        if chosen is not None:
            codes, ranked = chosen
            choice_rows += [
                {"answer_id": answer_id, "option": code, "position": i if ranked else None}
                for i, code in enumerate(codes, start=1)
            ]
    if choice_rows:
        db.session.execute(AnswerChoice.__table__.insert(), choice_rows)

    comment_rows, tagged = [], []
    for response_id, item in zip(response_ids, plan.responses, strict=True):
        moment = item.person.submitted_at
        for note in item.comments:
            later = min(now, moment + timedelta(hours=20))
            decided = note.decision is not None
            comment_rows.append(
                {
                    "response_id": response_id,
                    "section_id": sections[note.section],
                    "text": note.text,
                    "contribution": note.contribution,
                    "created_at": moment,
                    "updated_at": moment,
                    "moderation": note.moderation,
                    "rejection_reason": note.rejection_reason,
                    "redacted_text": note.redacted_text,
                    "moderated_at": None if note.moderation == "pending" else later,
                    "decision": note.decision,
                    "decision_reason": note.decision_reason,
                    "decided_at": later if decided else None,
                }
            )
            tagged.append(note.themes)
    comment_ids = _insert(Comment.__table__, comment_rows)
    themes = _themes(consultation, comment_ids, tagged, now)
    statuses = [r.status for r in plan.responses]
    return DemoResult(
        slug=consultation.slug,
        created=True,
        replaced=0,
        submitted=statuses.count("submitted"),
        drafts=statuses.count("draft"),
        withdrawn=statuses.count("withdrawn"),
        comments=len(comment_ids),
        themes=themes,
    )


def _answer(response_id: int, question_id: int, value: str | None, moment: datetime) -> dict:
    return {
        "response_id": response_id,
        "question_id": question_id,
        "value": value,
        "updated_at": moment,
    }


def _themes(
    consultation: Consultation, comment_ids: list[int], tagged: list[list[str]], now: datetime
) -> int:
    """The themes a coordinator gave by reading (confirmed tags), and the decisions on two."""
    names = sorted({name for names in tagged for name in names})
    theme_ids = dict(
        zip(
            names,
            _insert(
                Theme.__table__,
                [{"consultation_id": consultation.id, "name": n, "created_at": now} for n in names],
            ),
            strict=True,
        )
    )
    links = [
        {"comment_id": comment_id, "theme_id": theme_ids[name], "suggested": False}
        for comment_id, names in zip(comment_ids, tagged, strict=True)
        for name in names
    ]
    if links:
        db.session.execute(comment_theme.insert(), links)
    for name, (decision, reason_es, reason_en) in texts.THEME_DECISIONS.items():
        if name in theme_ids:
            db.session.execute(
                OutcomeDecision.__table__.insert(),
                {
                    "theme_id": theme_ids[name],
                    "decision": decision,
                    "reason_es": reason_es,
                    "reason_en": reason_en,
                    "decided_at": now,
                },
            )
    return len(names)
