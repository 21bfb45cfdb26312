"""Bad input: a clear message next to the field, the rest kept, nothing stored."""

from datetime import timedelta

import pytest
import sqlalchemy as sa

from consult.content import load_bundle
from consult.extensions import db
from consult.models import Answer, AnswerChoice, Comment, Consultation, Response
from consult.models.columns import utcnow
from tests.conftest import PROFILE_ACADEMIA, SMALL_BUNDLE, csrf_token, post_form


def _count(model) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def _stored() -> tuple[int, int, int, int]:
    return (_count(Response), _count(Answer), _count(AnswerChoice), _count(Comment))


def _error_next_to(page: str, field_id: str, message: str) -> None:
    """The message is in the summary (linking to the field) and beside the field."""
    assert f'href="#{field_id}"' in page
    assert f'id="{field_id}-error">Error: {message}' in page


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"consent": None}, "consent", "Para participar, se requiere su consentimiento."),
        ({"stakeholder_type": "robot"}, "stakeholder_type", "Opción inválida."),
        ({"stakeholder_type": None}, "stakeholder_type", "Responda esta pregunta."),
        ({"region": "atlantis"}, "region", "Opción inválida."),
        ({"organisation_name": ""}, "organisation_name", "Indique el nombre de la organización."),
        ({"region": "abroad"}, "country", "Elija el país."),
        ({"region": "abroad", "country": "XX"}, "country", "Opción inválida."),
        ({"publication": "named"}, "display_name", "Indique el nombre que se publicará."),
        ({"email": "not-an-email"}, "email", "Ingrese un correo electrónico válido."),
        (
            {"organisation_name": "x" * 201},
            "organisation_name",
            "Escriba como máximo 200 caracteres; este texto tiene 201.",
        ),
        (
            {"organisation_name": "Bad\x00Name"},
            "organisation_name",
            "Este texto contiene caracteres que no se pueden guardar.",
        ),
        (
            {"stakeholder_type": "individual"},
            "stakeholder_type",
            "Este tipo es para personas que responden a título individual",
        ),
    ],
)
def test_profile_errors_are_shown_and_nothing_is_stored(client, enia, change, field, message):
    data = {**PROFILE_ACADEMIA, **change}
    data = {k: v for k, v in data.items() if v is not None}
    result = post_form(client, "/c/enia-2021/profile", data)
    page = result.get_data(as_text=True)
    assert result.status_code == 422
    assert 'class="error-summary"' in page
    assert f'href="#{field}"' in page
    assert message in page
    # What the person typed is still there.
    if field != "organisation_name":
        assert 'value="Universidad Nacional de Ingeniería"' in page
    assert _stored() == (0, 0, 0, 0)


def test_profile_messages_in_english(client, enia):
    client.get("/c/enia-2021/?lang=en")
    data = {k: v for k, v in PROFILE_ACADEMIA.items() if k != "consent"}
    page = post_form(client, "/c/enia-2021/profile", data).get_data(as_text=True)
    _error_next_to(page, "consent", "Your consent is required to take part.")


@pytest.fixture
def answering(client, enia, start_response):
    """A person with a profile, on the bundled draft."""
    start_response(enia)
    return client


def test_comment_over_5000_characters_is_refused_and_kept(answering):
    long_comment = "palabra " * 700  # 5,600 characters
    result = post_form(
        answering,
        "/c/enia-2021/s/5-1",
        {"q_q_5_1_agree": "5", "comment": long_comment, "contribution": "other"},
    )
    page = result.get_data(as_text=True)
    assert result.status_code == 422
    _error_next_to(page, "comment", "Escriba como máximo 5000 caracteres; este texto tiene 5600.")
    assert long_comment.strip() in page  # the text is not lost
    assert 'value="5" checked' in page
    assert _stored()[1:] == (0, 0, 0)


def test_comment_at_exactly_5000_characters_is_accepted(answering):
    comment = "a" * 5000
    result = post_form(
        answering, "/c/enia-2021/s/5-1", {"comment": comment, "contribution": "other"}
    )
    assert result.status_code == 302
    assert db.session.scalar(sa.select(Comment.text)) == comment


@pytest.mark.parametrize("contribution", [None, "", " ", "\t"])
def test_comment_needs_a_contribution(answering, contribution):
    sent = {"comment": "Sin tipo"}
    if contribution is not None:
        sent["contribution"] = contribution  # blank: no choice either (it was a 500)
    result = post_form(answering, "/c/enia-2021/s/5-1", sent)
    assert result.status_code == 422
    _error_next_to(
        result.get_data(as_text=True), "contribution", "Indique a qué contribuye su comentario."
    )
    assert _count(Comment) == 0


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"q_q_5_1_agree": "7"}, "q_q_5_1_agree"),
        ({"comment": "x", "contribution": "flattery"}, "contribution"),
        ({"q_q_5_1_change": "texto\x00con nulo"}, "q_q_5_1_change"),
    ],
)
def test_unknown_codes_and_control_characters_are_refused(answering, data, field):
    result = post_form(answering, "/c/enia-2021/s/5-1", data)
    assert result.status_code == 422
    assert f'href="#{field}"' in result.get_data(as_text=True)
    assert _stored()[1:] == (0, 0, 0)


@pytest.mark.parametrize(
    ("ranks", "message"),
    [
        (["1", "1", "", "", "", "", "", "", "", ""], "Cada posición solo se puede usar una vez."),
        (
            ["1", "3", "", "", "", "", "", "", "", ""],
            "Use las posiciones 1, 2, 3… sin saltarse ninguna.",
        ),
        (["11", "", "", "", "", "", "", "", "", ""], "Las posiciones van del 1 al 10."),
        (["1", "2"], "Asigne una posición a cada elemento o déjelo en blanco."),
    ],
)
def test_bad_rankings_are_refused(answering, ranks, message):
    result = post_form(answering, "/c/enia-2021/general", {"q_q_ranking_priority_areas": ranks})
    assert result.status_code == 422
    _error_next_to(result.get_data(as_text=True), "q_q_ranking_priority_areas", message)
    assert _stored()[1:] == (0, 0, 0)


def test_unknown_choice_in_multiple_choice_is_refused(answering):
    result = post_form(
        answering, "/c/enia-2021/general", {"q_q_strengthen": ["governance", "bribes"]}
    )
    assert result.status_code == 422
    assert _stored()[1:] == (0, 0, 0)


@pytest.fixture
def small(app):
    """The small test bundle, open now; its section "one" has a required question."""
    load_bundle(SMALL_BUNDLE, opens=utcnow() - timedelta(days=1))
    return db.session.scalar(sa.select(Consultation).filter_by(slug="small-test"))


def test_required_question_binds_on_a_section_the_person_answers(client, small, start_response):
    start_response(small)
    refused = post_form(
        client, "/c/small-test/s/one", {"comment": "Solo un comentario", "contribution": "other"}
    )
    assert refused.status_code == 422
    _error_next_to(refused.get_data(as_text=True), "q_must", "Responda esta pregunta.")
    assert "Solo un comentario" in refused.get_data(as_text=True)
    assert _stored()[1:] == (0, 0, 0)

    skipped = post_form(client, "/c/small-test/s/one", {"q_must": "", "comment": ""})
    assert skipped.status_code == 302  # a blank page is skipped, not refused

    answered = post_form(client, "/c/small-test/s/one", {"q_must": "sí", "comment": ""})
    assert answered.status_code == 302
    assert db.session.scalar(sa.select(Answer.value)) == "sí"


def test_post_without_csrf_token_is_refused(client, enia, start_response):
    client.get("/c/enia-2021/")
    refused = client.post("/c/enia-2021/profile", data=PROFILE_ACADEMIA)
    assert refused.status_code == 400
    page = refused.get_data(as_text=True)
    assert "Nothing was saved." in page and "No se guardó nada." in page
    assert _stored() == (0, 0, 0, 0)


def test_answering_without_a_profile_sends_the_person_to_it(client, enia):
    token = csrf_token(client, "/c/enia-2021/profile")
    result = client.post("/c/enia-2021/s/5-1", data={"csrf_token": token, "q_q_5_1_agree": "4"})
    assert result.status_code == 302
    assert "/c/enia-2021/profile?next=" in result.headers["Location"]
    assert _stored() == (0, 0, 0, 0)
