"""Error pages: both languages, the request id to quote, never a trace or SQL."""

from __future__ import annotations

import logging
import sqlite3

import pytest
import sqlalchemy as sa
from flask import Flask, abort

from consult.extensions import db

TITLES = {
    400: ("Solicitud incorrecta", "Bad request"),
    403: ("Acceso no permitido", "Not allowed"),
    404: ("Página no encontrada", "Page not found"),
    405: ("Acceso no permitido", "Not allowed"),
    413: ("Demasiados datos", "Too much data"),
    429: ("Demasiadas solicitudes", "Too many requests"),
    500: ("Algo salió mal", "Something went wrong"),
}
LEAKS = ("Traceback", "SELECT", "OperationalError", "sqlalchemy", "respondent@example.org")


def shown_request_id(page: str) -> str:
    start = page.index('<code class="request-id">') + len('<code class="request-id">')
    return page[start : page.index("</code>", start)]


@pytest.mark.parametrize("code", sorted(TITLES))
def test_each_error_page_is_bilingual_and_names_its_request(app: Flask, client, code):
    @app.get("/fails")
    def fails():
        abort(code, description="SELECT secret FROM internals")

    reply = client.get("/fails")
    assert reply.status_code == code
    page = reply.get_data(as_text=True)
    spanish, english = TITLES[code]
    assert page.index(spanish) < page.index(english)
    assert shown_request_id(page) == reply.headers["X-Request-ID"]
    assert "SELECT" not in page and "internals" not in page


def test_method_not_allowed_keeps_the_allowed_methods(client, enia):
    reply = client.delete("/c/enia-2021/")
    assert reply.status_code == 405
    assert set(reply.headers["Allow"].split(", ")) >= {"GET", "HEAD"}


@pytest.fixture
def failing_database(app: Flask):
    """Every statement fails as a broken disk would make it, SQL in the error message."""

    def fail(conn, cursor, statement, parameters, context, executemany):
        raise sa.exc.OperationalError(
            statement, parameters, sqlite3.OperationalError("disk I/O error")
        )

    sa.event.listen(db.engine, "before_cursor_execute", fail)
    yield
    sa.event.remove(db.engine, "before_cursor_execute", fail)


PRIVATE = "/c/enia-2021/r/a-token-that-the-page-must-look-up"


def test_a_database_failure_shows_the_500_page_and_logs_the_request_id(
    client, enia, failing_database, caplog
):
    with caplog.at_level(logging.ERROR):
        reply = client.get(PRIVATE + "?lang=en", headers={"X-Request-ID": "probe-12345678"})
    assert reply.status_code == 500
    page = reply.get_data(as_text=True)
    assert page.index("Something went wrong") < page.index("Algo salió mal")
    assert shown_request_id(page) == "probe-12345678" == reply.headers["X-Request-ID"]
    assert not [leak for leak in LEAKS if leak in page]
    logged = [r for r in caplog.records if "probe-12345678" in r.getMessage()]
    assert logged and logged[0].exc_info is not None
    assert "SELECT" in str(logged[0].exc_info[1])  # the log has what the page hides
    # The log names the page, but never a private link's token (issue 13, part 8).
    assert "GET /c/enia-2021/r/*** " in logged[0].getMessage()
    assert PRIVATE.rsplit("/", 1)[1] not in logged[0].getMessage()


def test_a_500_page_gets_a_fresh_id_when_none_is_sent(app: Flask, client, caplog):
    @app.get("/divides")
    def divides():
        return str(1 / 0)

    with caplog.at_level(logging.ERROR):
        reply = client.get("/divides")
    assert reply.status_code == 500
    request_id = reply.headers["X-Request-ID"]
    assert shown_request_id(reply.get_data(as_text=True)) == request_id
    assert any(request_id in r.getMessage() for r in caplog.records)
    assert "ZeroDivisionError" not in reply.get_data(as_text=True)
