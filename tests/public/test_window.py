"""Outside its window a consultation stays readable and refuses every write."""

import sqlalchemy as sa

from consult.content import load_bundle
from consult.extensions import db
from consult.models import Answer, Comment, Response
from tests.conftest import PROFILE_ACADEMIA, SMALL_BUNDLE, csrf_token


def _count(model) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def test_closed_consultation_reads_but_refuses_writes(client, enia, set_window, start_response):
    start_response(enia)
    token = csrf_token(client, "/c/enia-2021/s/5-3")
    set_window(enia, "closed")
    page = client.get("/c/enia-2021/s/5-3").get_data(as_text=True)
    assert "Cerrada" in page
    assert 'name="q_q_5_3_agree"' not in page
    before = (_count(Answer), _count(Comment))
    refused = client.post(
        "/c/enia-2021/s/5-3",
        data={
            "csrf_token": token,
            "q_q_5_3_agree": "5",
            "comment": "tarde",
            "contribution": "other",
        },
    )
    assert refused.status_code == 403
    text = refused.get_data(as_text=True)
    assert "no está abierta" in text and "not open for responses" in text
    assert (_count(Answer), _count(Comment)) == before
    submit = client.post("/c/enia-2021/submit", data={"csrf_token": token})
    assert submit.status_code == 403
    assert db.session.scalar(sa.select(Response.status)) == "draft"


def test_upcoming_consultation_refuses_a_new_response(client, app):
    load_bundle(SMALL_BUNDLE)  # its window is fixed in 2030
    page = client.get("/c/small-test/").get_data(as_text=True)
    assert "Aún no abierta" in page
    token = csrf_token(client, "/c/small-test/profile")
    refused = client.post("/c/small-test/profile", data={"csrf_token": token, **PROFILE_ACADEMIA})
    assert refused.status_code == 403
    assert _count(Response) == 0
