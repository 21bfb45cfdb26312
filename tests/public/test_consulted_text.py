"""Until the outcome is published, the public reads the draft people were consulted on,
not the revised one loaded during the analysis (``outcome.versions.show_consulted_text``)."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from consult.extensions import db
from consult.models import Consultation
from consult.models.columns import utcnow
from consult.models.vocab import Stage
from consult.outcome.versions import load_new_version
from consult.public.cache import forget_all
from tests.conftest import statements
from tests.content.test_bundles import copy_bundle, edit_yaml
from tests.factories import make_response

V2 = Path(__file__).resolve().parents[1] / "bundles" / "enia-2021-v2"
TOKEN = "el-secreto-de-quien-respondio-la-version-uno"
ADDED = "To train teachers in basic and higher education"
NEW_TITLE = "Implementation, monitoring and evaluation"
OLD_TITLE = "Implementation and evaluation"


def revised_bundle(tmp_path: Path) -> Path:
    """Version 2 of the ENIA, with section 6 retitled and a new section, the annex."""
    bundle = copy_bundle(tmp_path, V2)

    def retitle(section: dict) -> None:
        section["title"] = {"es": "Implementación, seguimiento y evaluación", "en": NEW_TITLE}

    edit_yaml(bundle / "sections" / "16-implementacion.yaml", retitle)
    (bundle / "sections" / "18-anexo.yaml").write_text(
        'key: "anexo"\nnumber: "A"\ntitle: {es: "Anexo", en: "Annex of version two"}\n'
        'body: {es: "Texto nuevo.", en: "New text."}\n',
        encoding="utf-8",
    )
    return bundle


def set_stage(consultation: Consultation, stage: Stage) -> None:
    db.session.get(Consultation, consultation.id).stage = stage
    db.session.commit()
    forget_all()


@pytest.fixture
def in_analysis(enia, tmp_path):
    """The ENIA answered, closed and in analysis; then version 2 loaded."""
    make_response(enia, {"section": "5-3", "text": "Formen a los docentes."}, token=TOKEN)
    enia.opens_at = utcnow() - timedelta(days=30)
    enia.closes_at = utcnow() - timedelta(days=1)
    enia.stage = Stage.ANALYSIS
    db.session.commit()
    load_new_version(revised_bundle(tmp_path))
    forget_all()
    return enia


def text(client, url: str) -> str:
    reply = client.get(f"{url}?lang=en")
    assert reply.status_code == 200, (url, reply.status_code)
    return reply.get_data(as_text=True)


def test_the_public_reads_the_consulted_text_until_the_outcome(client, in_analysis):
    section = text(client, "/c/enia-2021/s/5-3")
    assert ADDED not in section
    home = text(client, "/c/enia-2021/")
    assert OLD_TITLE in home and NEW_TITLE not in home
    assert "Annex of version two" not in home
    assert client.get("/c/enia-2021/s/anexo?lang=en").status_code == 404
    private = text(client, f"/c/enia-2021/r/{TOKEN}")
    assert OLD_TITLE in private and NEW_TITLE not in private

    set_stage(in_analysis, Stage.OUTCOME)
    assert ADDED in text(client, "/c/enia-2021/s/5-3")
    home = text(client, "/c/enia-2021/")
    assert NEW_TITLE in home and "Annex of version two" in home
    assert "New text." in text(client, "/c/enia-2021/s/anexo")
    assert NEW_TITLE in text(client, f"/c/enia-2021/r/{TOKEN}")

    set_stage(in_analysis, Stage.ANALYSIS)  # the outcome withdrawn: the consulted text again
    assert ADDED not in text(client, "/c/enia-2021/s/5-3")


def test_one_query_reads_the_consulted_texts(client, in_analysis):
    with statements() as seen:
        text(client, "/c/enia-2021/s/5-3")
    assert len([s for s in seen if "section_text" in s]) == 1


def test_a_coordinators_preview_of_the_outcome_shows_the_revised_draft(
    coordinator_client, in_analysis
):
    html = text(coordinator_client, "/c/enia-2021/s/anexo/changes")
    assert "Preview: not public yet." in html and "New text." in html
    assert coordinator_client.get("/c/enia-2021/s/anexo/outcome").status_code == 200


def test_a_version_loaded_while_open_is_the_one_people_answer(client, enia, tmp_path):
    load_new_version(revised_bundle(tmp_path))
    forget_all()
    assert ADDED in text(client, "/c/enia-2021/s/5-3")
    assert "Annex of version two" in text(client, "/c/enia-2021/")


def test_the_console_says_which_version_the_public_reads(coordinator_client, in_analysis):
    listing = text(coordinator_client, "/console/c/enia-2021/versions")
    assert "the public pages show version 1, the one people were consulted on" in listing
    set_stage(in_analysis, Stage.OUTCOME)
    listing = text(coordinator_client, "/console/c/enia-2021/versions")
    assert "the public pages show version" not in listing
