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


ICONS = re.compile(r'<link rel="icon" href="(/static/[^"]+)"')


def test_pages_name_their_icons_by_fingerprint_and_the_root_icon_is_served(client, enia):
    for url in ("/c/enia-2021/", "/c/enia-2021/s/5-3", "/auth/sign-in", "/no-such-page"):
        icons = ICONS.findall(client.get(url).get_data(as_text=True))
        assert len(icons) == 2, url
        assert all(re.search(r"\.[0-9a-f]{12}\.(ico|svg)$", icon) for icon in icons), icons
    ico, svg = (fetch(client, icon) for icon in icons)
    assert ico.status_code == svg.status_code == 200
    assert ico.body[:4] == b"\x00\x00\x01\x00"  # an ICO file's header
    assert svg.mimetype == "image/svg+xml" and b"<svg" in svg.body
    assert ico.cache_control.immutable and svg.cache_control.immutable

    # What a browser asks for on its first visit, whatever the page says: no 404.
    root = fetch(client, "/favicon.ico")
    assert root.status_code == 200
    assert root.body == ico.body
    assert root.cache_control.max_age and not root.cache_control.immutable


def robots_allows(rules: str, path: str) -> bool:
    """RFC 9309: the longest matching rule wins, ``*`` matches anything, Allow wins ties."""
    best: tuple[int, bool] = (-1, True)
    for line in rules.splitlines():
        field, _, value = line.partition(":")
        field, value = field.strip().lower(), value.strip()
        if field not in ("allow", "disallow") or not value:
            continue
        pattern = "".join(".*" if c == "*" else re.escape(c) for c in value.rstrip("$"))
        if re.match(pattern + ("$" if value.endswith("$") else ""), path):
            candidate = (len(value), field == "allow")
            best = max(best, candidate)
    return best[1]


def test_robots_keep_crawlers_on_the_public_pages(client, enia):
    reply = client.get("/robots.txt")
    assert reply.status_code == 200 and reply.mimetype == "text/plain"
    rules = reply.get_data(as_text=True)
    assert rules.startswith("User-agent: *")
    readable = ["/", "/c/enia-2021/", "/c/enia-2021/s/5-3", "/c/enia-2021/general"]
    readable += ["/c/enia-2021/results", "/static/css/consult.css"]
    for path in readable:
        assert robots_allows(rules, path), path
    hidden = ["/console/", "/console/c/enia-2021/responses", "/auth/sign-in"]
    hidden += ["/c/enia-2021/r/abcdef0123456789", "/c/enia-2021/r/x/withdraw"]
    hidden += ["/c/enia-2021/profile", "/c/enia-2021/review", "/c/enia-2021/receipt"]
    for path in hidden:
        assert not robots_allows(rules, path), path
