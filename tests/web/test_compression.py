"""Pages travel gzipped to browsers that accept it; files and small replies as they are."""

from __future__ import annotations

import gzip

HOME = "/c/enia-2021/"


def test_pages_are_gzipped_for_browsers_that_accept_it(client, enia):
    plain = client.get(HOME)
    packed = client.get(HOME, headers={"Accept-Encoding": "gzip, deflate, br"})
    assert "Content-Encoding" not in plain.headers
    assert packed.headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in packed.vary and "Accept-Encoding" in plain.vary
    assert gzip.decompress(packed.get_data()) == plain.get_data()
    assert len(packed.get_data()) < len(plain.get_data()) / 2


def test_refused_gzip_small_replies_and_files_go_as_they_are(client, enia):
    refused = client.get(HOME, headers={"Accept-Encoding": "gzip;q=0, identity"})
    assert "Content-Encoding" not in refused.headers
    assert refused.get_data(as_text=True).lstrip().startswith("<!doctype html>")
    small = client.get("/", headers={"Accept-Encoding": "gzip"})  # a redirect
    assert small.status_code == 302 and "Content-Encoding" not in small.headers
    with client.get("/static/css/consult.css", headers={"Accept-Encoding": "gzip"}) as css:
        assert "Content-Encoding" not in css.headers
        assert b"{" in css.get_data()
