"""A consultation written in the console, exported and uploaded again to the import page:
the summary finds nothing to change. Its questions were numbered as they were written,
across its pages, and it has no data controller of its own (the organiser is); neither is
a change. A question moved on its page is."""

from __future__ import annotations

from consult.models.vocab import QuestionType
from tests.authoring.test_bundle_import import upload
from tests.authoring.test_consultations import FORM, NEW
from tests.authoring.test_from_nothing import OPTIONS, section
from tests.conftest import post_form

SLUG = FORM["slug"]
EDIT = f"/console/c/{SLUG}/edit"


def build(admin_client) -> None:
    """A part and a sub-part; the questions written alternately on one and the other."""
    assert post_form(admin_client, NEW, FORM).status_code == 302
    assert post_form(admin_client, f"{EDIT}/sections/new", section("marco", "1")).status_code == 302
    sub = section("marco-datos", "1.1", parent="marco")
    assert post_form(admin_client, f"{EDIT}/sections/new", sub).status_code == 302
    for i, kind in enumerate(QuestionType):
        question = {
            "key": f"q-{kind.value.replace('_', '-')}",
            "type": kind.value,
            "section": "marco" if i % 2 == 0 else "marco-datos",
            "prompt_es": f"Pregunta {kind.value}",
            "prompt_en": f"Question {kind.value}",
            **(OPTIONS if kind.has_options else {}),
        }
        assert post_form(admin_client, f"{EDIT}/questions/new", question).status_code == 302


def summary(admin_client) -> str:
    page = upload(admin_client, admin_client.get(f"/console/c/{SLUG}/bundle.zip").data)
    return page.get_data(as_text=True)


def test_its_own_export_changes_nothing(app, admin_client):
    build(admin_client)
    page = summary(admin_client)
    for part in ("Added", "Changed", "Removed"):
        assert f"{part} (0)" in page, page
    assert "there is nothing to import" in page
    assert "/import/confirm" not in page


def test_a_question_moved_on_its_page_is_said_to_move(app, admin_client):
    build(admin_client)
    bundle = admin_client.get(f"/console/c/{SLUG}/bundle.zip").data
    moved = post_form(
        admin_client,
        f"{EDIT}/questions/q-multiple-choice/move",
        {"to": "up"},
        form_url=f"{EDIT}/questions",
    )
    assert moved.status_code == 302
    page = upload(admin_client, bundle).get_data(as_text=True)
    changed = page.split('id="changed-title"', 1)[1].split("</section>", 1)[0]
    assert "<code>q-multiple-choice</code> (order)" in changed
    assert "<code>q-likert</code> (order)" in changed
    assert "q-single-choice" not in changed and "q-ranking" not in changed
