"""The versions in the console, the explanation of a change, and the public comparison."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa
from flask_babel import force_locale

from consult.extensions import db
from consult.models import AuditEntry, Consultation
from consult.models.outcome import DraftChange, DraftVersion
from consult.models.vocab import Stage
from consult.outcome import changes as outcome_changes
from consult.outcome.answers import ChangeMade
from consult.outcome.changes import link_change
from consult.outcome.versions import load_new_version, section_changes
from consult.public.cache import forget_all
from consult.web.security import PRIVATE
from tests.conftest import post_form
from tests.factories import comment_of, make_responses, make_theme

V2 = Path(__file__).resolve().parents[1] / "bundles" / "enia-2021-v2"
VERSIONS = "/console/c/enia-2021/versions"
VERSION_2 = f"{VERSIONS}/2"
LINK_5_3 = f"{VERSION_2}/s/5-3/change"


@pytest.fixture
def revised(enia):
    """The ENIA with six comments on 5.3 in a theme, then version 2 loaded."""
    responses = make_responses(enia, 6)
    theme = make_theme(enia, "Formación docente", *(comment_of(r) for r in responses))
    load_new_version(V2, note_es="Segunda versión", note_en="Second draft")
    db.session.expire_all()
    return db.session.get(Consultation, enia.id), theme, [comment_of(r).id for r in responses]


def publish_outcome(consultation: Consultation) -> None:
    consultation.stage = Stage.OUTCOME
    db.session.commit()
    forget_all()


def page(client, url: str, lang: str = "en") -> str:
    reply = client.get(f"{url}?lang={lang}")
    assert reply.status_code == 200, reply.status_code
    return reply.get_data(as_text=True)


def test_the_console_lists_the_versions_with_their_notes(coordinator_client, revised):
    html = page(coordinator_client, VERSIONS)
    assert "Version 1" in html and "Version 2" in html and "Second draft" in html
    assert "Segunda versión" in page(coordinator_client, VERSIONS, "es")


def test_a_version_page_compares_each_changed_section(coordinator_client, revised):
    html = page(coordinator_client, VERSION_2)
    assert 'id="section-5-3"' in html and 'id="section-5-10"' in html and 'id="section-6"' in html
    assert 'id="section-5-1"' not in html  # unchanged
    assert '<ins><span class="visually-hidden">Inserted text: </span>To train teachers' in html
    assert '<del><span class="visually-hidden">Deleted text: </span>' in html
    assert "Formación docente — 6 comments" in html
    es = page(coordinator_client, VERSION_2, "es")
    assert "Formar a docentes" in es


def test_the_first_version_and_a_missing_one(coordinator_client, revised):
    assert "nothing to compare" in page(coordinator_client, f"{VERSIONS}/1")
    assert coordinator_client.get(f"{VERSIONS}/3").status_code == 404
    assert coordinator_client.get(f"{VERSIONS}/0").status_code == 404


def test_a_coordinator_explains_a_change_and_links_a_theme_and_comments(
    coordinator_client, revised
):
    consultation, theme, comment_ids = revised
    sid = section_id(consultation, "5-3")
    reply = post_form(
        coordinator_client,
        LINK_5_3,
        {
            f"s{sid}-explanation_es": "Se añadió la formación docente.",
            f"s{sid}-explanation_en": "Teacher training was added.",
            f"s{sid}-themes": str(theme.id),
            f"s{sid}-comments": f"{comment_ids[0]}",
        },
        form_url=VERSION_2,
    )
    assert reply.status_code == 302, reply.get_data(as_text=True)
    change = db.session.scalar(sa.select(DraftChange))
    assert change.explanation_en == "Teacher training was added."
    assert [t.id for t in change.themes] == [theme.id]
    assert [c.id for c in change.comments] == [comment_ids[0]]
    entry = db.session.scalar(sa.select(AuditEntry).filter_by(action="change.link"))
    assert entry.object_id == change.id
    html = page(coordinator_client, VERSION_2)
    assert "This change answers:" in html and "theme Formación docente — 6 comments" in html


def section_id(consultation: Consultation, key: str) -> int:
    return next(s.id for s in consultation.sections if s.key == key)


@pytest.mark.parametrize("comments", ["abc", "999999", "2147483648"])
def test_comment_numbers_that_are_not_comments_here_are_refused(
    coordinator_client, revised, comments
):
    consultation, _theme, _ids = revised
    sid = section_id(consultation, "5-3")
    reply = post_form(
        coordinator_client, LINK_5_3, {f"s{sid}-comments": comments}, form_url=VERSION_2
    )
    assert reply.status_code == 422
    assert "No se guardó nada" in reply.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(DraftChange)) == 0


def _explained_meanwhile(monkeypatch, consultation, theme) -> None:
    """Another coordinator's explanation of 5.3's change, written after this one's read:
    the read finds none, so this one inserts a second change for the same section."""
    version = db.session.scalar(sa.select(DraftVersion).filter_by(number=2))
    section = next(s for s in consultation.sections if s.key == "5-3")
    link_change(version, section, "Primero.", "First.", [theme.id], [], None)
    monkeypatch.setattr(outcome_changes, "_change_of", lambda version, section: None)


def test_two_explanations_of_one_change_at_once_refuse_the_second(monkeypatch, revised):
    consultation, theme, _ids = revised
    _explained_meanwhile(monkeypatch, consultation, theme)
    version = db.session.scalar(sa.select(DraftVersion).filter_by(number=2))
    section = next(s for s in consultation.sections if s.key == "5-3")
    with pytest.raises(outcome_changes.ChangeRaced):
        link_change(version, section, "Segundo.", "Second.", [], [], None)
    db.session.expire_all()
    assert db.session.scalars(sa.select(DraftChange.explanation_en)).all() == ["First."]


def test_the_console_says_so_when_someone_explained_it_at_the_same_moment(
    monkeypatch, coordinator_client, revised
):
    consultation, theme, _ids = revised
    _explained_meanwhile(monkeypatch, consultation, theme)
    coordinator_client.get("/console/?lang=en")
    sid = section_id(consultation, "5-3")
    reply = post_form(
        coordinator_client,
        LINK_5_3,
        {f"s{sid}-explanation_es": "Segundo.", f"s{sid}-explanation_en": "Second."},
        form_url=VERSION_2,
    )
    assert reply.status_code == 302 and reply.location.endswith(f"{VERSION_2}#section-5-3")
    html = page(coordinator_client, VERSION_2)
    assert "Someone else explained this change at the same moment." in html
    db.session.expire_all()
    assert db.session.scalars(sa.select(DraftChange.explanation_en)).all() == ["First."]


def test_the_same_explanation_again_writes_nothing(coordinator_client, revised):
    consultation, theme, comment_ids = revised
    version = db.session.scalar(sa.select(DraftVersion).filter_by(number=2))
    section = next(s for s in consultation.sections if s.key == "5-3")
    assert not link_change(version, section, " ", "", [], [], None)  # nothing, on nothing
    assert db.session.scalar(sa.select(sa.func.count()).select_from(DraftChange)) == 0
    assert link_change(version, section, "Uno.", "One.", [theme.id], comment_ids[:2], None)
    again = list(reversed(comment_ids[:2]))
    assert not link_change(version, section, "Uno. ", "One.", [theme.id], again, None)
    entries = db.session.scalars(sa.select(AuditEntry).filter_by(action="change.link")).all()
    assert len(entries) == 1
    coordinator_client.get("/console/?lang=en")
    sid = section_id(consultation, "5-3")
    reply = post_form(
        coordinator_client,
        LINK_5_3,
        {
            f"s{sid}-explanation_es": "Uno.",
            f"s{sid}-explanation_en": "One.",
            f"s{sid}-themes": str(theme.id),
            f"s{sid}-comments": f"{comment_ids[1]}, {comment_ids[0]}",
        },
        form_url=VERSION_2,
    )
    assert reply.status_code == 302
    assert "Nothing was changed" in page(coordinator_client, VERSION_2)
    assert (
        db.session.scalar(
            sa.select(sa.func.count()).select_from(AuditEntry).filter_by(action="change.link")
        )
        == 1
    )


def test_an_explanation_in_english_alone_explains_a_change(client, revised):
    consultation, _theme, _ids = revised
    version = db.session.scalar(sa.select(DraftVersion).filter_by(number=2))
    section = next(s for s in consultation.sections if s.key == "5-3")
    link_change(version, section, "", "Teacher training added.", [], [], None)
    db.session.expire_all()
    consultation = db.session.get(Consultation, consultation.id)
    (found,) = section_changes(consultation, 1, 2, key="5-3")
    assert [c.explanation_en for c in found.explained] == ["Teacher training added."]
    publish_outcome(consultation)
    for lang in ("es", "en"):  # read in the language it was written in, rather than none
        assert "Teacher training added." in page(client, "/c/enia-2021/s/5-3/changes", lang)
    with force_locale("es"):  # and so on a respondent's private page
        made = ChangeMade(1, 2, found.section, "", "Teacher training added.")
        assert made.explanation == "Teacher training added."


def test_an_unchanged_section_has_no_change_to_explain(coordinator_client, revised):
    reply = post_form(coordinator_client, f"{VERSION_2}/s/5-1/change", {}, form_url=VERSION_2)
    assert reply.status_code == 404


# ---------------------------------------------------------------- public


def test_the_public_changes_are_not_found_before_the_outcome(client, revised):
    assert client.get("/c/enia-2021/changes").status_code == 404
    assert client.get("/c/enia-2021/s/5-3/changes").status_code == 404


def test_a_coordinator_previews_them_privately(coordinator_client, revised):
    reply = coordinator_client.get("/c/enia-2021/changes?lang=en")
    assert reply.status_code == 200
    assert "Preview: not public yet." in reply.get_data(as_text=True)
    assert reply.headers["Cache-Control"] == PRIVATE


@pytest.mark.parametrize("lang", ["es", "en"])
def test_everyone_reads_them_once_the_outcome_is_published(client, revised, lang):
    consultation, theme, comment_ids = revised
    version = db.session.scalar(sa.select(DraftVersion).filter_by(number=2))
    section = next(s for s in consultation.sections if s.key == "5-3")
    link_change(
        version,
        section,
        "Formación docente añadida.",
        "Teacher training added.",
        [theme.id],
        comment_ids,
        None,
    )
    other = next(s for s in consultation.sections if s.key == "5-10")
    link_change(version, other, "Gobernanza.", "Governance.", [theme.id], comment_ids[:1], None)
    publish_outcome(db.session.get(Consultation, consultation.id))
    html = page(client, "/c/enia-2021/changes", lang)
    assert '<ins><span class="visually-hidden">' in html
    if lang == "en":
        assert "Inserted text: </span>To train teachers" in html
        assert "Teacher training added." in html
        assert "theme Formación docente — 6 comments" in html
        assert "Comments it answers one by one: 6." in html
    else:
        assert "Formar a docentes" in html and "Formación docente añadida." in html
    assert "/console/" not in html  # a theme is named, never linked to the console
    one = page(client, "/c/enia-2021/s/5-3/changes", lang)
    assert 'id="section-5-3"' in one and 'id="section-5-10"' not in one
    if lang == "en":  # a small number is not printed (the open-report rule)
        assert "Comments it answers one by one: fewer than 5." in html
    assert client.get("/c/enia-2021/s/nada/changes").status_code == 404
