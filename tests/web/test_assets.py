"""Static files: fingerprinted addresses kept for a year, plain ones always revalidated."""

from __future__ import annotations

import re

from consult.web.assets import LONG_LIVED, Fingerprints

STYLESHEET = re.compile(
    r'<link rel="stylesheet" href="(/static/css/consult\.([0-9a-f]{12})\.css)">'
)


def fetch(client, url: str):
    """GET a static file and close it (the reply holds the open file until then)."""
    with client.get(url) as reply:
        reply.body = reply.get_data()
    return reply


def test_pages_link_the_stylesheet_by_its_fingerprint_and_it_is_kept_a_year(client, enia):
    page = client.get("/c/enia-2021/").get_data(as_text=True)
    match = STYLESHEET.search(page)
    assert match, "no fingerprinted stylesheet link"
    reply = fetch(client, match[1])
    assert reply.status_code == 200
    assert reply.mimetype == "text/css"
    assert reply.cache_control.max_age == LONG_LIVED
    assert reply.cache_control.public and reply.cache_control.immutable
    assert reply.body == fetch(client, "/static/css/consult.css").body


def test_plain_and_outdated_names_get_the_current_file_revalidated(client):
    plain = fetch(client, "/static/css/consult.css")
    outdated = fetch(client, "/static/css/consult.000000000000.css")
    for reply in (plain, outdated):
        assert reply.status_code == 200
        assert reply.cache_control.no_cache and not reply.cache_control.max_age
    assert outdated.body == plain.body


def test_unknown_files_are_not_found(client):
    for url in (
        "/static/css/missing.css",
        "/static/css/missing.0123456789ab.css",
        "/static/../__init__.py",
    ):
        assert fetch(client, url).status_code == 404


def test_a_changed_file_gets_a_new_address(tmp_path):
    (tmp_path / "site.css").write_text("body { color: black; }")
    fingerprints = Fingerprints(tmp_path)
    before = fingerprints.name("site.css")
    (tmp_path / "site.css").write_text("body { color: #1b1b1b; }")
    after = fingerprints.name("site.css")
    assert re.fullmatch(r"site\.[0-9a-f]{12}\.css", before)
    assert before != after
    assert fingerprints.name("missing.css") == "missing.css"
    assert fingerprints.name("LICENSE") == "LICENSE"
