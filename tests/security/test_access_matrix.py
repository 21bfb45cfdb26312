"""Every route of the app × every kind of visitor gives the status in the table below.

The table is the app's access policy written out: a route added without a line here
fails the test, so each new page is given its policy on purpose. URL parameters are
filled with real objects, made fresh for each request, so a refusal is a refusal and
not a 404 for a missing object. A refused request and any GET change nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from werkzeug.routing import Rule

from tests.conftest import session_csrf_token

from .people import Respondent
from .routes import POST_DATA, ROLES, World, route_keys
from .state import changed_tables, snapshot

SLUG = "enia-2021"


@dataclass(frozen=True)
class Redirect:
    """A 302 to a path starting with ``to`` (formatted with the request's values)."""

    to: str
    #: Whether this redirect turns the visitor away (so it must change nothing).
    refusal: bool = False

    def __str__(self) -> str:
        return f"302 → {self.to}"


SIGN_IN = Redirect("/auth/sign-in", refusal=True)
PROFILE = Redirect(f"/c/{SLUG}/profile?next=")
HOME = Redirect(f"/c/{SLUG}/")
Outcome = int | Redirect


def everyone(outcome: Outcome) -> dict[str, Outcome]:
    return dict.fromkeys(ROLES, outcome)


def staff(outcome: Outcome) -> dict[str, Outcome]:
    """Every signed-in role: coordinators (with or without a consultation to edit), admins."""
    return {"coordinator": outcome, "editor": outcome, "admin": outcome}


def console(outcome: Outcome = 200) -> dict[str, Outcome]:
    """Coordinators and administrators only; the others are sent to sign in."""
    return {"anonymous": SIGN_IN, "respondent": SIGN_IN, **staff(outcome)}


def editing(outcome: Outcome = 200) -> dict[str, Outcome]:
    """Writing the consultation: admins, and the coordinators an admin gave it to (the
    "editor"); any other coordinator is refused."""
    return {**console(outcome), "coordinator": 403}


def admin_only(outcome: Outcome = 200) -> dict[str, Outcome]:
    return {**console(outcome), "coordinator": 403, "editor": 403}


def own_draft(mine: Outcome, others: Outcome) -> dict[str, Outcome]:
    """Pages of the response tied to this browser: only the respondent has one."""
    return {**everyone(others), "respondent": mine}


# A POST is sent with a valid CSRF token and only the fields in POST_DATA, so a view
# that lets the visitor in answers as it does to an empty form.
EXPECTED: dict[str, dict[str, Outcome]] = {
    # Public pages: the same for everyone; a private link opens for whoever holds it.
    "GET /": everyone(200),
    "GET /c/<slug>/": everyone(200),
    "GET /c/<slug>/profile": everyone(200),
    "POST /c/<slug>/profile": everyone(422),
    "GET /c/<slug>/s/<key>": everyone(200),
    "POST /c/<slug>/s/<key>": own_draft(Redirect(f"/c/{SLUG}/s/5-4"), PROFILE),
    "GET /c/<slug>/general": everyone(200),
    # A passage's page: its comments for everyone, a comment only from one's own draft.
    "GET /c/<slug>/s/<key>/p/<anchor>": everyone(200),
    "POST /c/<slug>/s/<key>/p/<anchor>": own_draft(Redirect(f"/c/{SLUG}/s/5-3"), PROFILE),
    "POST /c/<slug>/general": own_draft(Redirect(f"/c/{SLUG}/review"), PROFILE),
    "GET /c/<slug>/review": own_draft(200, HOME),
    "POST /c/<slug>/submit": own_draft(Redirect(f"/c/{SLUG}/receipt"), 404),
    "POST /c/<slug>/forget": everyone(HOME),
    "GET /c/<slug>/receipt": own_draft(200, 404),
    "GET /c/<slug>/results": everyone(200),
    "GET /c/<slug>/results/charts/<language>/<digest>.svg": everyone(200),
    "GET /c/<slug>/results/open-data.zip": everyone(200),
    # "You said, we did" and the final report: 404 until the outcome is published (the
    # world's consultation is running), but to coordinators, who preview them.
    **{
        f"GET /c/<slug>{path}": {**everyone(404), **staff(200)}
        for path in ("/outcome", "/s/<key>/outcome", "/outcome.pdf")
    },
    "GET /c/<slug>/r/<token>": everyone(200),
    "POST /c/<slug>/r/<token>/edit": everyone(Redirect(f"/c/{SLUG}/review")),
    "GET /c/<slug>/r/<token>/withdraw": everyone(200),
    "POST /c/<slug>/r/<token>/withdraw": everyone(Redirect(f"/c/{SLUG}/r/{{token}}")),
    # Position papers: the browser's own response's; a paper is public only once published.
    "GET /c/<slug>/papers": own_draft(200, HOME),
    "POST /c/<slug>/papers": own_draft(422, 404),  # (an empty form: no file)
    "POST /c/<slug>/papers/<int:paper_id>/remove": own_draft(Redirect(f"/c/{SLUG}/papers"), 404),
    "POST /c/<slug>/r/<token>/papers": everyone(Redirect(f"/c/{SLUG}/papers")),
    "GET /c/<slug>/papers/<int:paper_id>/<name>.pdf": everyone(404),
    # What changed in the draft: public once the outcome is published; before, not
    # found but for a coordinator's preview.
    "GET /c/<slug>/changes": {**everyone(404), **staff(200)},
    "GET /c/<slug>/s/<key>/changes": {**everyone(404), **staff(200)},
    "GET /static/<path:filename>": everyone(200),
    "GET /favicon.ico": everyone(200),
    "GET /robots.txt": everyone(200),
    # The public JSON API: the same for everyone, signed in or not (it reads no session:
    # no preview of what is not public). The world's consultation is running with its
    # results published, so its decisions and outcome are not public yet.
    "GET /api/": everyone(200),
    "GET /api/v1/": everyone(200),
    "GET /api/v1/openapi.json": everyone(200),
    "GET /api/v1/consultations": everyone(200),
    **{
        f"GET /api/v1/consultations/<slug>{path}": everyone(200)
        for path in ("", "/results", "/comments")
    },
    "GET /api/v1/consultations/<slug>/decisions": everyone(404),
    "GET /api/v1/consultations/<slug>/outcome": everyone(404),
    # Signing in and out.
    "GET /auth/sign-in": {**everyone(200), **staff(Redirect("/console/"))},
    "POST /auth/sign-in": {**everyone(422), **staff(Redirect("/console/"))},
    "POST /auth/sign-out": {**everyone(SIGN_IN), **staff(Redirect("/auth/sign-in"))},
    # The console: coordinators and administrators.
    "GET /console/": console(),
    "GET /console/c/<slug>/": console(),
    "GET /console/c/<slug>/responses": console(),
    "GET /console/c/<slug>/responses/<int:response_id>": console(),
    "POST /console/c/<slug>/responses/<int:response_id>/notes":
        console(Redirect(f"/console/c/{SLUG}/responses/{{response_id}}")),
    "GET /console/c/<slug>/comments": console(),
    "GET /console/c/<slug>/papers": console(),
    "GET /console/c/<slug>/passages": console(),
    "POST /console/c/<slug>/comments/<int:comment_id>/adopt":
        console(Redirect(f"/console/c/{SLUG}/comments/{{comment_id}}")),
    "GET /console/c/<slug>/mail": console(),
    "POST /console/c/<slug>/mail/<int:mail_id>/retry": console(Redirect(f"/console/c/{SLUG}/mail")),
    "GET /console/c/<slug>/papers/<int:paper_id>/download": console(),
    **{
        f"POST /console/c/<slug>/papers/<int:paper_id>/{action}":
            console(Redirect(f"/console/c/{SLUG}/responses/"))
        for action in ("publish", "unpublish")
    },
    "POST /console/c/<slug>/comments/bulk": console(Redirect(f"/console/c/{SLUG}/comments")),
    "GET /console/c/<slug>/comments/<int:comment_id>": console(),
    **{
        f"POST /console/c/<slug>/comments/<int:comment_id>/{action}":
            console(Redirect(f"/console/c/{SLUG}/comments/{{comment_id}}"))
        for action in ("moderate", "redact", "decide", "themes", "notes")
    },
    "GET /console/c/<slug>/themes": console(),
    **{
        f"POST /console/c/<slug>/themes{action}": console(Redirect(f"/console/c/{SLUG}/themes"))
        for action in ("", "/merge", "/<int:theme_id>/rename", "/<int:theme_id>/delete")
    },
    "GET /console/c/<slug>/themes/<int:theme_id>/decision": console(),
    "POST /console/c/<slug>/themes/<int:theme_id>/decision":
        console(Redirect(f"/console/c/{SLUG}/themes")),
    "GET /console/c/<slug>/outcome/sections": console(),
    "GET /console/c/<slug>/outcome/sections/<key>": console(),
    "POST /console/c/<slug>/outcome/sections/<key>":
        console(Redirect(f"/console/c/{SLUG}/outcome/sections")),
    # Writing sections, questions and translations (issue 17): editors only. Section 5.3
    # has comments and question q-5-3-agree answers, so deleting either is refused (409);
    # an empty form is refused (422, or 400 without up or down).
    **{
        f"GET /console/c/<slug>/edit/{path}": editing()
        for path in (
            "sections", "sections/new", "sections/<key>", "sections/<key>/delete",
            "questions", "questions/new", "questions/<qkey>", "questions/<qkey>/delete",
            "translations",
        )
    },
    **{
        f"POST /console/c/<slug>/edit/{path}": editing(status)
        for path, status in (
            ("sections/new", 422), ("sections/<key>", 422), ("sections/<key>/move", 400),
            ("sections/<key>/delete", 409), ("questions/new", 422), ("questions/<qkey>", 422),
            ("questions/<qkey>/move", 400), ("questions/<qkey>/delete", 409),
        )
    },
    # The draft's numbers already follow its sections' places: nothing changes.
    "POST /console/c/<slug>/edit/sections/renumber":
        editing(Redirect(f"/console/c/{SLUG}/edit/sections")),
    "GET /console/c/<slug>/report/": console(),
    "POST /console/c/<slug>/report/publish": console(Redirect(f"/console/c/{SLUG}/report/")),
    **{
        f"GET /console/c/<slug>/report/report.{ext}": console()
        for ext in ("csv.zip", "xlsx", "json", "pdf")
    },
    "GET /console/c/<slug>/insight/": console(),
    "POST /console/c/<slug>/insight/runs": console(Redirect(f"/console/c/{SLUG}/insight/")),
    "GET /console/c/<slug>/insight/representation/": console(),
    "GET /console/c/<slug>/insight/campaigns/": console(),
    "GET /console/c/<slug>/insight/campaigns/<int:cluster_id>": console(),
    "POST /console/c/<slug>/insight/campaigns/<int:cluster_id>/confirm":
        console(Redirect(f"/console/c/{SLUG}/insight/campaigns/{{cluster_id}}")),
    "POST /console/c/<slug>/insight/campaigns/<int:cluster_id>/dismiss":
        console(Redirect(f"/console/c/{SLUG}/insight/campaigns/")),
    "GET /console/c/<slug>/insight/groups/": console(),
    "GET /console/c/<slug>/insight/themes/": console(),
    **{
        f"POST /console/c/<slug>/insight/themes/<int:suggestion_id>/{action}":
            console(Redirect(f"/console/c/{SLUG}/insight/themes/"))
        for action in ("accept", "rename", "merge", "split", "reject")
    },
    # Versions of the draft (version 1 has no change to explain: 404).
    "GET /console/c/<slug>/versions": console(),
    "GET /console/c/<slug>/versions/<int:number>": console(),
    "POST /console/c/<slug>/versions/<int:number>/s/<key>/change": console(404),
    # The consultation as a zipped bundle: those who may edit it.
    "GET /console/c/<slug>/bundle.zip": editing(),
    "GET /console/c/<slug>/themes/<int:theme_id>/suggested": console(),
    **{
        f"POST /console/c/<slug>/themes/<int:theme_id>/suggested/{action}":
            console(Redirect(f"/console/c/{SLUG}/themes/{{theme_id}}/suggested"))
        for action in ("confirm", "confirm-all", "remove")
    },
    # Writing a consultation (issue 17): admins and the coordinators given it ("editor").
    "GET /console/c/<slug>/edit": editing(),
    "POST /console/c/<slug>/edit": editing(422),  # nothing filled in
    # Opening it: the draft is running already, so nothing changes.
    "POST /console/c/<slug>/open": editing(Redirect(f"/console/c/{SLUG}/edit")),
    # Importing responses from a file (issue 18): those who may edit it. Each step sent
    # empty (no file, no kept upload named) is refused with nothing written.
    "GET /console/c/<slug>/import": editing(),
    "POST /console/c/<slug>/import": editing(422),
    "POST /console/c/<slug>/import/labels": editing(422),
    "POST /console/c/<slug>/import/check": editing(422),
    "POST /console/c/<slug>/import/confirm": editing(422),
    "GET /console/c/<slug>/imports": editing(),
    "GET /console/c/<slug>/imports/<int:import_id>/remove": editing(),
    "POST /console/c/<slug>/imports/<int:import_id>/remove": editing(422),
    # Administration: administrators only.
    "GET /console/admin/users": admin_only(),
    "POST /console/admin/users": admin_only(422),
    "POST /console/admin/users/<int:user_id>": admin_only(422),
    "GET /console/admin/audit": admin_only(),
    # Importing a zipped bundle: the form, the summary (no file sent: 422), the confirmation
    # (no upload named: 422).
    "GET /console/admin/import": admin_only(),
    "POST /console/admin/import": admin_only(422),
    "POST /console/admin/import/confirm": admin_only(422),
    "GET /console/admin/c/<slug>/stage": admin_only(),
    "POST /console/admin/c/<slug>/stage": admin_only(400),
    "GET /console/admin/c/<slug>/versions/new": admin_only(),
    "POST /console/admin/c/<slug>/versions/new": admin_only(422),  # no file sent
    "GET /console/admin/consultations/new": admin_only(),
    "POST /console/admin/consultations/new": admin_only(422),  # nothing filled in
    "POST /console/admin/c/<slug>/archive": admin_only(400),  # no choice sent
    "GET /console/admin/c/<slug>/editors": admin_only(),
    "POST /console/admin/c/<slug>/editors": admin_only(400),  # no coordinator named
}  # fmt: skip


def reached(reply, expected: Outcome, values: dict[str, object]) -> bool:
    if isinstance(expected, int):
        return reply.status_code == expected
    location = urlsplit(reply.location or "")
    target = location.path + (f"?{location.query}" if location.query else "")
    return (
        reply.status_code == 302
        and location.netloc in ("", "consult.test")
        and target.startswith(expected.to.format(**values))
    )


def test_every_route_has_an_expected_outcome_for_every_role(app):
    routes = set(route_keys(app))
    assert routes - set(EXPECTED) == set(), "new routes: give each its line in EXPECTED"
    assert set(EXPECTED) - routes == set(), "routes that no longer exist: remove their lines"
    assert all(set(by_role) == set(ROLES) for by_role in EXPECTED.values())


def test_each_role_gets_what_the_table_says_and_refusals_change_nothing(app, world):
    wrong = []
    reader = world.respondent()  # GETs change nothing, so one respondent serves them all
    for role in ROLES:
        for key, rule in sorted(route_keys(app).items()):
            problems = visit(world, role, key, rule, reader)
            wrong += [f"{role}, {key}: {problem}" for problem in problems]
    assert not wrong, "\n".join(wrong)


def refuses(expected: Outcome) -> bool:
    if isinstance(expected, Redirect):
        return expected.refusal
    return expected in (400, 401, 403, 404, 405, 422)


def visit(world: World, role: str, key: str, rule: Rule, reader: Respondent) -> list[str]:
    """Send one request as ``role``; what differs from the table.

    A POST that may change the respondent's response gets a respondent of its own.
    """
    method = key.split()[0]
    expected = EXPECTED[key][role]
    own = role == "respondent" or {"token", "response_id", "comment_id"} & set(rule.arguments)
    respondent = world.respondent() if method == "POST" and own else reader
    url, values = world.url(rule, respondent)
    browser = world.browser_for(key, role, respondent)
    data = None
    if method != "GET":
        data = {"csrf_token": session_csrf_token(world.app, browser), **POST_DATA.get(key, {})}
    watch = method == "GET" or refuses(expected)
    before = snapshot() if watch else None
    # Buffered: a streamed download is read inside the request's own context.
    reply = browser.open(url, method=method, data=data, buffered=True)
    reply.close()
    problems = []
    if not reached(reply, expected, values):
        problems.append(f"expected {expected}, got {reply.status_code} {reply.location or ''}")
    if before is not None and (changes := changed_tables(before, snapshot())):
        problems.append(f"answered {reply.status_code} but changed {changes}")
    return problems
