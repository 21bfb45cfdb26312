"""Coordinators' operations: each change is stored with exactly one audit entry per object."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from consult import responding, reviewing
from consult.extensions import db
from consult.models import (
    AuditEntry,
    Comment,
    DraftChange,
    DraftVersion,
    Note,
    OutcomeDecision,
    Theme,
    User,
    comment_theme,
)
from consult.models.vocab import (
    Decision,
    ModerationState,
    RejectionReason,
    Role,
)
from consult.reviewing import accounts
from tests.factories import comment_of, make_response, make_theme

PENDING = {"moderation": "pending", "rejection_reason": None, "redacted_text": None}
PUBLISHED = {**PENDING, "moderation": "published"}


@pytest.fixture
def coordinator(app) -> User:
    user, _ = accounts.create_user("revisora@example.org", Role.COORDINATOR, "una clave larga")
    return user


@pytest.fixture
def comment(enia) -> Comment:
    response = make_response(enia, ("5-3", "Faltan docentes formados en IA."))
    return comment_of(response)


def entries() -> list[AuditEntry]:
    """The audit trail of review actions (account creation left out), oldest first."""
    db.session.expire_all()
    return list(
        db.session.scalars(
            sa.select(AuditEntry)
            .where(AuditEntry.action.not_like("user.%"))
            .order_by(AuditEntry.id)
        )
    )


def only_entry() -> AuditEntry:
    found = entries()
    assert len(found) == 1, [(e.action, e.object_id) for e in found]
    return found[0]


def test_publish_writes_one_entry_with_actor_before_and_after(comment, coordinator):
    assert reviewing.moderate([comment], ModerationState.PUBLISHED, coordinator) == 1
    entry = only_entry()
    assert (entry.action, entry.object_type, entry.object_id) == (
        "comment.moderate",
        "comment",
        comment.id,
    )
    assert (entry.actor_id, entry.actor_email) == (coordinator.id, "revisora@example.org")
    assert entry.before == PENDING
    assert entry.after == PUBLISHED
    refreshed = comment_of(comment.response)
    assert refreshed.moderation is ModerationState.PUBLISHED
    assert refreshed.moderated_by_id == coordinator.id


def test_reject_with_a_reason_then_back_to_pending(comment, coordinator):
    reviewing.moderate([comment], ModerationState.REJECTED, coordinator, RejectionReason.SPAM)
    reviewing.moderate([comment], ModerationState.PENDING, coordinator)
    rejected, pending = entries()
    assert rejected.after == {**PENDING, "moderation": "rejected", "rejection_reason": "spam"}
    assert pending.before == rejected.after
    assert pending.after == PENDING
    assert comment_of(comment.response).rejection_reason is None


def test_reject_without_a_reason_is_refused_and_writes_nothing(comment, coordinator):
    with pytest.raises(reviewing.ReviewError):
        reviewing.moderate([comment], ModerationState.REJECTED, coordinator)
    assert entries() == []
    assert comment_of(comment.response).moderation is ModerationState.PENDING


def test_a_no_op_writes_no_entry(enia, coordinator):
    done = make_response(
        enia, {"section": "5-3", "text": "Ya publicado.", "moderation": "published"}
    )
    waiting = make_response(enia, ("5-3", "Por publicar."))
    changed = reviewing.moderate(
        [comment_of(done), comment_of(waiting)], ModerationState.PUBLISHED, coordinator
    )
    assert changed == 1
    assert only_entry().object_id == comment_of(waiting).id


def test_redaction_keeps_the_original_and_publishes_the_redacted_text(comment, coordinator):
    reviewing.redact(comment, "  Faltan docentes formados en [retirado].  ", coordinator)
    redacted = comment_of(comment.response)
    assert redacted.text == "Faltan docentes formados en IA."
    assert redacted.redacted_text == "Faltan docentes formados en [retirado]."
    assert redacted.public_text == "Faltan docentes formados en [retirado]."
    assert redacted.moderation is ModerationState.PUBLISHED
    entry = only_entry()
    assert entry.action == "comment.redact"
    assert entry.before == PENDING
    assert entry.after == {**PUBLISHED, "redacted_text": "Faltan docentes formados en [retirado]."}


def test_an_empty_redaction_removes_it(comment, coordinator):
    reviewing.redact(comment, "Texto corregido.", coordinator)
    reviewing.redact(comment_of(comment.response), "   ", coordinator)
    removed = comment_of(comment.response)
    assert removed.redacted_text is None
    assert removed.public_text == "Faltan docentes formados en IA."
    first, second = entries()
    assert second.before["redacted_text"] == "Texto corregido."
    assert second.after["redacted_text"] is None


def test_redacting_with_the_same_text_writes_no_entry(comment, coordinator):
    reviewing.redact(comment, "Texto corregido.", coordinator)
    reviewing.redact(comment_of(comment.response), "Texto corregido.", coordinator)
    assert len(entries()) == 1


def test_a_decision_with_a_reason(comment, coordinator):
    reviewing.decide(comment, Decision.PARTLY, " Se incluye en el eje 5.3. ", coordinator)
    decided = comment_of(comment.response)
    assert decided.decision is Decision.PARTLY
    assert decided.decision_reason == "Se incluye en el eje 5.3."
    entry = only_entry()
    assert entry.action == "comment.decide"
    assert entry.before == {"decision": None, "decision_reason": None}
    assert entry.after == {"decision": "partly", "decision_reason": "Se incluye en el eje 5.3."}


def test_a_decision_without_a_reason_is_refused_and_changes_nothing(comment, coordinator):
    with pytest.raises(reviewing.ReviewError):
        reviewing.decide(comment, Decision.ACCEPTED, "   ", coordinator)
    assert entries() == []
    assert comment_of(comment.response).decision is None


def test_clearing_a_decision_and_repeating_one(comment, coordinator):
    reviewing.decide(comment, Decision.ACCEPTED, "Se incorpora.", coordinator)
    reviewing.decide(comment_of(comment.response), Decision.ACCEPTED, "Se incorpora.", coordinator)
    assert len(entries()) == 1
    reviewing.decide(comment_of(comment.response), None, "", coordinator)
    cleared = comment_of(comment.response)
    assert (cleared.decision, cleared.decision_reason) == (None, None)
    assert entries()[-1].after == {"decision": None, "decision_reason": None}


def test_notes_on_a_response_and_on_a_comment(comment, coordinator):
    response = comment.response
    reviewing.add_note(coordinator, "Llamar a la universidad.", response=response)
    reviewing.add_note(coordinator, "Revisar cifras.", comment=comment)
    on_response, on_comment = entries()
    assert (on_response.action, on_response.object_type, on_response.object_id) == (
        "note.add",
        "response",
        response.id,
    )
    assert on_response.after["text"] == "Llamar a la universidad."
    assert (on_comment.object_type, on_comment.object_id) == ("comment", comment.id)
    notes = db.session.scalars(sa.select(Note).order_by(Note.id)).all()
    assert [(n.response_id, n.comment_id) for n in notes] == [
        (response.id, None),
        (None, comment.id),
    ]


@pytest.mark.parametrize("targets", ["both", "neither", "empty text"])
def test_a_note_needs_exactly_one_target_and_some_text(comment, coordinator, targets):
    kwargs = {
        "both": {"response": comment.response, "comment": comment},
        "neither": {},
        "empty text": {"comment": comment},
    }[targets]
    text = "   " if targets == "empty text" else "Una nota."
    with pytest.raises(reviewing.ReviewError):
        reviewing.add_note(coordinator, text, **kwargs)
    assert entries() == []
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Note)) == 0


def test_tag_and_untag(enia, comment, coordinator):
    theme = make_theme(enia, "Docentes")
    assert reviewing.tag([comment], theme, coordinator) == 1
    assert reviewing.tag([comment_of(comment.response)], theme, coordinator) == 0
    assert [t.name for t in comment_of(comment.response).themes] == ["Docentes"]
    assert reviewing.tag([comment_of(comment.response)], theme, coordinator, add=False) == 1
    assert comment_of(comment.response).themes == []
    tagged, untagged = entries()
    assert (tagged.action, tagged.before, tagged.after) == (
        "comment.tag",
        {"themes": []},
        {"themes": ["Docentes"]},
    )
    assert (untagged.action, untagged.after) == ("comment.untag", {"themes": []})


def test_create_a_theme_and_refuse_a_duplicate_name(enia, coordinator):
    theme = reviewing.create_theme(enia, "  Formación   docente ", coordinator)
    assert theme.name == "Formación docente"
    with pytest.raises(reviewing.ReviewError):
        reviewing.create_theme(enia, "FORMACIÓN DOCENTE", coordinator)
    with pytest.raises(reviewing.ReviewError):
        reviewing.create_theme(enia, "formación docente", coordinator)
    entry = only_entry()
    reviewing.create_theme(enia, "Ética", coordinator)
    with pytest.raises(reviewing.ReviewError):
        reviewing.create_theme(enia, "ética", coordinator)
    assert (entry.action, entry.object_id, entry.after) == (
        "theme.create",
        theme.id,
        {"name": "Formación docente"},
    )
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Theme)) == 2


def test_rename_a_theme(enia, coordinator):
    theme = make_theme(enia, "Datos")
    make_theme(enia, "Ética")
    with pytest.raises(reviewing.ReviewError):
        reviewing.rename_theme(theme, "ética", coordinator)
    reviewing.rename_theme(theme, "Datos", coordinator)
    assert entries() == []
    reviewing.rename_theme(theme, "Datos abiertos", coordinator)
    entry = only_entry()
    assert (entry.action, entry.before, entry.after) == (
        "theme.rename",
        {"name": "Datos"},
        {"name": "Datos abiertos"},
    )


def test_merge_moves_comments_without_doubling_and_deletes_the_source(enia, coordinator):
    first = comment_of(make_response(enia, ("5-3", "Uno.")))
    both = comment_of(make_response(enia, ("5-3", "Dos.")))
    other = comment_of(make_response(enia, ("5-3", "Tres.")))
    source = make_theme(enia, "Docentes", first, both)
    target = make_theme(enia, "Formación", both, other)
    source_id = source.id
    reviewing.merge_themes(source, target, coordinator)
    assert db.session.get(Theme, source_id) is None
    rows = db.session.execute(sa.select(comment_theme.c.comment_id, comment_theme.c.theme_id))
    assert sorted(rows) == sorted([(c.id, target.id) for c in (first, both, other)])
    entry = only_entry()
    assert (entry.action, entry.object_id) == ("theme.merge", source_id)
    assert entry.before == {"name": "Docentes", "comments": 2}
    assert entry.after == {"merged_into": target.id, "name": "Formación"}


def test_merging_a_theme_into_itself_is_refused(enia, coordinator):
    theme = make_theme(enia, "Docentes")
    with pytest.raises(reviewing.ReviewError):
        reviewing.merge_themes(theme, theme, coordinator)
    assert entries() == []


def test_delete_a_theme_keeps_its_comments(enia, comment, coordinator):
    theme = make_theme(enia, "Docentes", comment)
    theme_id = theme.id
    reviewing.delete_theme(theme, coordinator)
    assert db.session.get(Theme, theme_id) is None
    kept = comment_of(comment.response)
    assert kept.themes == []
    assert kept.text == "Faltan docentes formados en IA."
    entry = only_entry()
    assert (entry.action, entry.before) == ("theme.delete", {"name": "Docentes", "comments": 1})


def test_editing_a_published_comment_returns_it_to_pending_without_redaction(
    enia, comment, coordinator
):
    reviewing.redact(comment, "Faltan docentes formados.", coordinator)
    response = comment.response
    section = comment.section
    same = responding.CommentInput("Faltan docentes formados en IA.", "other")
    responding.save_answers(response, [], {}, section=section, comment=same)
    assert comment_of(response).moderation is ModerationState.PUBLISHED
    edited = responding.CommentInput("Faltan docentes y laboratorios.", "other")
    responding.save_answers(response, [], {}, section=section, comment=edited)
    changed = comment_of(response)
    assert changed.text == "Faltan docentes y laboratorios."
    assert changed.moderation is ModerationState.PENDING
    assert changed.redacted_text is None
    assert changed.public_text == "Faltan docentes y laboratorios."


def _decided(theme: Theme, decision: Decision, reason: str) -> OutcomeDecision:
    row = OutcomeDecision(theme_id=theme.id, decision=decision, reason_es=reason, reason_en=reason)
    db.session.add(row)
    db.session.commit()
    return row


def test_merging_a_decided_theme_keeps_its_decision_and_its_changes_with_its_comments(
    enia, coordinator
):
    comment = comment_of(make_response(enia, ("5-3", "Uno.")))
    source, target = make_theme(enia, "Docentes", comment), make_theme(enia, "Formación")
    _decided(source, Decision.ACCEPTED, "Se añadió una meta.")
    version = DraftVersion(consultation_id=enia.id, number=2)
    change = DraftChange(version=version, section_id=comment.section_id, themes=[source])
    db.session.add(change)
    db.session.commit()
    source_id = source.id
    reviewing.merge_themes(source, target, coordinator)
    kept = db.session.scalars(sa.select(OutcomeDecision)).one()
    assert (kept.theme_id, kept.reason_es) == (target.id, "Se añadió una meta.")
    assert [t.name for t in db.session.get(DraftChange, change.id).themes] == ["Formación"]
    entry = only_entry()
    assert entry.object_id == source_id and entry.after["decision_moved"] is True
    assert entry.before["decision"]["decision"] == "accepted"
    assert entry.before["changes"] == [change.id]


def test_merging_into_a_decided_theme_keeps_the_kept_themes_decision(enia, coordinator):
    source, target = make_theme(enia, "Docentes"), make_theme(enia, "Formación")
    _decided(source, Decision.NOT_ACCEPTED, "Fuera de plazo.")
    _decided(target, Decision.ACCEPTED, "Se añadió una meta.")
    reviewing.merge_themes(source, target, coordinator)
    kept = db.session.scalars(sa.select(OutcomeDecision)).one()
    assert (kept.theme_id, kept.decision) == (target.id, Decision.ACCEPTED)
    entry = only_entry()
    assert entry.before["decision"]["reason_es"] == "Fuera de plazo."  # the trace of what went
    assert "decision_moved" not in entry.after


def test_deleting_a_decided_theme_records_what_its_decision_was(enia, coordinator):
    theme = make_theme(enia, "Docentes")
    _decided(theme, Decision.PARTLY, "En parte.")
    reviewing.delete_theme(theme, coordinator)
    assert db.session.scalars(sa.select(OutcomeDecision)).all() == []
    assert only_entry().before["decision"] == {
        "decision": "partly",
        "reason_es": "En parte.",
        "reason_en": "En parte.",
    }
