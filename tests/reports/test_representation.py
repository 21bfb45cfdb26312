"""Who is missing in the reports: the coordinators' report compares every region and
gender with the census; the open one shows no region of fewer than K on its own."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import datetime

import pandas as pd
import pytest

from consult.extensions import db
from consult.models import Consultation
from consult.reports.frames import build_report
from consult.reports.privacy import open_report
from tests.factories import add_response

K = 5
BASE = "/console/c/enia-2021/report"


@pytest.fixture
def regions(enia: Consultation) -> Consultation:
    """Six responses from Lima (five women), two from Cusco, one each from Tacna, Piura
    and abroad: with K = 5, the last four regions make a pool of five."""
    people = [("lima_metropolitana", "woman")] * 5 + [("lima_metropolitana", "man")]
    people += [("cusco", "man"), ("cusco", "man"), ("tacna", "man"), ("piura", "prefer_not")]
    people += [("abroad", "non_binary")]
    for n, (region, gender) in enumerate(people):
        add_response(enia, region=region, gender=gender, submitted_at=datetime(2024, 3, 10, 15, n))
    db.session.commit()
    return enia


def rows(report, key: str) -> dict[str, dict]:
    return {r["code"]: r for r in report.representation[key].table.to_dict("records")}


def test_the_coordinators_report_compares_every_region_and_gender(regions):
    report = build_report(regions)
    region = rows(report, "region")

    # Lima: 6 of the 10 respondents in Peru's regions against 29.2 % of the people.
    assert region["lima_metropolitana"]["responses"] == 6
    assert region["lima_metropolitana"]["index"] == pytest.approx(0.6 / (8574974 / 29381884))
    assert region["cusco"]["responses"] == 2 and region["cusco"]["verdict"] == "over"
    assert region["puno"]["responses"] == 0 and region["puno"]["verdict"] == "no_response"
    assert report.representation["region"].others == {"abroad": 1}
    gender = rows(report, "gender")
    assert gender["woman"]["response_share"] == pytest.approx(5 / 9)
    assert gender["man"]["response_share"] == pytest.approx(4 / 9)
    assert report.representation["gender"].others == {"prefer_not": 1, "non_binary": 1}


def test_the_open_report_shows_no_region_of_fewer_than_k_on_its_own(regions):
    report = open_report(build_report(regions, audience="open"), K)
    region = rows(report, "region")

    assert region["lima_metropolitana"]["responses"] == 6
    # Cusco (2) is pooled with Tacna, Piura and abroad: its population, no count, no index.
    assert region["cusco"]["responses"] is None and region["cusco"]["index"] is None
    assert region["cusco"]["verdict"] == "pooled" and region["cusco"]["population"] > 0
    # A region with no response shows 0, as the participation table does.
    assert region["puno"]["responses"] == 0 and region["puno"]["verdict"] == "no_response"
    # The shares divide by the published figures: Lima's 6 and the pool's 5.
    assert region["lima_metropolitana"]["response_share"] == pytest.approx(6 / 11)
    gender = rows(report, "gender")
    assert gender["woman"]["responses"] == 5  # 5 women: shown
    assert gender["man"]["responses"] is None  # 4 men: pooled
    assert report.representation["gender"].others == {}


def test_the_open_downloads_carry_the_table_under_the_same_rule(regions, coordinator_client):
    coordinator_client.get("/console/?lang=en")
    document = json.loads(
        coordinator_client.get(f"{BASE}/report.json?audience=open").get_data(as_text=True)
    )
    table = {(r["field"], r["code"]): r for r in document["representation"]}
    assert table[("region", "lima_metropolitana")]["responses"] == 6
    assert table[("region", "cusco")]["responses"] is None
    assert table[("region", "cusco")]["index"] is None
    assert ("region", "abroad") not in table  # pooled in participation: not named
    counted = [r["responses"] for r in document["representation"] if r["responses"]]
    assert all(n >= K for n in counted)

    archive = zipfile.ZipFile(
        io.BytesIO(coordinator_client.get(f"{BASE}/report.csv.zip?audience=open").get_data())
    )
    name = next(n for n in archive.namelist() if n.endswith("representation.csv"))
    csv = pd.read_csv(archive.open(name))
    cusco = csv[(csv["field"] == "region") & (csv["code"] == "cusco")].iloc[0]
    assert pd.isna(cusco["responses"]) and pd.isna(cusco["index"])


def test_the_confidential_downloads_and_pages_show_it(regions, coordinator_client):
    coordinator_client.get("/console/?lang=en")
    document = json.loads(coordinator_client.get(f"{BASE}/report.json").get_data(as_text=True))
    table = {(r["field"], r["code"]): r for r in document["representation"]}
    assert table[("region", "cusco")]["responses"] == 2
    assert table[("region", "abroad")]["verdict"] == "not_compared"
    assert table[("region", "abroad")]["responses"] == 1

    for url in (f"{BASE}/", f"{BASE}/report.xlsx", f"{BASE}/report.pdf"):
        assert coordinator_client.get(url).status_code == 200, url
    page = coordinator_client.get(f"{BASE}/").get_data(as_text=True)
    assert "Who is missing" in page and "under-represented" in page
