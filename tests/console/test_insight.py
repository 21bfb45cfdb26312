"""The insight runs page: start an analysis, see it running, refused twice, its record."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient

from consult.systematising import runs
from tests.conftest import post_form
from tests.factories import make_response

PAGE = "/console/c/enia-2021/insight/"


@pytest.fixture
def console(coordinator_client: FlaskClient) -> FlaskClient:
    coordinator_client.get("/console/?lang=en")
    return coordinator_client


def test_a_coordinator_starts_a_run_and_reads_what_it_found(console, enia):
    for _ in range(3):
        make_response(enia, ("5-3", "Que se capacite a los docentes rurales en programación."))
    body = console.get(PAGE).get_data(as_text=True)
    assert "No analysis has run yet." in body
    reply = post_form(console, f"{PAGE}runs", {"parts": "copies"}, form_url=PAGE)
    assert reply.status_code == 302 and reply.location.endswith(PAGE)
    for thread in list(runs.threads.values()):
        thread.join(timeout=60)
    body = console.get(PAGE).get_data(as_text=True)
    assert "The analysis has started." in body
    assert "coordinadora@example.org" in body  # who started it
    assert "Copies and campaigns" in body and "Finished" in body
    assert "1 clusters of copies" in body and "3 copies in them" in body
    assert "similarity of near copies: 0.8" in body


def test_a_second_run_is_refused_while_one_runs(console, enia):
    running = runs.start_run(enia, ["themes"])
    body = console.get(PAGE).get_data(as_text=True)
    assert "Running now" in body and '<progress id="run-progress"' in body
    assert 'action="/console/c/enia-2021/insight/runs"' not in body  # no start button
    reply = post_form(
        console, f"{PAGE}runs", {"parts": "all"}, form_url=PAGE
    )  # a tab opened before
    assert reply.status_code == 302
    body = console.get(PAGE).get_data(as_text=True)
    assert "already running: wait for it to end" in body
    assert runs.current_run(enia).id == running.id


def test_an_unknown_choice_starts_nothing(console, enia):
    reply = post_form(console, f"{PAGE}runs", {"parts": "everything-and-more"}, form_url=PAGE)
    assert reply.status_code == 302
    body = console.get(PAGE).get_data(as_text=True)
    assert "Nothing was started: choose what to analyse." in body
    assert runs.latest_runs(enia) == []
