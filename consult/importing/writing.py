"""Adding the rows a plan accepted, in one transaction, as the web form would store them.

Each row becomes a submitted ``Response`` of the mapping's channel (``import`` or
``paper``), pointing at one ``ResponseImport`` (the file's name and SHA-256), with a fresh
reference and the hash of a random edit token nobody holds (an imported response is not
edited through a private link), its answers, chosen options and comments (which start
awaiting moderation, like any comment). The moment it was given is the file's timestamp;
consent is taken as given then: whoever imports affirms the respondents consented
(the console asks; docs/importing-responses.md says so for the command line).

Rows whose hash the consultation holds already are skipped and counted, so importing a
file twice adds nothing. While the plan has problems nothing is written, unless the
caller chose ``skip_invalid``: then only the valid rows are, and the refused ones are
counted in the result. Everything, the audit entry included, is one transaction.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field

import sqlalchemy as sa

from ..extensions import db
from ..models import (
    Answer,
    AnswerChoice,
    Comment,
    Consultation,
    GateAnswer,
    RespondentTrait,
    Response,
    ResponseImport,
    User,
)
from ..models.columns import utcnow
from ..models.response import hash_token, new_reference
from ..models.vocab import QuestionType, ResponseStatus, Stage
from ..responding.changes import note_public_change
from ..reviewing import audit
from .mapping import Mapping
from .reading import Table
from .rows import Plan, Planned

#: Hashes looked up per query (well under SQLite's and PostgreSQL's parameter limits).
_CHUNK = 500


class ImportConflict(RuntimeError):
    """The same rows were imported at the same moment by someone else: nothing was added."""


@dataclass
class ImportResult:
    rows_read: int
    #: Valid rows not imported before: what an import adds.
    to_add: int
    #: Valid rows the consultation already holds (the same row hash).
    already: int
    #: Rows refused for their problems (left out only with ``skip_invalid``).
    refused: int
    #: Rows repeating an earlier row of the same file.
    repeated: int
    blank: int
    written: bool = False
    added: int = 0
    import_id: int | None = None
    #: Response ids written, in file order.
    response_ids: list[int] = field(default_factory=list)


def known_hashes(consultation_id: int, hashes: list[str]) -> set[str]:
    """The row hashes among ``hashes`` that the consultation's responses carry."""
    found: set[str] = set()
    for start in range(0, len(hashes), _CHUNK):
        chunk = hashes[start : start + _CHUNK]
        found.update(
            db.session.scalars(
                sa.select(Response.row_hash).where(
                    Response.consultation_id == consultation_id, Response.row_hash.in_(chunk)
                )
            )
        )
    return found


def import_rows(
    table: Table,
    mapping: Mapping,
    consultation: Consultation,
    plan: Plan,
    *,
    actor: User | None = None,
    skip_invalid: bool = False,
    dry_run: bool = False,
) -> ImportResult:
    """Write the plan's new rows (or, with ``dry_run`` or while problems remain, only say
    what would be written). Raises ``ImportConflict`` if a twin import won the race."""
    if not plan.usable:
        raise ValueError("the mapping cannot be used: check plan.mapping_errors first")
    known = known_hashes(consultation.id, [p.row_hash for p in plan.valid])
    new = [p for p in plan.valid if p.row_hash not in known]
    result = ImportResult(
        rows_read=plan.rows_read,
        to_add=len(new),
        already=len(plan.valid) - len(new),
        refused=len(plan.refused),
        repeated=len(plan.repeated),
        blank=plan.blank,
    )
    if dry_run or (plan.problems and not skip_invalid):
        return result
    try:
        imported = ResponseImport(
            consultation_id=consultation.id,
            file_name=table.file_name,
            file_sha256=table.sha256,
            channel=mapping.channel,
            rows_added=len(new),
            rows_skipped=result.already + result.repeated,
            imported_at=utcnow(),
            imported_by_id=actor.id if actor else None,
        )
        db.session.add(imported)
        db.session.flush()
        responses = [_response(consultation, mapping, imported.id, planned) for planned in new]
        db.session.add_all(responses)
        db.session.flush()
        audit.record(
            actor,
            "responses.import",
            "response_import",
            imported.id,
            after={
                "file_name": table.file_name,
                "file_sha256": table.sha256,
                "channel": mapping.channel,
                "rows_read": result.rows_read,
                "added": len(new),
                "already_imported": result.already,
                "refused": result.refused if skip_invalid else 0,
            },
            actor_email=None if actor else "command line",
        )
        if new:
            note_public_change(db.session)
        db.session.commit()
    except sa.exc.IntegrityError as error:
        db.session.rollback()
        raise ImportConflict() from error
    except Exception:
        db.session.rollback()
        raise
    result.written, result.added, result.import_id = True, len(new), imported.id
    result.response_ids = [r.id for r in responses]
    return result


def _response(
    consultation: Consultation, mapping: Mapping, import_id: int, planned: Planned
) -> Response:
    questions = {q.key: q for q in consultation.questions}
    sections = {s.key: s for s in consultation.sections}
    profile = consultation.profile
    trait_ids = {f.key: f.id for f in profile.further}
    now = utcnow()
    response = Response(
        consultation_id=consultation.id,
        reference=new_reference(),
        token_hash=hash_token(secrets.token_urlsafe(32)),
        status=ResponseStatus.SUBMITTED,
        locale=mapping.locale,
        draft_version=consultation.current_version,
        channel=mapping.channel,
        import_id=import_id,
        row_hash=planned.row_hash,
        consent_at=planned.submitted_at,
        submitted_at=planned.submitted_at,
        created_at=now,
        updated_at=now,
        **planned.columns,
    )
    answered_sections: set[int] = set()
    for key, value in planned.answers.items():
        question = questions[key]
        if question.section_id:
            answered_sections.add(question.section_id)
        if isinstance(value, list):
            ranked = question.type is QuestionType.RANKING
            choices = [
                AnswerChoice(option=code, position=i + 1 if ranked else None)
                for i, code in enumerate(value)
            ]
            response.answers.append(Answer(question_id=question.id, value=None, choices=choices))
        else:
            response.answers.append(Answer(question_id=question.id, value=str(value)))
    for key, (text, contribution) in planned.comments.items():
        section = sections[key]
        answered_sections.add(section.id)
        response.comments.append(
            Comment(
                section_id=section.id,
                text=text,
                contribution=contribution,
                created_at=planned.submitted_at,
            )
        )
    response.traits = [
        RespondentTrait(field_id=trait_ids[key], code=code) for key, code in planned.traits.items()
    ]
    gated = {s.id for s in consultation.sections if s.gated}
    response.gates = [
        GateAnswer(section_id=s, wants=True) for s in sorted(answered_sections & gated)
    ]
    return response


class RemovalRefused(RuntimeError):
    """The file's responses cannot be taken back: the outcome that counts them is public."""


def remove_import(file_import: ResponseImport, actor: User | None) -> int:
    """Take a file back: delete the responses it added (their answers, comments, tags
    and decisions on them go with them, by the database's cascades) and its record, in
    one transaction with an audit entry. How many responses went.

    For a file imported by mistake or with a wrong mapping: its rows' hashes go with the
    responses, so the corrected import adds them again. Refused once the outcome is
    published (``RemovalRefused``): the published record is not rewritten underneath.
    """
    consultation = db.session.get(Consultation, file_import.consultation_id)
    if consultation.stage is Stage.OUTCOME:
        raise RemovalRefused()
    try:
        taken = sa.delete(Response).where(Response.import_id == file_import.id)
        removed = db.session.execute(taken.execution_options(synchronize_session=False))
        audit.record(
            actor,
            "responses.import_removed",
            "response_import",
            file_import.id,
            before={
                "file_name": file_import.file_name,
                "file_sha256": file_import.file_sha256,
                "channel": file_import.channel.value,
                "responses": removed.rowcount,
            },
            actor_email=None if actor else "command line",
        )
        db.session.delete(file_import)
        if removed.rowcount:
            note_public_change(db.session)
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    db.session.expire_all()
    return removed.rowcount
