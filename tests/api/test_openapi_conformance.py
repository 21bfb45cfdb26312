"""The API keeps the contract it publishes: schemathesis reads ``/api/v1/openapi.json``
from the app and sends every operation generated requests, valid and invalid (unknown
slugs, pages out of range, filters no group has, odd languages), on a consultation whose
results and outcome are published. Every reply must be free of 5xx, have a status code,
content type, headers and body the document declares, and refuse what it calls invalid.

The same run against a live server (``consult serve``) is the issue's acceptance step:
``schemathesis run http://127.0.0.1:5000/api/v1/openapi.json``.
"""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode

from tests.outcome.outcome_data import Outcome

#: Generated requests per operation and kind (valid, invalid): enough to reach every
#: parameter's edges (the generator tries them first), small enough for CI.
EXAMPLES = 50
DATA_PATHS = [
    "/api/v1/consultations",
    *(f"/api/v1/consultations/{{slug}}{tail}" for tail in ("", "/results", "/comments")),
    *(f"/api/v1/consultations/{{slug}}/{tail}" for tail in ("decisions", "outcome")),
]


def _operations(app) -> list:
    """Every operation of the document the app serves, bound to the app (WSGI, no network)."""
    api = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    return [result.ok() for result in api.get_all_operations()]


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_every_operation_conforms_to_the_document(app, published: Outcome, mode):
    # schemathesis' own pytest loader does not run on pytest 9; hypothesis drives each
    # operation's strategy directly, with the same checks (call_and_validate).
    operations = _operations(app)
    # Every endpoint with data; schemathesis leaves out the document's own address.
    assert {op.path for op in operations} == set(DATA_PATHS)
    without_invalid = []
    for operation in operations:

        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        @given(case=operation.as_strategy(generation_mode=mode))
        def conforms(case):
            # The WSGI transport does not undo gzip as an HTTP client does; compression is
            # exercised by the live-server run and tests/api/test_http.py.
            case.call_and_validate(headers={"Accept-Encoding": "identity"})

        try:
            conforms()
        except Unsatisfiable:
            # An operation whose parameters all accept any string has no invalid request.
            assert mode is GenerationMode.NEGATIVE, operation.label
            without_invalid.append(operation.path)
    # Those with pages, filters or enumerated values do get invalid requests.
    assert {
        "/api/v1/consultations/{slug}/comments",
        "/api/v1/consultations/{slug}/results",
    }.isdisjoint(without_invalid)


def test_the_document_names_every_endpoint_the_api_serves(app):
    """An endpoint left out of the document would escape the run above."""
    document = app.test_client().get("/api/v1/openapi.json").get_json()
    served = {
        rule.rule.replace("<slug>", "{slug}")
        for rule in app.url_map.iter_rules()
        if rule.endpoint.startswith("api.") and rule.rule.startswith("/api/v1/")
    }
    assert document["openapi"].startswith("3.1")
    # /api/v1/ is the page for people, not part of the JSON API.
    assert served - {"/api/v1/"} == set(document["paths"])
