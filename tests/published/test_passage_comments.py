"""A published comment on a passage carries its anchor, the passage as its author read it,
its number and kind in the current text, and the wording its author proposed."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from consult.content.passages import passages
from consult.extensions import db
from consult.models import Section
from consult.models.columns import utcnow
from consult.models.vocab import ModerationState, Stage
from consult.published import all_published_comments, published_comments
from consult.published.comments import section_comments
from tests.factories import build_response

STALE = "p-0badf00d"


def _comment(anchor: str, passage_text: str, text: str, **values) -> dict:
    return {"section": "5-3", "anchor": anchor, "passage_text": passage_text, "text": text,
            **values}  # fmt: skip


def test_passage_fields_of_published_comments(app, enia):
    section = db.session.scalar(sa.select(Section).where(Section.key == "5-3"))
    target = passages(section.body_md_es)[2]
    shown = {"moderation": ModerationState.PUBLISHED, "moderated_at": utcnow()}
    build_response(
        enia,
        [
            _comment(target.anchor, target.text, "Me parece bien", proposal="Otra", **shown),
            _comment(STALE, "Texto de antes", "", proposal="Solo propuesta", **shown),
            {"section": "5-3", "text": "Sobre toda la sección", **shown},
            {"section": "5-4", "anchor": "", "text": "Pendiente", "proposal": None},
        ],
        submitted_at=utcnow() - timedelta(hours=1),
    )
    db.session.commit()
    items = {c.anchor: c for c in published_comments(enia, per_page=100).items}
    assert set(items) == {target.anchor, STALE, ""}
    on_target = items[target.anchor]
    assert on_target.on_passage
    assert (on_target.passage_number, on_target.passage_kind) == (target.number, target.kind)
    assert (on_target.passage_text, on_target.proposal) == (target.text, "Otra")
    stale = items[STALE]
    assert (stale.passage_number, stale.passage_kind) == (None, None)
    assert (stale.passage_text, stale.text, stale.proposal) == (
        "Texto de antes",
        "",
        "Solo propuesta",
    )
    whole = items[""]
    assert not whole.on_passage
    assert (whole.passage_text, whole.passage_number, whole.proposal) == (None, None, None)

    only = published_comments(enia, anchor=target.anchor).items
    assert [c.anchor for c in only] == [target.anchor]
    assert [c.anchor for c in published_comments(enia, anchor="").items] == [""]
    page = section_comments(section)
    assert {c.anchor for c in page.items} == {target.anchor, STALE, ""}
    enia.stage = Stage.OUTCOME  # the export reads the same fields
    exported = all_published_comments(enia, shown=((), ()))
    assert {c.proposal for c in exported} == {"Otra", "Solo propuesta", None}
