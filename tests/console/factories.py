"""Build submitted responses and their comments straight through the ORM, fast.

The public flow is tested on its own; console tests need many responses in many shapes,
so they are written here as the flow would leave them.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa

from consult.extensions import db
from consult.models import Comment, Consultation, Response, Section, Theme
from consult.models.columns import utcnow
from consult.models.response import hash_token, new_reference
from consult.models.vocab import (
    Contribution,
    ModerationState,
    RejectionReason,
    ResponseStatus,
)

#: A comment as (section key, text) or a dict with section, text and any Comment columns.
CommentSpec = tuple[str, str] | dict[str, Any]


def build_response(
    consultation: Consultation,
    comments: Iterable[CommentSpec] = (),
    *,
    status: str = "submitted",
    stakeholder_type: str = "academia",
    region: str = "lima_metropolitana",
    responding_as: str = "organisation",
    organisation_name: str | None = None,
    publication: str = "anonymous",
    display_name: str | None = None,
    submitted_at: datetime | None = None,
    token: str | None = None,
    **profile: Any,
) -> Response:
    """A response added to the session (not committed) with one comment per spec.

    ``token`` is the secret of the respondent's private link, for tests that open it.
    """
    now = utcnow()
    moment = submitted_at or now
    if responding_as == "organisation" and organisation_name is None:
        organisation_name = "Organización de prueba"
    response = Response(
        consultation_id=consultation.id,
        reference=new_reference(),
        token_hash=hash_token(token or secrets.token_urlsafe(24)),
        status=ResponseStatus(status),
        responding_as=responding_as,
        stakeholder_type=stakeholder_type,
        organisation_name=organisation_name if responding_as == "organisation" else None,
        organisation_size="medium" if responding_as == "organisation" else None,
        region=region,
        publication=publication,
        display_name=display_name,
        consent_at=moment - timedelta(minutes=5),
        created_at=moment - timedelta(minutes=5),
        submitted_at=None if status == "draft" else moment,
        withdrawn_at=moment if status == "withdrawn" else None,
        **profile,
    )
    db.session.add(response)
    sections = {s.key: s for s in consultation.sections}
    for spec in comments:
        values = dict(spec) if isinstance(spec, dict) else {"section": spec[0], "text": spec[1]}
        section = sections[values.pop("section")]
        values.setdefault("contribution", Contribution.PROBLEM_DEFINITION)
        if values.get("moderation") == ModerationState.REJECTED:
            values.setdefault("rejection_reason", RejectionReason.OFF_TOPIC)
        values.setdefault("created_at", moment - timedelta(minutes=1))
        response.comments.append(Comment(section_id=section.id, **values))
    return response


def make_response(consultation: Consultation, *comments: CommentSpec, **options) -> Response:
    """One response, committed."""
    response = build_response(consultation, comments, **options)
    db.session.commit()
    return response


def make_responses(
    consultation: Consultation,
    count: int,
    *,
    section: str = "5-3",
    start: datetime | None = None,
    **options,
) -> list[Response]:
    """``count`` responses a minute apart, each with one comment on ``section``, committed."""
    start = start or utcnow() - timedelta(days=1)
    responses = [
        build_response(
            consultation,
            [(section, f"Comentario número {n:03d}")],
            submitted_at=start + timedelta(minutes=n),
            **options,
        )
        for n in range(count)
    ]
    db.session.commit()
    return responses


def make_theme(consultation: Consultation, name: str, *comments: Comment) -> Theme:
    """A theme with these comments tagged, committed (no audit entry: this is set-up)."""
    theme = Theme(consultation_id=consultation.id, name=name)
    db.session.add(theme)
    for comment in comments:
        comment.themes.append(theme)
    db.session.commit()
    return theme


def comment_of(response: Response, section: str = "5-3") -> Comment:
    """The response's comment on ``section``, read fresh from the database."""
    db.session.expire_all()
    return db.session.scalars(
        sa.select(Comment)
        .join(Comment.section)
        .where(Comment.response_id == response.id)
        .where(Section.key == section)
    ).one()
