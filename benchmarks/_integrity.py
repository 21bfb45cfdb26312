"""After a load run: does the database hold exactly the responses the server acknowledged?

Each journey put its own email address in the profile, so every row in the database can
be traced to the journey that made it. For each journey the check reads its rows and says

* **lost**: acknowledged (a receipt with a reference code was read) but no submitted
  response with that reference and that journey's email is in the database;
* **duplicated**: more than one response row for one journey (a retried start or submit
  made a second response);
* **partial**: a submitted response whose profile, answers or comments differ from what
  the journey sent (something missing, extra or changed);

and counts responses submitted although the journey never read its receipt (the answer to
the submit was cut after the commit): they are legitimate, and must be complete too.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

PROFILE = (
    "responding_as",
    "stakeholder_type",
    "region",
    "gender",
    "age_band",
    "publication",
    "display_name",
    "email",
)


@dataclass
class Verdict:
    acknowledged: int = 0
    submitted_in_database: int = 0
    stored_unacknowledged: int = 0
    drafts_left: int = 0
    lost: list[str] = field(default_factory=list)
    duplicated: list[str] = field(default_factory=list)
    partial: list[str] = field(default_factory=list)
    strangers: list[str] = field(default_factory=list)
    #: Requests sent again whose first send had already been committed: the retry met the
    #: response it had itself started or submitted (idempotency exercised, not just assumed).
    replayed: Counter[str] = field(default_factory=Counter)

    @property
    def ok(self) -> bool:
        return not (self.lost or self.duplicated or self.partial or self.strangers)


def _plain(value) -> str:
    return "" if value is None else str(getattr(value, "value", value))


def differences(response, sent, questions: dict[str, object]) -> list[str]:
    """What differs between a stored response and what its journey sent."""
    from consult.public.forms import field_name

    out = []
    for name in PROFILE:
        if _plain(getattr(response, name)) != sent.profile.get(name, ""):
            out.append(f"profile {name}: stored {getattr(response, name)!r}")
    by_field = {field_name(q): q for q in questions.values()}
    stored = {a.question_id: a for a in response.answers}
    for name, raw in sent.answers.items():
        question = by_field[name]
        answer = stored.pop(question.id, None)
        if answer is None:
            out.append(f"answer {question.key}: missing")
            continue
        kind = question.type.value
        if kind == "multiple_choice":
            ok = sorted(c.option for c in answer.choices) == sorted(raw) and not answer.value
        elif kind == "ranking":
            wanted = {
                code: int(p) for code, p in zip(question.option_codes(), raw, strict=True) if p
            }
            ok = {c.option: c.position for c in answer.choices} == wanted
        else:
            ok = answer.value == raw[0].strip() and not answer.choices
        if not ok:
            out.append(f"answer {question.key}: stored {answer.value!r} {answer.codes!r}")
    out.extend(f"answer {a.question.key}: not sent but stored" for a in stored.values())
    comments = {c.section.key: (c.text, _plain(c.contribution)) for c in response.comments}
    for key in sorted(set(comments) | set(sent.comments)):
        if key not in comments:
            out.append(f"comment on {key}: missing")
        elif key not in sent.comments:
            out.append(f"comment on {key}: not sent but stored")
        elif comments[key] != sent.comments[key]:
            out.append(f"comment on {key}: stored {comments[key][0][:40]!r}…")
    return out


def check(app, slug: str, journeys: list) -> Verdict:
    """Compare the database behind ``app`` with the journeys of a run."""
    from consult.extensions import db
    from consult.models import Answer, Comment, Consultation, Response
    from consult.models.vocab import ResponseStatus

    verdict = Verdict()
    with app.app_context():
        consultation = db.session.scalar(
            sa.select(Consultation)
            .filter_by(slug=slug)
            .options(selectinload(Consultation.questions), selectinload(Consultation.sections))
        )
        questions = {q.id: q for q in consultation.questions}
        rows = db.session.scalars(
            sa.select(Response)
            .filter_by(consultation_id=consultation.id)
            .options(
                selectinload(Response.answers).selectinload(Answer.choices),
                selectinload(Response.comments).selectinload(Comment.section),
            )
        ).all()
        by_email = defaultdict(list)
        for row in rows:
            by_email[row.email].append(row)
        verdict.submitted_in_database = sum(r.status is ResponseStatus.SUBMITTED for r in rows)
        verdict.drafts_left = sum(r.status is ResponseStatus.DRAFT for r in rows)
        known = {sent.email for sent in journeys}
        verdict.strangers = [f"{r.reference} ({r.email})" for r in rows if r.email not in known]
        for sent in journeys:
            _judge(sent, by_email.pop(sent.email, []), questions, verdict, ResponseStatus)
        db.session.remove()
        db.engine.dispose()
    return verdict


def _judge(sent, rows, questions, verdict: Verdict, status) -> None:
    submitted = [r for r in rows if r.status is status.SUBMITTED]
    if len(rows) > 1:
        states = ", ".join(f"{r.reference} {r.status.value}" for r in rows)
        verdict.duplicated.append(f"{sent.name}: {len(rows)} responses ({states})")
    if sent.outcome == "acknowledged":
        verdict.acknowledged += 1
        mine = [r for r in submitted if r.reference == sent.reference]
        if not mine:
            verdict.lost.append(f"{sent.name}: receipt {sent.reference} not in the database")
            return
    elif submitted:
        verdict.stored_unacknowledged += 1
        if sent.outcome != "unanswered":
            verdict.partial.append(f"{sent.name}: submitted though it stopped at {sent.failure}")
        mine = submitted[:1]
    else:
        return
    _count_replays(sent, mine[0], verdict)
    problems = differences(mine[0], sent, questions)
    if problems:
        verdict.partial.append(f"{sent.name} {mine[0].reference}: " + "; ".join(problems))


def _count_replays(sent, response, verdict: Verdict) -> None:
    """Count retries that came after their first send had committed (by the row's times)."""
    stamps = {"POST profile": response.created_at, "POST submit": response.submitted_at}
    for kind, moment in sent.resent:
        stored = stamps.get(kind)
        if stored is not None and stored < datetime.fromtimestamp(moment, UTC).replace(tzinfo=None):
            verdict.replayed[kind] += 1
