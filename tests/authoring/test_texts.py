"""Texts in every language: what lacks one is listed (and linked) on the translations page,
and a consultation cannot open while anything is missing."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from flask_babel import force_locale

from consult.authoring.texts import has_opened, missing_translations, slugify, unique_key
from consult.extensions import db
from consult.models import Question, Section
from consult.models.vocab import Stage
from consult.outcome import stages
from tests.conftest import post_form

SLUG = "enia-2021"
PAGE = f"/console/c/{SLUG}/edit/translations"


@pytest.fixture
def preparing(enia):
    enia.stage = Stage.PREPARATION
    db.session.commit()
    return enia


def test_a_whole_bundle_lacks_nothing(preparing):
    assert missing_translations(preparing) == []


def test_each_missing_text_is_listed_with_its_language(app, preparing):
    section = db.session.scalar(sa.select(Section).filter_by(key="5-3"))
    section.body_md_en = ""
    question = db.session.scalar(sa.select(Question).filter_by(key="q-5-3-change"))
    question.help_es, question.help_en = "Ayuda sola", ""
    choice = db.session.scalar(sa.select(Question).filter_by(key="q-4-other-areas"))
    if choice.options:
        choice.options = [{**choice.options[0], "en": ""}, *choice.options[1:]]
    db.session.commit()
    missing = missing_translations(preparing)
    with force_locale("en"):
        found = {(m.target, m.key, str(m.text), m.language) for m in missing}
    assert ("section", "5-3", "Text", "en") in found
    assert ("question", "q-5-3-change", "Help", "en") in found
    assert all(m.language == "en" for m in missing)
    # An optional text empty in both languages is not missing.
    assert not any(m.target == "section" and m.key != "5-3" for m in missing)


def test_the_page_lists_what_is_missing_and_shows_texts_side_by_side(admin_client, preparing):
    section = db.session.scalar(sa.select(Section).filter_by(key="5-3"))
    section.title_en = ""
    db.session.commit()
    page = admin_client.get(PAGE + "?lang=en").get_data(as_text=True)
    assert "1 text lacks a language" in page
    assert f"/console/c/{SLUG}/edit/sections/5-3#title_en" in page
    assert section.title_es in page and "Missing" in page


def test_it_cannot_open_while_a_text_lacks_a_language(admin_client, admin, preparing):
    section = db.session.scalar(sa.select(Section).filter_by(key="5-3"))
    section.title_en = ""
    db.session.commit()
    with pytest.raises(stages.StageRefused) as refused:
        stages.check_move(preparing, Stage.RUNNING)
    assert "/edit/translations" in str(refused.value)
    reply = post_form(admin_client, f"/console/admin/c/{SLUG}/stage", {"stage": "running"})
    assert reply.status_code == 302
    db.session.expire_all()
    assert db.session.get(type(preparing), preparing.id).stage is Stage.PREPARATION

    values = {
        "number": section.number,
        "title_es": section.title_es,
        "title_en": "Education",
        "body_md_es": section.body_md_es,
        "body_md_en": section.body_md_en,
        "comments_enabled": "y",
    }
    assert (
        post_form(admin_client, f"/console/c/{SLUG}/edit/sections/5-3", values).status_code == 302
    )
    stages.move(db.session.get(type(preparing), preparing.id), Stage.RUNNING, admin)
    assert db.session.get(type(preparing), preparing.id).stage is Stage.RUNNING


def test_opened_means_running_past_its_opening_or_later(enia):
    assert has_opened(enia)
    enia.stage = Stage.PREPARATION
    assert not has_opened(enia)
    enia.stage = Stage.ANALYSIS
    assert has_opened(enia)


def test_keys_from_titles():
    assert slugify("Educación y Habilidades: 2027!") == "educacion-y-habilidades-2027"
    assert unique_key("Educación", {"educacion"}, "s") == "educacion-2"
    assert unique_key("New", set(), "s") == "new-2"
    assert unique_key("¿?", set(), "section") == "section"
