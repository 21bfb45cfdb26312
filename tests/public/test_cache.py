"""What each process keeps between requests, and when it lets go of it.

A reader's page (no draft in the browser) is kept and served again without a query; a
change committed in this process drops it at once; a change made elsewhere shows within
``PUBLIC_CACHE_SECONDS``; opening and closing follow the dates; the kept consultation's
objects can never slip into a database session.
"""

from __future__ import annotations

import gzip
import time
from datetime import timedelta

import pytest
import sqlalchemy as sa

from consult.extensions import db
from consult.models import Answer, Comment
from consult.models.columns import utcnow
from consult.public.cache import SharedObjectError, shared_consultation
from tests.public.test_query_counts import SLUG, published, start_draft, statements

SECTION = f"{SLUG}/s/5-3"


def test_a_reader_page_is_kept_and_a_drafter_reads_only_their_response(app, client, enia):
    published(enia, 30)
    for url in (f"{SLUG}/", f"{SLUG}/s/5-3", f"{SLUG}/s/5-3?page=2", f"{SLUG}/general"):
        first = client.get(url)
        with statements() as seen:
            again = client.get(url)
        assert seen == [], url
        assert again.get_data() == first.get_data(), url

    drafter = app.test_client()
    start_draft(drafter)
    drafter.get(f"{SLUG}/s/5-3")
    with statements() as seen:
        page = drafter.get(f"{SLUG}/s/5-3")
    assert "Faltan metas." in page.get_data(as_text=True)
    assert all("FROM response" in s or "FROM answer" in s for s in seen), seen
    assert len(seen) == 2


def test_a_kept_page_follows_a_change_committed_in_this_process(client, enia):
    first = client.get(f"{SLUG}/s/5-3").get_data(as_text=True)
    assert "Comentario publicado número 000" not in first
    published(enia, 1)
    assert "Comentario publicado número 000" in client.get(f"{SLUG}/s/5-3").get_data(as_text=True)

    enia.closes_at = utcnow() - timedelta(minutes=1)
    enia.opens_at = utcnow() - timedelta(days=2)
    db.session.commit()
    closed = client.get(f"{SLUG}/s/5-3").get_data(as_text=True)
    assert "Start your response" not in closed and "Comenzar su respuesta" not in closed


def test_a_change_made_elsewhere_shows_within_the_cache_time(app, client, enia, monkeypatch):
    published(enia, 1)
    assert "número 000" in client.get(SECTION).get_data(as_text=True)
    # As another process would: straight to the database, past every session of ours.
    with db.engine.begin() as elsewhere:
        elsewhere.execute(sa.update(Comment.__table__).values(text="Texto cambiado"))
    assert "número 000" in client.get(SECTION).get_data(as_text=True)

    later = time.monotonic() + app.config["PUBLIC_CACHE_SECONDS"] + 1
    monkeypatch.setattr(time, "monotonic", lambda: later)
    assert "Texto cambiado" in client.get(SECTION).get_data(as_text=True)


def test_a_kept_page_closes_when_the_consultation_does(app, client, enia):
    closes = utcnow() + timedelta(seconds=3)
    enia.closes_at = closes
    db.session.commit()
    assert app.config["PUBLIC_CACHE_SECONDS"] > 3  # the page would be kept past the close
    open_page = client.get(SECTION).get_data(as_text=True)
    if utcnow() < closes:  # a very slow machine may already be past it
        assert "Comenzar su respuesta" in open_page
    time.sleep(max(0.0, (closes - utcnow()).total_seconds()) + 0.1)
    assert "Comenzar su respuesta" not in client.get(SECTION).get_data(as_text=True)


def test_a_page_with_a_message_or_a_draft_is_never_kept_for_others(app, client, enia):
    drafter = app.test_client()
    start_draft(drafter)
    mine = drafter.get(SECTION).get_data(as_text=True)
    assert "Faltan metas." in mine
    theirs = client.get(SECTION).get_data(as_text=True)
    assert "Faltan metas." not in theirs and 'name="csrf_token"' not in theirs


def test_a_shared_consultation_object_cannot_join_a_session(app, enia):
    with app.test_request_context():
        question = shared_consultation("enia-2021").questions[0]
    answer = Answer(question=question, value="4")
    with pytest.raises(SharedObjectError):
        db.session.add(answer)
    db.session.rollback()


def test_a_kept_page_goes_gzipped_without_being_compressed_again(client, enia, monkeypatch):
    packing = {"calls": 0}
    real = gzip.compress

    def counted(data: bytes, *args, **kwargs) -> bytes:
        packing["calls"] += 1
        return real(data, *args, **kwargs)

    monkeypatch.setattr(gzip, "compress", counted)
    browser = {"Accept-Encoding": "gzip, deflate, br"}
    first = client.get(SECTION, headers=browser)
    again = client.get(SECTION, headers=browser)
    assert packing["calls"] == 1
    assert again.headers["Content-Encoding"] == "gzip" and "Accept-Encoding" in again.vary
    assert again.get_data() == first.get_data()
    plain = client.get(SECTION)  # a client that takes no gzip gets the page as it is
    assert "Content-Encoding" not in plain.headers
    assert gzip.decompress(again.get_data()) == plain.get_data()
