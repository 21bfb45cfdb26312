"""The rule for the whole app: a full analysis, a suggested theme accepted and every
cluster of copies left suggested change no report and no public page, byte for byte;
only what a person confirms does."""

from __future__ import annotations

import io
import json
import re
import zipfile

import openpyxl
import sqlalchemy as sa

from consult.extensions import db
from consult.models import CopyCluster, ThemeSuggestion
from consult.models.vocab import ModerationState
from consult.systematising import copies, runs, suggestions
from tests.conftest import post_form
from tests.factories import build_response
from tests.insight.test_themes import clear_topics

REPORT = "/console/c/enia-2021/report"
LETTER = (
    "Pedimos que la estrategia nacional de inteligencia artificial garantice conectividad "
    "de banda ancha en todas las comunidades rurales antes de financiar proyectos "
    "piloto en Lima, porque sin internet no hay inclusión digital posible."
)
#: What changes between two downloads of the same figures: when each was made.
_MOMENTS = re.compile(r"\d\d:\d\d(:\d\d(\.\d+)?)?([+-]\d\d:\d\d)?")


#: What changes between two requests of one page: its forms' tokens.
_TOKENS = re.compile(r'name="csrf_token"[^>]*>|nonce="[^"]+"')


def _seed(enia) -> None:
    """Comments on three topics and six copies of a letter, every one published."""
    texts, _labels = clear_topics()
    published = {"moderation": ModerationState.PUBLISHED}
    for n, text in enumerate(texts):
        build_response(
            enia,
            [{"section": "5-3", "text": text, **published}],
            answers={"q-5-3-agree": str(1 + n % 5)},
            stakeholder_type=["company", "academia", "civil_society"][n % 3],
            publication="anonymous",
        )
    for _ in range(6):
        build_response(
            enia, [{"section": "5-5", "text": LETTER, **published}], publication="anonymous"
        )
    db.session.commit()


def _outputs(client, public) -> dict[str, object]:
    """Every report and public page, as its reader gets it, with the moment it was made
    taken out."""

    def text(url: str, c=client) -> str:
        reply = c.get(url)
        assert reply.status_code == 200, (url, reply.status_code)
        return _TOKENS.sub("…", _MOMENTS.sub("…", reply.get_data(as_text=True)))

    def workbook(url: str) -> list:
        book = openpyxl.load_workbook(io.BytesIO(client.get(url).data))
        return [
            [_MOMENTS.sub("…", str(c.value)) for row in s.iter_rows() for c in row] for s in book
        ]

    def archive(url: str) -> dict[str, str]:
        files = zipfile.ZipFile(io.BytesIO(client.get(url).data))
        return {n: _MOMENTS.sub("…", files.read(n).decode("utf-8-sig")) for n in files.namelist()}

    found: dict[str, object] = {}
    for audience in ("open", "confidential"):
        query = "?audience=open" if audience == "open" else ""
        found[f"{audience} page"] = text(f"{REPORT}/{query}")
        document = json.loads(client.get(f"{REPORT}/report.json{query}").data)
        found[f"{audience} json"] = _MOMENTS.sub("…", json.dumps(document, sort_keys=True))
        found[f"{audience} xlsx"] = workbook(f"{REPORT}/report.xlsx{query}")
        found[f"{audience} csv"] = archive(f"{REPORT}/report.csv.zip{query}")
    found["results"] = text("/c/enia-2021/results", public)
    for key in ("5-3", "5-5"):
        found[f"section {key}"] = text(f"/c/enia-2021/s/{key}", public)
    return found


def test_suggestions_change_no_output_until_a_person_confirms(
    app, enia, coordinator, coordinator_client
):
    _seed(enia)
    post_form(coordinator_client, f"{REPORT}/publish", {"published": "1"}, form_url=f"{REPORT}/")
    coordinator_client.get(f"{REPORT}/")  # the page that says so, once
    app.config["REPORT_PUBLIC_CACHE_SECONDS"] = 0
    public = app.test_client()
    before = _outputs(coordinator_client, public)

    done = runs.execute(runs.start_run(enia).id)
    assert done.error is None and done.counts["clusters"] >= 1 and done.counts["suggestions"] >= 3
    suggestion = db.session.scalars(
        sa.select(ThemeSuggestion).where(ThemeSuggestion.section_id.is_not(None))
    ).first()
    suggestions.accept(suggestion, coordinator, label="Tema aún sin confirmar")
    after_accepting = _outputs(coordinator_client, public)
    changed = sorted(k for k in before if before[k] != after_accepting[k])
    assert changed == [], f"changed before any confirmation: {changed}"

    cluster = db.session.scalars(sa.select(CopyCluster)).first()
    copies.confirm(cluster, coordinator)
    confirmed = _outputs(coordinator_client, public)
    assert confirmed["confidential json"] != before["confidential json"]
    assert "Tema aún sin confirmar" not in json.dumps(confirmed, default=str)
