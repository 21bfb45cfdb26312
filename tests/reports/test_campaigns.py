"""Confirmed campaigns in the reports: raw and de-duplicated comment counts side by side,
only once a person confirmed them; in the open report, small campaigns pooled (K = 5)."""

from __future__ import annotations

import io
import json
import re

import openpyxl
import pytest
import sqlalchemy as sa

from consult.extensions import db
from consult.models import Comment, CopyCluster, CopyMember
from consult.reports.frames import build_report
from consult.reports.privacy import open_report
from consult.systematising import copies, runs
from tests.factories import make_response
from tests.reports.test_writers import csv_records, pdf_text, read_zip

BASE = "/console/c/enia-2021/report"
K = 5
LETTER = (
    "Pedimos que la estrategia nacional de inteligencia artificial garantice conectividad "
    "de banda ancha en todas las comunidades rurales antes de financiar proyectos "
    "piloto en Lima, porque sin internet no hay inclusión digital posible."
)
SHORT_CAMPAIGN = (
    "Las universidades públicas necesitan laboratorios de cómputo y profesores con "
    "doctorado para formar especialistas en aprendizaje automático en cada región del país."
)


@pytest.fixture
def campaigns(enia):
    """Six copies of a letter, three of a second text, four distinct comments; analysed."""
    for n in range(6):
        make_response(enia, ("5-3", LETTER if n % 2 else LETTER.replace("Lima", "la capital")))
    for _ in range(3):
        make_response(enia, ("5-3", SHORT_CAMPAIGN))
    for n in range(4):
        make_response(enia, ("5-3", f"Un comentario propio, el número {n}, sobre otro asunto."))
    run = runs.start_run(enia, ["copies"])
    assert runs.execute(run.id).error is None
    return {len(c.members): c for c in db.session.scalars(sa.select(CopyCluster)).unique().all()}


def rows(frame) -> list[tuple]:
    return [tuple(r) for r in frame[["campaign_kind", "raw", "counted_as"]].values.tolist()]


def test_suggested_clusters_change_no_report(enia, campaigns, coordinator_client):
    assert set(campaigns) == {6, 3}
    assert build_report(enia).campaigns.empty
    page = coordinator_client.get(f"{BASE}/?lang=en").get_data(as_text=True)
    assert "Each campaign once" not in page


def test_the_report_counts_each_confirmed_campaign_once(
    enia, campaigns, coordinator, coordinator_client
):
    copies.confirm(campaigns[6], coordinator)
    assert rows(build_report(enia).campaigns) == [("near", 6, 1), ("", 13, 8)]
    copies.confirm(campaigns[3], coordinator)
    report = build_report(enia)
    assert rows(report.campaigns) == [("near", 6, 1), ("exact", 3, 1), ("", 13, 6)]
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Comment)) == 13

    # The open report shows the campaign of 6 on its own; the one of 3 (< K) is not, and
    # alone it cannot be pooled, so it joins the smallest shown campaign.
    opened = open_report(build_report(enia, audience="open"), K)
    assert [(r[0], r[2], r[3]) for r in opened.campaigns.values.tolist()] == [
        ("other_campaigns", 9, 2),
        ("all", 13, 6),
    ]

    page = re.sub(r"\s+", " ", coordinator_client.get(f"{BASE}/?lang=en").get_data(as_text=True))
    assert "Comments, raw and with each confirmed campaign counted once" in page
    assert re.search(r"All comments</th>\s*<td[^>]*>13</td>\s*<td[^>]*>6</td>", page)

    document = json.loads(coordinator_client.get(f"{BASE}/report.json").get_data())
    assert [(r["raw"], r["counted_as"]) for r in document["campaigns"]] == [
        (6, 1),
        (3, 1),
        (13, 6),
    ]
    files = read_zip(coordinator_client.get(f"{BASE}/report.csv.zip").get_data())
    [name] = [n for n in files if n.endswith("campaigns.csv")]
    assert [r["counted_as"] for r in csv_records(files[name])] == ["1", "1", "6"]
    book = openpyxl.load_workbook(io.BytesIO(coordinator_client.get(f"{BASE}/report.xlsx").data))
    sheet = next(s for s in book if s.title in ("Campañas", "Campaigns"))
    values = [c.value for row in sheet.iter_rows() for c in row]
    assert 13 in values and 6 in values
    text = " ".join(pdf_text(coordinator_client.get(f"{BASE}/report.pdf?lang=en").data).split())
    assert "Comments, raw and with each confirmed campaign counted once" in text
    assert re.search(r"All comments 13 6", text), text


def test_an_open_report_shows_a_campaign_of_k_copies_or_more_on_its_own(
    enia, campaigns, coordinator
):
    copies.confirm(campaigns[6], coordinator)
    opened = open_report(build_report(enia, audience="open"), K)
    assert rows(opened.campaigns) == [("near", 6, 1), ("", 13, 8)]
    # A campaign of fewer than K copies alone: no campaign figure in the open report.
    copies.dismiss(campaigns[3], coordinator)
    small = db.session.scalar(sa.select(CopyCluster).where(CopyCluster.id == campaigns[6].id))
    db.session.execute(
        sa.delete(CopyMember).where(
            CopyMember.cluster_id == small.id,
            CopyMember.comment_id.in_([m.comment_id for m in small.members][:3]),
        )
    )
    db.session.commit()
    assert open_report(build_report(enia, audience="open"), K).campaigns.empty
