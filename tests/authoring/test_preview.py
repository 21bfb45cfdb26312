"""A consultation in preparation previewed as a respondent will see it, in each language,
by signed-in coordinators only: its home, the profile step, each section with its
questions, the general questions. Nothing can be sent from the preview."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from consult.extensions import db
from consult.models import Consultation
from consult.models.vocab import Stage
from consult.outcome import stages
from tests.authoring.test_consultations import FORM, NEW
from tests.conftest import post_form


@pytest.fixture
def preparing(enia, admin) -> Consultation:
    """The draft strategy moved back into preparation (not public)."""
    stages.move(enia, Stage.PREPARATION, admin)
    return enia


def pages(consultation: Consultation) -> list[str]:
    urls = [f"/c/{consultation.slug}/", f"/c/{consultation.slug}/profile"]
    urls += [f"/c/{consultation.slug}/s/{s.key}" for s in consultation.sections]
    if consultation.general_questions:
        urls.append(f"/c/{consultation.slug}/general")
    return urls


def test_every_page_a_respondent_sees_is_previewed_by_coordinators_only(
    client, coordinator_client, preparing
):
    for url in pages(preparing):
        assert client.get(url).status_code == 404, url
        for lang, notice in (("es", 'class="notice preview"'), ("en", "Preview: not public yet.")):
            reply = coordinator_client.get(f"{url}?lang={lang}")
            body = reply.get_data(as_text=True)
            assert reply.status_code == 200, url
            assert f'<html lang="{lang}"' in body
            assert notice in body or "Preview" in body, url
            assert "no-store" in reply.headers["Cache-Control"]


def test_a_sections_questions_are_shown_in_the_preview_in_each_language(
    coordinator_client, preparing
):
    section = next(s for s in preparing.sections if s.questions)
    question = section.questions[0]
    url = f"/c/{preparing.slug}/s/{section.key}"
    for lang in ("es", "en"):
        body = coordinator_client.get(f"{url}?lang={lang}").get_data(as_text=True)
        prompt = question.prompt_es if lang == "es" else question.prompt_en
        assert prompt.split("\n")[0][:40] in body
        assert 'id="section-questions"' in body
        assert 'type="submit"' not in body.split('id="section-questions"')[1].split("</section>")[0]
    general = coordinator_client.get(f"/c/{preparing.slug}/general?lang=en")
    assert preparing.general_questions[0].prompt_en[:40] in general.get_data(as_text=True)


def test_the_profile_step_is_shown_but_cannot_be_sent(coordinator_client, preparing):
    body = coordinator_client.get(f"/c/{preparing.slug}/profile?lang=en").get_data(as_text=True)
    assert "Nothing can be sent from this preview." in body
    assert "Continue</button>" not in body
    home = coordinator_client.get(f"/c/{preparing.slug}/?lang=en").get_data(as_text=True)
    assert f'href="/c/{preparing.slug}/profile"' in home


def test_the_console_links_to_the_preview_in_each_language(coordinator_client, preparing):
    body = coordinator_client.get(f"/console/c/{preparing.slug}/?lang=en").get_data(as_text=True)
    assert f'href="/c/{preparing.slug}/?lang=es"' in body and "Preview in Spanish" in body
    assert f'href="/c/{preparing.slug}/?lang=en"' in body and "Preview in English" in body


def test_the_open_consultation_shows_no_preview(client, coordinator_client, enia):
    section = next(s for s in enia.sections if s.questions)
    for browser in (client, coordinator_client):
        body = browser.get(f"/c/enia-2021/s/{section.key}?lang=en").get_data(as_text=True)
        assert "Nothing can be sent from this preview." not in body
    assert db.session.scalar(sa.select(Consultation.stage)) is Stage.RUNNING


def test_a_gated_sections_question_comes_first_in_the_preview(coordinator_client, gated, admin):
    stages.move(gated, Stage.PREPARATION, admin)
    body = coordinator_client.get("/c/enia-2021/s/5-3?lang=en").get_data(as_text=True)
    gate = body.index("Do you want to answer the section on education?")
    assert gate < body.index('id="section-questions"')


def test_a_consultation_just_created_is_previewed_in_each_language(admin_client, client):
    assert post_form(admin_client, NEW, FORM).status_code == 302
    home = f"/c/{FORM['slug']}/"
    assert client.get(home).status_code == 404
    es = admin_client.get(f"{home}?lang=es").get_data(as_text=True)
    en = admin_client.get(f"{home}?lang=en").get_data(as_text=True)
    assert "Reglamento de datos personales" in es and "Una <strong>consulta</strong>" in es
    assert "Personal data regulation" in en and "A <strong>consultation</strong>" in en
    profile = admin_client.get(f"/c/{FORM['slug']}/profile?lang=en")
    assert profile.status_code == 200
    assert "<em>Law 29733</em>" in profile.get_data(as_text=True)
