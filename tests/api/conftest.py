"""Fixtures of the API's tests: a consultation whose outcome is published, and helpers
to read problem documents."""

from __future__ import annotations

import pytest

from consult.extensions import db
from consult.models import Consultation
from tests.outcome.outcome_data import Outcome, build_outcome

API = "/api/v1/consultations"


@pytest.fixture
def published(enia: Consultation) -> Outcome:
    """The ENIA with comments in every state, themes, decisions, its results and its
    outcome published (``tests/outcome/outcome_data.py``)."""
    found = build_outcome(enia)
    enia.summary_published = True
    db.session.commit()
    return found


def problem(reply, status: int) -> dict:
    """The problem document of a reply that must be one, with ``status``."""
    assert reply.status_code == status, reply.get_data(as_text=True)[:300]
    assert reply.mimetype == "application/problem+json"
    document = reply.get_json(force=True)
    assert document["status"] == status
    assert set(document["messages"]) == {"es", "en"}
    assert "<html" not in reply.get_data(as_text=True)
    return document
