"""Every public page runs a small, fixed number of SQL queries, however much data there is.

A consultation on the national news gets thousands of visitors a minute: a page whose
queries grow with the number of responses or comments would fall over first. The counts
are taken with every page rebuilt (``PUBLIC_CACHE_SECONDS = 0``), on 10 responses and
again on 200 (each with a published comment on the section shown). What the process's
cache spares is in ``test_cache.py``.
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient
from markdown_it import MarkdownIt

from consult.extensions import db
from consult.models import Consultation
from consult.models.columns import utcnow
from consult.models.vocab import ModerationState
from tests.conftest import post_form, statements
from tests.factories import build_response

SLUG = "/c/enia-2021"
#: With nothing kept, no public page may need more statements than this, whatever the
#: data: 6 to load the consultation (sections, their children and questions, its profile
#: fields joined with their options), 2 for a page of published comments (count, page), 2
#: for the person's response (with its comments; its answers with their choices).
MOST = 12


def published(consultation: Consultation, count: int, first: int = 0) -> None:
    """``count`` submitted responses, each with a published comment on 5.3, committed."""
    now = utcnow()
    for n in range(first, first + count):
        comment = {
            "section": "5-3",
            "text": f"Comentario publicado número {n:03d}",
            "moderation": ModerationState.PUBLISHED,
            "moderated_at": now - timedelta(minutes=n),
        }
        build_response(consultation, [comment], submitted_at=now - timedelta(hours=1))
    db.session.commit()


def start_draft(browser: FlaskClient) -> str:
    """Start a response in ``browser``, answer and comment on 5.3; the private link's token."""
    profile = {
        "responding_as": "individual",
        "stakeholder_type": "individual",
        "region": "cusco",
        "publication": "anonymous",
        "consent": "y",
    }
    assert post_form(browser, f"{SLUG}/profile", profile).status_code == 302
    answers = {
        "q_q_5_3_agree": "4",
        "q_q_5_3_change": "Más docentes.",
        "comment": "Faltan metas.",
        "contribution": "problem_definition",
        "go": "next",
    }
    assert post_form(browser, f"{SLUG}/s/5-3", answers).status_code == 302
    review = browser.get(f"{SLUG}/review").get_data(as_text=True)
    return re.search(r"/r/([A-Za-z0-9_-]+)", review).group(1)


def reader_pages(token: str) -> dict[str, str]:
    """The public pages anyone can open (the private ones with the link's token)."""
    return {
        "home": f"{SLUG}/",
        "section": f"{SLUG}/s/5-3",
        "section, comments page 2": f"{SLUG}/s/5-3?page=2",
        "general questions": f"{SLUG}/general",
        "profile": f"{SLUG}/profile",
        "private page": f"{SLUG}/r/{token}",
        "withdraw (asks first)": f"{SLUG}/r/{token}/withdraw",
    }


def drafter_pages(token: str) -> dict[str, str]:
    """What a person with a draft in this browser sees: the same pages, and the review."""
    return {**reader_pages(token), "review": f"{SLUG}/review"}


def counts(browser: FlaskClient, urls: dict[str, str]) -> dict[str, int]:
    """Statements each page runs, by page name."""
    result = {}
    for name, url in urls.items():
        with statements() as seen:
            page = browser.get(url)
        assert page.status_code == 200, (name, page.status_code)
        result[name] = len(seen)
    return result


def all_counts(reader: FlaskClient, drafter: FlaskClient, token: str) -> dict[str, int]:
    return {
        **{f"reader: {k}": n for k, n in counts(reader, reader_pages(token)).items()},
        **{f"drafter: {k}": n for k, n in counts(drafter, drafter_pages(token)).items()},
    }


@pytest.fixture
def rebuilt(app: Flask) -> Flask:
    """Every request does all its work: nothing kept between requests."""
    app.config["PUBLIC_CACHE_SECONDS"] = 0
    return app


def test_each_page_takes_as_many_queries_for_10_or_200_responses(rebuilt, client, enia):
    drafter = rebuilt.test_client()
    token = start_draft(drafter)
    published(enia, 10)
    few = all_counts(client, drafter, token)
    assert few["drafter: review"] >= 2  # the listener sees the page's own statements

    published(enia, 190, first=10)
    assert "200 comentarios publicados" in client.get(f"{SLUG}/s/5-3").get_data(as_text=True)
    assert all_counts(client, drafter, token) == few
    assert max(few.values()) <= MOST, few


def test_the_submitted_pages_take_as_many_queries_for_10_or_200_responses(rebuilt, client, enia):
    token = start_draft(client)
    sent = post_form(client, f"{SLUG}/submit", {}, form_url=f"{SLUG}/review")
    assert sent.status_code == 302
    urls = {"receipt": f"{SLUG}/receipt", "private page": f"{SLUG}/r/{token}"}
    published(enia, 10)
    few = counts(client, urls)
    published(enia, 190, first=10)
    assert counts(client, urls) == few
    assert max(few.values()) <= MOST, few


def test_markdown_is_never_rendered_while_serving(app, client, enia, monkeypatch):
    def refuse(*_args, **_kwargs) -> str:
        raise AssertionError("Markdown rendered during a request")

    monkeypatch.setattr(MarkdownIt, "render", refuse)
    app.config["PUBLIC_CACHE_SECONDS"] = 0
    drafter = app.test_client()
    token = start_draft(drafter)
    for url in drafter_pages(token).values():
        assert client.get(url).status_code in (200, 302), url  # a reader has no review
        assert drafter.get(url).status_code == 200, url
