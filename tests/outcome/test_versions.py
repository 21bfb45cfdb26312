"""A new version of the draft: loaded from a bundle, every version's texts kept, every
response still attached to what it answered."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa

from consult.content import load_bundle
from consult.extensions import db
from consult.models import AuditEntry, Comment, Consultation, Response, Section
from consult.models.outcome import DraftVersion, SectionText
from consult.outcome.versions import VersionRefused, load_new_version, section_changes
from tests.content.test_bundles import copy_bundle, edit_yaml

V2 = Path(__file__).resolve().parents[1] / "bundles" / "enia-2021-v2"


def run(app, *args: str):
    return app.test_cli_runner().invoke(args=["load-consultation", *args])


def texts(number: int) -> dict[str, SectionText]:
    db.session.expire_all()
    version = db.session.scalar(sa.select(DraftVersion).filter_by(number=number))
    return {t.section.key: t for t in version.texts}


def table_counts() -> dict[str, int]:
    db.session.expire_all()
    tables = (DraftVersion, SectionText, Section, Response, Comment, AuditEntry)
    return {
        t.__name__: db.session.scalar(sa.select(sa.func.count()).select_from(t)) for t in tables
    }


def test_the_cli_loads_version_2_after_snapshotting_version_1(app, enia, start_response):
    response = start_response(enia)
    before_5_3 = next(s for s in enia.sections if s.key == "5-3").body_md_es
    result = run(
        app, str(V2), "--new-version", "--note-es", "Segunda versión", "--note-en", "Second draft"
    )
    assert result.exit_code == 0, result.output
    assert "version 2" in result.output and "5-3" in result.output
    db.session.expire_all()
    consultation = db.session.scalar(sa.select(Consultation).filter_by(slug="enia-2021"))
    assert consultation.current_version == 2
    first, second = texts(1), texts(2)
    assert set(first) == set(second) == {s.key for s in consultation.sections}
    assert first["5-3"].body_md_es == before_5_3
    assert "docentes" in second["5-3"].body_md_es and "docentes" not in before_5_3
    assert "teachers" in second["5-3"].body_md_en
    assert "<li>" in second["5-3"].body_html_es
    live = next(s for s in consultation.sections if s.key == "5-3")
    assert live.body_md_es == second["5-3"].body_md_es  # the live row holds the latest text
    notes = db.session.scalar(sa.select(DraftVersion).filter_by(number=2))
    assert (notes.note_es, notes.note_en) == ("Segunda versión", "Second draft")
    # The response answered version 1 and stays attached; a new one answers version 2.
    assert db.session.get(Response, response.id).draft_version == 1
    changed = {c.section.key for c in section_changes(consultation, 1, 2)}
    assert changed == {"5-3", "5-10", "6"}
    assert not db.session.scalars(sa.select(AuditEntry).filter_by(action="draft.new_version")).all()


def test_responses_after_a_new_version_answer_it(app, enia, client, start_response):
    load_new_version(V2)
    db.session.expire_all()
    response = start_response(db.session.get(Consultation, enia.id))
    assert response.draft_version == 2


def test_answers_and_comments_stay_attached(app, enia, start_response):
    response = start_response(enia)
    section = next(s for s in enia.sections if s.key == "5-3")
    db.session.add(Comment(response_id=response.id, section_id=section.id, text="Formar docentes"))
    db.session.commit()
    load_new_version(V2)
    db.session.expire_all()
    comment = db.session.scalar(sa.select(Comment).filter_by(text="Formar docentes"))
    assert comment.section.key == "5-3" and comment.section_id == section.id


def test_an_audit_entry_when_a_person_loads_it(app, enia, admin):
    load_new_version(V2, actor=admin)
    entry = db.session.scalar(sa.select(AuditEntry).filter_by(action="draft.new_version"))
    assert entry.actor_id == admin.id and entry.after["version"] == 2


def test_the_same_bundle_twice_is_refused(app, enia):
    load_new_version(V2)
    counts = table_counts()
    result = run(app, str(V2), "--new-version")
    assert result.exit_code != 0
    assert "Nothing changed from version 2" in result.output
    assert table_counts() == counts


def test_the_current_bundle_as_a_new_version_is_refused(app, enia):
    with pytest.raises(VersionRefused, match="Nothing changed from version 1"):
        load_new_version("enia-2021")
    assert table_counts()["DraftVersion"] == 0


def test_an_unknown_slug_is_refused(app):
    result = run(app, str(V2), "--new-version")
    assert result.exit_code != 0
    assert "No consultation has the address “enia-2021”" in result.output
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Consultation)) == 0


def test_a_bundle_that_drops_a_section_or_question_is_refused(app, enia, tmp_path):
    bundle = copy_bundle(tmp_path, V2)
    (bundle / "sections" / "17-cambio-climatico.yaml").unlink()
    edit_yaml(bundle / "sections" / "08-5-3-educacion.yaml", lambda s: s["questions"].pop())
    counts = table_counts()
    result = run(app, str(bundle), "--new-version")
    assert result.exit_code != 0
    assert "leaves out" in result.output and "q-5-3-change" in result.output
    assert table_counts() == counts


def test_a_new_section_is_allowed(app, enia, tmp_path):
    bundle = copy_bundle(tmp_path, V2)
    (bundle / "sections" / "18-anexo.yaml").write_text(
        'key: "anexo"\nnumber: "A"\ntitle: {es: "Anexo", en: "Annex"}\n'
        'body: {es: "Texto nuevo.", en: "New text."}\n',
        encoding="utf-8",
    )
    loaded = load_new_version(bundle)
    assert "anexo" in loaded.changed
    assert "anexo" not in texts(1) and texts(2)["anexo"].body_md_en == "New text."
    consultation = db.session.get(Consultation, enia.id)
    new = next(c for c in section_changes(consultation, 1, 2) if c.section.key == "anexo")
    assert new.before is None


def test_a_reload_keeps_the_current_versions_text_in_step(app, enia, tmp_path):
    load_new_version(V2)
    bundle = copy_bundle(tmp_path, V2)

    def fix(section: dict) -> None:
        section["body"]["es"] = section["body"]["es"].replace("docentes", "maestras y maestros")

    edit_yaml(bundle / "sections" / "08-5-3-educacion.yaml", fix)
    load_bundle(bundle)  # an ordinary reload: a typo fixed in version 2
    assert "maestras y maestros" in texts(2)["5-3"].body_md_es
    assert "maestras y maestros" in texts(2)["5-3"].body_html_es
    assert "maestras" not in texts(1)["5-3"].body_md_es
    db.session.expire_all()
    assert db.session.get(Consultation, enia.id).current_version == 2


def test_a_third_version_keeps_the_second(app, enia, tmp_path):
    load_new_version(V2)
    bundle = copy_bundle(tmp_path, V2)
    edit_yaml(
        bundle / "sections" / "17-cambio-climatico.yaml",
        lambda s: s["title"].update(es=s["title"]["es"] + " (revisado)"),
    )
    loaded = load_new_version(bundle)
    assert (loaded.number, loaded.changed) == (3, ["7"])
    assert "docentes" in texts(3)["5-3"].body_md_es and "docentes" in texts(2)["5-3"].body_md_es
    assert "(revisado)" not in texts(2)["7"].title_es
    assert "(revisado)" in texts(3)["7"].title_es


def test_a_reload_may_not_remove_a_section_an_earlier_version_holds(app, enia, tmp_path):
    load_new_version(V2)
    bundle = copy_bundle(tmp_path, V2)
    (bundle / "sections" / "17-cambio-climatico.yaml").unlink()
    counts = table_counts()
    result = run(app, str(bundle))
    assert result.exit_code != 0
    assert "version(s) 1, 2 of the draft hold its text" in result.output
    assert table_counts() == counts


def test_a_section_no_version_holds_may_still_leave(app, enia, tmp_path):
    bundle = copy_bundle(tmp_path, Path("consult/content/enia-2021").resolve())
    (bundle / "sections" / "17-cambio-climatico.yaml").unlink()
    assert run(app, str(bundle)).exit_code == 0


def test_a_version_written_at_the_same_moment_is_refused_cleanly(app, enia):
    db.session.add(DraftVersion(consultation_id=enia.id, number=2))  # another loader's
    db.session.commit()
    counts = table_counts()
    with pytest.raises(VersionRefused, match="Another version was loaded at the same moment"):
        load_new_version(V2)
    assert table_counts() == counts
    db.session.expire_all()
    assert db.session.get(Consultation, enia.id).current_version == 1


def test_a_new_version_keeps_the_consultations_dates_whatever_its_bundle_says(enia, tmp_path):
    """A revised draft after the consultation does not reopen it (or move its dates)."""
    window = (enia.opens_at, enia.closes_at)
    bundle = copy_bundle(tmp_path, V2)

    def other_dates(meta: dict) -> None:
        meta["opens"] = "2030-01-01T00:00:00"
        meta["closes"] = "2030-03-01T00:00:00"

    edit_yaml(bundle / "consultation.yaml", other_dates)
    load_new_version(bundle)
    db.session.expire_all()
    consultation = db.session.get(Consultation, enia.id)
    assert consultation.current_version == 2
    assert (consultation.opens_at, consultation.closes_at) == window
