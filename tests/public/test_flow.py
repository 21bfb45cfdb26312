"""The whole response flow, as a stakeholder walks it in the browser."""

import re

import sqlalchemy as sa
from markupsafe import escape

from consult.content import load_bundle
from consult.extensions import db
from consult.models import Answer, Comment, Response
from consult.models.vocab import ResponseStatus
from tests.conftest import PROFILE_ACADEMIA, SMALL_BUNDLE, csrf_token, post_form


def _answers(response: Response) -> dict[str, str | list[str] | None]:
    db.session.expire_all()
    rows = db.session.scalars(sa.select(Answer).filter_by(response_id=response.id)).all()
    return {a.question.key: (a.codes or a.value) for a in rows}


def test_home_shows_what_who_when_how_and_contents(client, enia):
    page = client.get("/c/enia-2021/").get_data(as_text=True)
    assert "Estrategia Nacional de Inteligencia Artificial" in page
    assert "Secretaría de Gobierno y Transformación Digital" in page
    assert "<strong>Abierta</strong>" in page
    assert "Cómo participar" in page
    for key in ["1", "2", "3", "4", "5", "5-1", "5-10", "6", "7"]:
        assert f'href="/c/enia-2021/s/{key}"' in page


def test_every_section_reads_in_spanish_and_english(client, enia):
    for section in enia.sections:
        es = client.get(f"/c/enia-2021/s/{section.key}?lang=es")
        assert es.status_code == 200
        assert escape(section.title_es) in es.get_data(as_text=True)
        assert '<html lang="es">' in es.get_data(as_text=True)
        en = client.get(f"/c/enia-2021/s/{section.key}?lang=en")
        assert escape(section.title_en) in en.get_data(as_text=True)
        assert '<html lang="en">' in en.get_data(as_text=True)


def test_language_switch_keeps_the_page_and_is_remembered(client, enia):
    page = client.get("/c/enia-2021/s/5-3").get_data(as_text=True)
    assert 'href="/c/enia-2021/s/5-3?lang=en"' in page
    client.get("/c/enia-2021/s/5-3?lang=en")
    later = client.get("/c/enia-2021/s/5-4").get_data(as_text=True)
    assert '<html lang="en">' in later
    assert "Specific areas and sectors" in later


def test_section_page_has_number_text_and_neighbours(client, enia):
    page = client.get("/c/enia-2021/s/5-3?lang=en").get_data(as_text=True)
    assert '<span class="number">5.3</span> Education and skills' in page
    assert "To train professionals with competencies for research" in page
    assert 'rel="prev" href="/c/enia-2021/s/5-2"' in page
    assert 'rel="next" href="/c/enia-2021/s/5-4"' in page


def test_sections_ask_for_the_profile_before_answers(client, enia):
    page = client.get("/c/enia-2021/s/5-3").get_data(as_text=True)
    assert "/c/enia-2021/profile?next=/c/enia-2021/s/5-3" in page
    assert 'name="q_q_5_3_agree"' not in page


def test_profile_then_two_sections_review_submit_receipt_edit_withdraw(
    client, enia, start_response
):
    # Profile: once, then back to the section the person came from.
    started = post_form(
        client,
        "/c/enia-2021/profile",
        {"next": "/c/enia-2021/s/5-3", **PROFILE_ACADEMIA},
        form_url="/c/enia-2021/profile?next=/c/enia-2021/s/5-3",
    )
    assert started.status_code == 302
    assert started.headers["Location"].endswith("/c/enia-2021/s/5-3")
    response = db.session.scalar(sa.select(Response))
    assert response.status is ResponseStatus.DRAFT
    assert response.stakeholder_type == "academia"
    assert enia.profile.group_of[response.stakeholder_type] == "academia"
    assert response.organisation_name == "Universidad Nacional de Ingeniería"

    # Section 5.3: an answer, a long text and a comment; saved as a draft.
    saved = post_form(
        client,
        "/c/enia-2021/s/5-3",
        {
            "q_q_5_3_agree": "4",
            "q_q_5_3_change": "Faltan metas para docentes de escuelas rurales.",
            "comment": "La formación debe llegar a las regiones.",
            "contribution": "problem_definition",
            "go": "next",
        },
    )
    assert saved.status_code == 302
    assert saved.headers["Location"].endswith("/c/enia-2021/s/5-4")
    assert _answers(response) == {
        "q-5-3-agree": "4",
        "q-5-3-change": "Faltan metas para docentes de escuelas rurales.",
    }

    # The draft comes back when the person returns to the page.
    again = client.get("/c/enia-2021/s/5-3").get_data(as_text=True)
    assert 'value="4" checked' in again
    assert "La formación debe llegar a las regiones." in again

    # Section 5.10 and the general ranking question.
    post_form(
        client,
        "/c/enia-2021/s/5-10",
        {
            "q_q_5_10_agree": "dk",
            "comment": "Publicar datos abiertos en quechua.",
            "contribution": "objective_formulation",
            "go": "review",
        },
    )
    ranks = ["3", "", "1", "", "", "", "", "", "", "2"]
    post_form(
        client,
        "/c/enia-2021/general",
        {"q_q_ranking_priority_areas": ranks, "q_q_strengthen": ["budget-funding", "governance"]},
    )
    answers = _answers(response)
    assert answers["q-ranking-priority-areas"] == ["5-3", "5-10", "5-1"]
    assert sorted(answers["q-strengthen"]) == ["budget-funding", "governance"]
    comments = db.session.scalars(sa.select(Comment).filter_by(response_id=response.id)).all()
    assert {(c.section.key, c.contribution) for c in comments} == {
        ("5-3", "problem_definition"),
        ("5-10", "objective_formulation"),
    }

    # Review lists everything, including the unanswered pages.
    review = client.get("/c/enia-2021/review?lang=en").get_data(as_text=True)
    assert "Faltan metas para docentes de escuelas rurales." in review
    assert "Publicar datos abiertos en quechua." in review
    assert "Don&#39;t know" in review
    not_answered = review[review.index("Not answered (optional)") :]
    assert "5.4. Specific areas and sectors" in not_answered
    assert "5.3. Education and skills" not in not_answered
    ranking = review[review.index("Order the ten priority areas") :]
    assert (
        ranking.index("<li>Education and skills</li>")
        < ranking.index("<li>Data access, sharing and governance</li>")
        < ranking.index("<li>Experimentation in a controlled environment</li>")
    )

    # Submit: a receipt with a reference and a private link.
    submitted = post_form(client, "/c/enia-2021/submit", {}, form_url="/c/enia-2021/review")
    assert submitted.status_code == 302
    receipt = client.get(submitted.headers["Location"]).get_data(as_text=True)
    db.session.expire_all()
    response = db.session.get(Response, response.id)
    assert response.status is ResponseStatus.SUBMITTED
    assert response.submitted_at is not None
    assert response.reference in receipt
    link = re.search(r'href="(http://consult\.test/c/enia-2021/r/[^"]+)"', receipt).group(1)
    private_path = link.removeprefix("http://consult.test")

    # The private link works in another browser, and lets the person edit.
    other = client.application.test_client()
    private = other.get(private_path).get_data(as_text=True)
    assert response.reference in private
    assert "Publicar datos abiertos en quechua." in private
    token = csrf_token(other, private_path)
    opened = other.post(private_path + "/edit", data={"csrf_token": token})
    assert opened.headers["Location"].endswith("/c/enia-2021/review")
    post_form(
        other,
        "/c/enia-2021/s/5-3",
        {"q_q_5_3_agree": "2", "q_q_5_3_change": "", "go": "next"},
    )
    assert _answers(response)["q-5-3-agree"] == "2"
    assert "q-5-3-change" not in _answers(response)  # emptied by the person, so removed
    db.session.expire_all()
    assert db.session.get(Response, response.id).status is ResponseStatus.SUBMITTED

    # Withdraw: confirmed, then the response is kept but marked withdrawn.
    withdrawn = post_form(other, private_path + "/withdraw", {})
    assert withdrawn.status_code == 302
    db.session.expire_all()
    response = db.session.get(Response, response.id)
    assert response.status is ResponseStatus.WITHDRAWN
    assert response.withdrawn_at is not None
    after = other.get(private_path).get_data(as_text=True)
    assert "Retirada" in after
    assert "/edit" not in after
    refused = other.post(private_path + "/edit", data={"csrf_token": token})
    assert refused.status_code == 403


def test_a_draft_can_be_deleted_from_its_private_link(client, enia, start_response):
    response_id = start_response(enia).id
    token_path = client.get("/c/enia-2021/review").get_data(as_text=True)
    path = re.search(r'href="http://consult\.test(/c/enia-2021/r/[^"]+)"', token_path).group(1)
    deleted = post_form(client, path + "/withdraw", {})
    assert deleted.headers["Location"].endswith("/c/enia-2021/")
    assert db.session.get(Response, response_id) is None
    assert client.get(path).status_code == 404


def test_private_link_of_one_consultation_does_not_open_another(client, enia, start_response):
    start_response(enia)
    page = client.get("/c/enia-2021/review").get_data(as_text=True)
    token = re.search(r"/c/enia-2021/r/([^\"<]+)", page).group(1)
    load_bundle(SMALL_BUNDLE)
    assert client.get(f"/c/small-test/r/{token}").status_code == 404
    assert client.get("/c/enia-2021/r/not-a-real-token").status_code == 404


def test_submitting_an_empty_response_is_refused(client, enia, start_response):
    response = start_response(enia)
    refused = post_form(client, "/c/enia-2021/submit", {}, form_url="/c/enia-2021/review")
    assert refused.status_code == 422
    assert "vacía" in refused.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Response, response.id).status is ResponseStatus.DRAFT


def test_saving_can_go_back_or_to_the_review(client, enia, start_response):
    start_response(enia)
    back = post_form(client, "/c/enia-2021/s/5-3", {"q_q_5_3_agree": "3", "go": "prev"})
    assert back.headers["Location"].endswith("/c/enia-2021/s/5-2")
    review = post_form(client, "/c/enia-2021/s/5-3", {"q_q_5_3_agree": "3", "go": "review"})
    assert review.headers["Location"].endswith("/c/enia-2021/review")
    last = post_form(client, "/c/enia-2021/general", {"go": "next"})
    assert last.headers["Location"].endswith("/c/enia-2021/review")


def test_a_shared_computer_can_forget_the_response(client, enia, start_response):
    start_response(enia)
    post_form(client, "/c/enia-2021/s/5-3", {"q_q_5_3_agree": "4"})
    review = client.get("/c/enia-2021/review").get_data(as_text=True)
    private_path = re.search(r'href="http://consult\.test(/c/enia-2021/r/[^"]+)"', review).group(1)
    post_form(client, "/c/enia-2021/forget", {}, form_url="/c/enia-2021/review")
    home = client.get("/c/enia-2021/").get_data(as_text=True)
    assert "Continuar su respuesta" not in home
    assert client.get("/c/enia-2021/review").status_code == 302
    assert "investigadora@example.org" not in client.get("/c/enia-2021/s/5-3").get_data(
        as_text=True
    )
    assert "investigadora@example.org" in client.get(private_path).get_data(as_text=True)


def test_profile_choices_are_in_the_page_language(client, enia):
    spanish = client.get("/c/enia-2021/profile").get_data(as_text=True)
    assert "Academia o investigación" in spanish
    assert "Fuera del Perú" in spanish
    assert "Academia or research" not in spanish
    english = client.get("/c/enia-2021/profile?lang=en").get_data(as_text=True)
    assert "Academia or research" in english
    assert "Outside Peru" in english


def test_likert_labels_follow_the_language(client, enia, start_response):
    start_response(enia)
    spanish = client.get("/c/enia-2021/s/5-1").get_data(as_text=True)
    assert "Totalmente de acuerdo" in spanish
    post_form(client, "/c/enia-2021/s/5-1", {"q_q_5_1_agree": "5"})
    review = client.get("/c/enia-2021/review?lang=en").get_data(as_text=True)
    assert "Strongly agree" in review
