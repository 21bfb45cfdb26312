"""A gated section asks "Do you want to answer this section?" first, and works without JS.

The respondent's browser posts plain forms: "no" goes on to the next page and keeps
nothing of the section; "yes" brings the section's questions; changing to "no" later
deletes what they wrote there, after the page warned them.
"""

from __future__ import annotations

import re

import sqlalchemy as sa

from consult.extensions import db
from consult.models import Answer, Comment, GateAnswer, Response
from tests.conftest import post_form

SECTION = "/c/enia-2021/s/5-3"
AGREE = "q_q_5_3_agree"


def _gates(response: Response) -> dict[str, bool]:
    db.session.expire_all()
    rows = db.session.scalars(sa.select(GateAnswer).filter_by(response_id=response.id))
    return {gate.section_id: gate.wants for gate in rows}


def _kept(response: Response) -> tuple[int, int]:
    """(answers, comments) the response holds."""
    db.session.expire_all()
    count = sa.select(sa.func.count())
    answers = db.session.scalar(count.select_from(Answer).filter_by(response_id=response.id))
    comments = db.session.scalar(count.select_from(Comment).filter_by(response_id=response.id))
    return answers, comments


def _gate_fieldset(page: str) -> str:
    match = re.search(r'<fieldset[^>]*id="gate".*?</fieldset>', page, re.S)
    assert match, "no gate question on the page"
    return match.group(0)


def test_the_page_asks_first_with_a_labelled_yes_no_and_a_continue_button(
    client, gated, start_response
):
    start_response(gated)
    page = client.get(SECTION).get_data(as_text=True)

    gate = _gate_fieldset(page)
    assert "<legend>¿Desea responder la sección sobre educación?</legend>" in gate
    assert re.search(r'<input type="radio" name="gate" id="gate-1" value="yes"', gate)
    assert '<label for="gate-1">Sí</label>' in gate
    assert '<label for="gate-2">No</label>' in gate
    assert 'name="go" value="next">Continuar</button>' in page
    # The section's text is there to decide on; its questions and comment box are not yet.
    assert "formar profesionales" in page.lower()
    assert f'name="{AGREE}"' not in page
    assert 'name="comment"' not in page


def test_no_goes_to_the_next_page_and_keeps_nothing_of_the_section(client, gated, start_response):
    response = start_response(gated)
    # A hand-made post with answers besides the "no": none of them is kept.
    sent = post_form(
        client, SECTION, {"gate": "no", AGREE: "5", "comment": "Un comentario", "go": "next"}
    )

    assert sent.status_code == 302
    assert sent.location.endswith("/c/enia-2021/s/5-4")
    section = next(s for s in gated.sections if s.key == "5-3")
    assert _gates(response) == {section.id: False}
    assert _kept(response) == (0, 0)
    following = client.get(sent.location).get_data(as_text=True)
    assert "Eligió no responder «5.3. Educación" in following


def test_yes_brings_the_questions_on_the_same_page_then_they_are_saved(
    client, gated, start_response
):
    response = start_response(gated)
    # The first "yes" only opens the questions: values posted with it are not taken.
    sent = post_form(client, SECTION, {"gate": "yes", AGREE: "2", "go": "next"})
    assert sent.status_code == 302
    assert sent.location.endswith(f"{SECTION}#section-questions")
    assert _kept(response) == (0, 0)

    page = client.get(SECTION).get_data(as_text=True)
    assert re.search(r'value="yes" checked', _gate_fieldset(page))
    assert 'id="section-questions"' in page
    assert f'name="{AGREE}"' in page
    assert 'name="comment"' in page
    assert "se borran" not in page  # nothing written yet, nothing to warn of

    saved = post_form(
        client,
        SECTION,
        {
            "gate": "yes",
            AGREE: "4",
            "comment": "Más docentes formados.",
            "contribution": "other",
            "go": "next",
        },
    )
    assert saved.status_code == 302
    assert saved.location.endswith("/c/enia-2021/s/5-4")
    assert _kept(response) == (1, 1)


def test_changing_to_no_warns_then_deletes_the_answers_and_comment(client, gated, start_response):
    response = start_response(gated)
    post_form(client, SECTION, {"gate": "yes"})
    post_form(
        client,
        SECTION,
        {"gate": "yes", AGREE: "4", "comment": "Más docentes.", "contribution": "other"},
    )
    assert _kept(response) == (1, 1)

    page = client.get(SECTION).get_data(as_text=True)
    warning = "Si responde «No», al continuar se borran las respuestas y el comentario"
    assert warning in _gate_fieldset(page)
    assert 'aria-describedby="gate-hint"' in _gate_fieldset(page)

    sent = post_form(client, SECTION, {"gate": "no", AGREE: "4", "go": "review"})
    assert sent.location.endswith("/c/enia-2021/review")
    assert _kept(response) == (0, 0)
    review = client.get(sent.location).get_data(as_text=True)
    assert "se borró lo que había escrito en ella" in review
    assert "Eligió no responder esta sección." in review

    # Back on the page: the "no" is chosen, and can be changed again.
    page = client.get(SECTION).get_data(as_text=True)
    assert re.search(r'value="no" checked', _gate_fieldset(page))
    assert f'name="{AGREE}"' not in page


def test_no_answer_to_the_question_is_refused_with_the_error_next_to_it(
    client, gated, start_response
):
    response = start_response(gated)
    sent = post_form(client, SECTION, {AGREE: "4", "go": "next"})

    assert sent.status_code == 422
    gate = _gate_fieldset(sent.get_data(as_text=True))
    assert "Responda sí o no." in gate
    assert _gates(response) == {}
    assert _kept(response) == (0, 0)


def test_a_section_without_a_gate_is_unchanged(client, gated, start_response):
    start_response(gated)
    page = client.get("/c/enia-2021/s/5-4").get_data(as_text=True)
    assert 'name="gate"' not in page
    assert 'name="q_q_5_4_agree"' in page


def test_the_console_shows_the_gate_answer(client, gated, start_response, coordinator_client):
    response = start_response(gated)
    post_form(client, SECTION, {"gate": "no"})
    post_form(client, "/c/enia-2021/s/5-4", {"q_q_5_4_agree": "3"})
    post_form(client, "/c/enia-2021/submit", {}, form_url="/c/enia-2021/review")

    page = coordinator_client.get(f"/console/c/enia-2021/responses/{response.id}")
    assert "La persona eligió no responder esta sección." in page.get_data(as_text=True)
