"""Suggested themes in the console: the page per section and question, the forms that
decide on them, and the rule that a suggested tag reaches no report or public page
until a person confirms it."""

from __future__ import annotations

import html
import io
import json
import re
import zipfile

import pytest
import sqlalchemy as sa

from consult.extensions import db
from consult.models import AuditEntry, Theme, ThemeSuggestion, comment_theme
from consult.models.vocab import Verdict
from consult.systematising import runs
from tests.conftest import post_form
from tests.systematising.test_themes import section_suggestions, topics  # noqa: F401

PAGE = "/console/c/enia-2021/insight/themes/"
REPORT = "/console/c/enia-2021/report"


def text_of(client, url: str) -> str:
    reply = client.get(url)
    assert reply.status_code == 200, (url, reply.status_code)
    return html.unescape(re.sub(r"\s+", " ", reply.get_data(as_text=True)))


@pytest.fixture
def english(coordinator_client):
    """The signed-in coordinator, reading in English."""
    coordinator_client.get("/console/?lang=en")
    return coordinator_client


@pytest.fixture
def suggested(enia, topics, english):  # noqa: F811
    run = runs.start_run(enia, ["themes"])
    runs.execute(run.id)
    return section_suggestions(enia)


def entries() -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(AuditEntry))


def accept(client, suggestion: ThemeSuggestion, label: str):
    return post_form(
        client,
        f"{PAGE}{suggestion.id}/accept",
        {f"a{suggestion.id}-label": label},
        form_url=PAGE,
    )


def test_the_page_shows_each_suggestion_with_terms_size_mix_and_quotes(
    coordinator_client, suggested
):
    body = text_of(coordinator_client, PAGE)
    assert "Section 5.3: Education and skills" in body and "Question: " in body
    for suggestion in suggested:
        assert suggestion.label in body
        assert ", ".join(suggestion.terms) in body
    assert body.count("<blockquote>") >= 9  # 3–5 quotes each
    in_section = body[body.index("Section 5.3") : body.index("Question: ")]
    mixes = re.findall(r"(?:Academia or research|Company or startup): (\d+)", in_section)
    assert len(mixes) == 6 and sum(int(n) for n in mixes) == 30
    assert body.count('type="submit"') >= 3 * 4  # accept, rename, split, reject each


def test_accepted_tags_count_nowhere_until_confirmed(app, coordinator_client, suggested):
    suggestion = suggested[0]
    reply = accept(coordinator_client, suggestion, "Telemedicina rural")
    assert reply.status_code == 302 and "/suggested" in reply.headers["Location"]
    theme = db.session.scalar(sa.select(Theme).filter_by(name="Telemedicina rural"))
    tags = text_of(coordinator_client, f"/console/c/enia-2021/themes/{theme.id}/suggested")
    assert tags.count("suggested") >= 10

    def outputs() -> dict[str, str]:
        found = {
            "themes page": text_of(coordinator_client, "/console/c/enia-2021/themes"),
            "report": text_of(coordinator_client, f"{REPORT}/"),
            "open json": coordinator_client.get(f"{REPORT}/report.json?audience=open").get_data(
                as_text=True
            ),
            "comments filtered": text_of(
                coordinator_client, f"/console/c/enia-2021/comments?theme={theme.id}"
            ),
            "raw comments": zipfile.ZipFile(
                io.BytesIO(coordinator_client.get(f"{REPORT}/report.csv.zip").get_data())
            )
            .read("raw/comments.csv")
            .decode("utf-8-sig"),
        }
        published = post_form(
            coordinator_client, f"{REPORT}/publish", {"published": "1"}, form_url=f"{REPORT}/"
        )
        assert published.status_code == 302
        found["public"] = text_of(app.test_client(), "/c/enia-2021/results")
        return found

    before = outputs()
    assert "Telemedicina rural" not in before["report"]
    assert "Telemedicina rural" not in before["open json"]
    assert "Telemedicina rural" not in before["public"]
    assert "Telemedicina rural" not in before["raw comments"]
    listed = r'href="/console/c/enia-2021/comments/\d+"'
    assert len(re.findall(listed, before["comments filtered"])) == 0
    assert "No comment is tagged with a theme yet." in before["report"]
    waiting = (
        r"Telemedicina rural</th> <td class=\"num\"><a [^>]*>(\d+)</a></td> "
        r"<td class=\"num\">(.*?)</td>"
    )
    assert re.search(waiting, before["themes page"]).groups() == (
        "0",
        f'<a href="/console/c/enia-2021/themes/{theme.id}/suggested">10</a>',
    )

    confirm = post_form(
        coordinator_client,
        f"/console/c/enia-2021/themes/{theme.id}/suggested/confirm-all",
        {},
        form_url=f"/console/c/enia-2021/themes/{theme.id}/suggested",
    )
    assert confirm.status_code == 302
    after = outputs()
    assert re.search(waiting, after["themes page"]).groups() == ("10", "0")
    assert "Telemedicina rural" in after["report"]
    assert "Telemedicina rural" in after["public"]
    assert after["raw comments"].count("Telemedicina rural") == 10
    assert len(re.findall(listed, after["comments filtered"])) == 10
    themes = json.loads(after["open json"])["themes"]
    assert sum(row["n"] for row in themes if row["theme"] == "Telemedicina rural"
               and row["group"] == "all") == 10  # fmt: skip


def test_a_comment_shows_its_suggested_theme_in_words_with_a_confirm_button(
    coordinator_client, suggested
):
    suggestion = suggested[0]
    accept(coordinator_client, suggestion, "Escuelas")
    comment_id = suggestion.members[0].comment_id
    url = f"/console/c/enia-2021/comments/{comment_id}"
    body = text_of(coordinator_client, url)
    assert "Escuelas (suggested, not confirmed)" in re.sub(r"<[^>]+>", "", body)
    theme = db.session.scalar(sa.select(Theme).filter_by(name="Escuelas"))
    reply = post_form(coordinator_client, f"{url}/themes", {"theme": str(theme.id)}, form_url=url)
    assert reply.status_code == 302
    body = re.sub(r"<[^>]+>", "", text_of(coordinator_client, url))
    assert "suggested, not confirmed" not in body and "Escuelas" in body


def test_each_decision_through_the_forms_writes_one_audit_entry(
    coordinator_client, suggested, enia
):
    first, second, third = suggested
    ids = [first.id, second.id, third.id]
    steps = [
        (f"{PAGE}{first.id}/rename", {f"r{first.id}-label": "Internet rural"}),
        (f"{PAGE}{first.id}/merge", {f"m{first.id}-other": str(second.id)}),
        (f"{PAGE}{first.id}/split", {}),
        (f"{PAGE}{third.id}/reject", {}),
    ]
    for url, data in steps:
        before = entries()
        reply = post_form(coordinator_client, url, data, form_url=PAGE)
        assert reply.status_code == 302, url
        assert entries() == before + 1, url
    db.session.expire_all()
    assert db.session.get(ThemeSuggestion, ids[2]).verdict is Verdict.DISMISSED
    assert db.session.get(ThemeSuggestion, ids[0]) is None  # split in two
    assert len(section_suggestions(enia, Verdict.SUGGESTED)) == 2


def test_bad_requests_are_refused_in_words_not_errors(coordinator_client, suggested):
    first = suggested[0]
    before = entries()
    for url, data in [
        (f"{PAGE}{first.id}/merge", {f"m{first.id}-other": "999999"}),
        (f"{PAGE}{first.id}/merge", {f"m{first.id}-other": "abc"}),
        (f"{PAGE}{first.id}/accept", {f"a{first.id}-label": ""}),
        (f"{PAGE}{first.id}/rename", {f"r{first.id}-label": "x" * 200}),
    ]:
        reply = post_form(coordinator_client, url, data, form_url=PAGE)
        assert reply.status_code == 302, url
    assert entries() == before
    assert "Nothing was changed" in text_of(coordinator_client, PAGE)
    gone = post_form(coordinator_client, f"{PAGE}999999/reject", {}, form_url=PAGE)
    assert gone.status_code == 302 and entries() == before
    assert "That suggestion no longer exists" in text_of(coordinator_client, PAGE)
    assert coordinator_client.get("/console/c/enia-2021/themes/999999/suggested").status_code == 404


def test_tagging_in_bulk_confirms_suggested_tags_without_duplicating(coordinator_client, suggested):
    suggestion = suggested[0]
    accept(coordinator_client, suggestion, "Telemedicina")
    theme = db.session.scalar(sa.select(Theme).filter_by(name="Telemedicina"))
    ids = [str(m.comment_id) for m in suggestion.members][:4]
    reply = post_form(
        coordinator_client,
        "/console/c/enia-2021/comments/bulk",
        {"action": "tag", "bulk_theme": str(theme.id), "scope": "selected", "ids": ids},
        form_url="/console/c/enia-2021/comments",
    )
    assert reply.status_code == 302
    rows = db.session.execute(
        sa.select(comment_theme.c.comment_id, comment_theme.c.suggested).where(
            comment_theme.c.theme_id == theme.id
        )
    ).all()
    assert len(rows) == 10
    assert sorted(str(c) for c, suggested in rows if not suggested) == sorted(ids)
