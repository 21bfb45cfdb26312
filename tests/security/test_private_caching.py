"""No cache may keep a page that shows a person's own data: every route × visitor.

A response's private page shows the respondent's email and answers; the review, the
receipt, the profile and the section pages of a person with a draft show theirs too, and
every console page shows respondents' data. A shared cache (a proxy, a CDN) or the
browser's disk must keep none of them, so each carries ``Cache-Control: no-store,
private``. The walk goes over the URL map, so a new route is checked without a line here.

Only pages that are the same for every visitor may go without: the list of
consultations, the published results and their charts, static files (the icon and
robots.txt too), and a consultation's home and section pages as a reader without a draft
sees them (the pages ``public/cache.py`` keeps for such readers).
"""

from __future__ import annotations

from tests.conftest import session_csrf_token

from .routes import POST_DATA, ROLES, World, route_keys

#: Pages that are the same for everyone who sees them (no draft, no message, no form).
SAME_FOR_EVERYONE = {
    "GET /",
    "GET /c/<slug>/results",
    "GET /c/<slug>/results/charts/<language>/<digest>.svg",
    "GET /c/<slug>/results/open-data.zip",
    "GET /static/<path:filename>",
    "GET /favicon.ico",
    "GET /robots.txt",
    # The public JSON API and its page: nothing in them is anyone's own.
    "GET /api/",
    "GET /api/v1/",
    "GET /api/v1/openapi.json",
    "GET /api/v1/consultations",
    "GET /api/v1/consultations/<slug>",
    "GET /api/v1/consultations/<slug>/results",
    "GET /api/v1/consultations/<slug>/comments",
    "GET /api/v1/consultations/<slug>/decisions",
    "GET /api/v1/consultations/<slug>/outcome",
}
#: Pages that are the same for every reader without a draft, and personal for the one
#: who has one (the respondent: their progress, their answers in the form).
SAME_FOR_READERS = {"GET /c/<slug>/", "GET /c/<slug>/s/<key>", "GET /c/<slug>/general"}


def shows_own_data(role: str, key: str) -> bool:
    if key in SAME_FOR_EVERYONE:
        return False
    return not (key in SAME_FOR_READERS and role != "respondent")


def private(reply) -> bool:
    directives = {d.strip() for d in reply.headers.get("Cache-Control", "").split(",")}
    return {"no-store", "private"} <= directives


def test_no_cache_keeps_a_page_that_shows_a_persons_own_data(app, world: World):
    wrong = []
    reader = world.respondent()  # GETs change nothing, so one respondent serves them all
    for key, rule in sorted(route_keys(app).items()):
        method = key.split()[0]
        for role in ROLES:
            if not shows_own_data(role, key):
                continue
            respondent = world.respondent() if method == "POST" else reader
            url, _values = world.url(rule, respondent)
            browser = world.browser_for(key, role, respondent)
            data = None
            if method != "GET":
                token = session_csrf_token(world.app, browser)
                data = {"csrf_token": token, **POST_DATA.get(key, {})}
            reply = browser.open(url, method=method, data=data, buffered=True)
            reply.close()
            if not private(reply):
                sent = reply.headers.get("Cache-Control")
                wrong.append(f"{role}, {key} ({reply.status_code}): Cache-Control {sent!r}")
    assert not wrong, "\n".join(wrong)


def test_the_pages_of_a_respondent_with_a_draft_are_private_on_every_section(world: World):
    respondent = world.respondent()
    for section in world.consultation.sections:
        url = f"/c/{world.consultation.slug}/s/{section.key}"
        assert private(respondent.client.get(url)), url


def test_a_readers_page_stays_shareable_kept_or_not(app, app_with, world: World):
    """Readers without a draft share one page, which the process keeps for them all."""
    slug = world.consultation.slug
    keeping_nothing = app_with(PUBLIC_CACHE_SECONDS=0)
    for url in (f"/c/{slug}/", f"/c/{slug}/s/5-3", "/"):
        for time in ("made", "kept"):
            reply = app.test_client().get(url)
            assert reply.status_code == 200 and not private(reply), (url, time)
        assert not private(keeping_nothing.test_client().get(url)), (url, "nothing kept")
    # A message left for one reader makes the page theirs.
    browser = app.test_client()
    with browser.session_transaction() as session:
        session["_flashes"] = [("info", "Solo para ti.")]
    assert private(browser.get(f"/c/{slug}/"))
