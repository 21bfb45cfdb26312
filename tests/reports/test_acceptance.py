"""Acceptance: thirty people answer through the public pages; every output agrees.

Each respondent uses a browser of their own (a test client): profile, section 5.3 (a
likert answer and a comment), the general questions (a single choice, a multiple choice
and a ranking), review, submit. Then a coordinator reads the report page and downloads
CSV, XLSX, JSON and PDF, confidential and open; the public summary is published and
read. The same figures are read back from each (HTML tables, csv, openpyxl, json, pypdf)
and compared with the numbers worked out here from what was entered.
"""

from __future__ import annotations

import io
import json
import re
import zipfile
from collections import Counter

import openpyxl
import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.conftest import post_form
from tests.reports.test_downloads import download
from tests.reports.test_views import tables_of
from tests.reports.test_writers import csv_records, pdf_text, read_zip

BASE = "/console/c/enia-2021/report"
LIKERT = "q-5-3-agree"
#: (stakeholder type, how many): 12 academia, 8 business, 6 civil society, 4 citizens.
PEOPLE = [("academia", 12), ("company", 8), ("civil_society", 6), ("individual", 4)]
GROUP = {"academia": "academia", "company": "business", "civil_society": "civil_society",
         "individual": "citizens"}  # fmt: skip
GROUP_LABEL = {"academia": "Academia", "business": "Business", "civil_society": "Civil society",
               "citizens": "Citizens", "other_groups": "Other groups"}  # fmt: skip
POINTS = ["5", "4", "4", "3", "2", "5", "1", "dk", "4", "5"]
FIT = ["well", "partly", "very-well", "well", "poorly"]
FIT_LABEL = {"very-well": "Very well", "well": "Well", "partly": "Partly", "poorly": "Poorly"}
STRENGTHEN = ["targets-deadlines", "budget-funding", "governance", "regional-inclusion"]
AREAS = ["5-1", "5-2", "5-3", "5-4", "5-5", "5-6", "5-7", "5-8", "5-9", "5-10"]
ORDERS = [["5-3", "5-10", "5-1"], ["5-10", "5-3"], ["5-1", "5-3", "5-10"]]
AREA_LABEL = {"5-1": "Experimentation in a controlled environment", "5-3": "Education and skills",
              "5-10": "Data access, sharing and governance"}  # fmt: skip


def people() -> list[dict]:
    """Who answers what: each person's profile and answers, by their number."""
    out = []
    for stakeholder_type, count in PEOPLE:
        for _ in range(count):
            i = len(out)
            out.append(
                {
                    "type": stakeholder_type,
                    "group": GROUP[stakeholder_type],
                    "email": f"persona{i:02d}@example.org",
                    "point": POINTS[i % len(POINTS)],
                    "fit": FIT[i % len(FIT)],
                    "strengthen": [STRENGTHEN[i % 4], STRENGTHEN[(i + 1) % 4]],
                    "order": ORDERS[i % len(ORDERS)],
                }
            )
    return out


def respond(app: Flask, person: dict, i: int) -> None:
    """One person's visit, in a browser of their own."""
    browser = app.test_client()
    profile = {
        "stakeholder_type": person["type"],
        "region": "cusco" if i % 3 else "lima_metropolitana",
        "publication": "anonymous",
        "email": person["email"],
        "consent": "y",
    }
    if person["type"] == "individual":
        profile["responding_as"] = "individual"
    else:
        profile.update(
            responding_as="organisation", organisation_name=f"Organización {i}",
            organisation_size="small",
        )  # fmt: skip
    started = post_form(browser, "/c/enia-2021/profile", profile)
    assert started.status_code == 302, started.get_data(as_text=True)
    section = {
        "q_q_5_3_agree": person["point"],
        "comment": f"Comentario número {i} sobre formación docente.",
        "contribution": ["problem_definition", "objective_formulation", "other"][i % 3],
        "go": "next",
    }
    assert post_form(browser, "/c/enia-2021/s/5-3", section).status_code == 302
    ranks = [str(person["order"].index(a) + 1) if a in person["order"] else "" for a in AREAS]
    general = {
        "q_q_overall_fit": person["fit"],
        "q_q_strengthen": person["strengthen"],
        "q_q_ranking_priority_areas": ranks,
    }
    assert post_form(browser, "/c/enia-2021/general", general).status_code == 302
    submitted = post_form(browser, "/c/enia-2021/submit", {}, form_url="/c/enia-2021/review")
    assert submitted.status_code == 302, submitted.get_data(as_text=True)


def expected(everyone: list[dict]) -> dict:
    """The figures, worked out from what the people entered."""
    points = Counter(p["point"] for p in everyone)
    valid = sum(n for point, n in points.items() if point != "dk")
    borda = Counter()
    for p in everyone:
        for rank, area in enumerate(p["order"], 1):
            borda[area] += len(AREAS) - rank + 1
    return {
        "responses": len(everyone),
        "groups": Counter(p["group"] for p in everyone),
        "points": points,
        "answers": len(everyone),
        "agree": (points["4"] + points["5"]) / valid,
        "fit": Counter(p["fit"] for p in everyone),
        "borda": {area: score / len(everyone) for area, score in borda.items()},
    }


@pytest.fixture
def answered(app: Flask, enia) -> dict:
    everyone = people()
    for i, person in enumerate(everyone):
        respond(app, person, i)
    return {"people": everyone, **expected(everyone)}


@pytest.fixture
def english_coordinator(coordinator_client: FlaskClient) -> FlaskClient:
    """The signed-in coordinator, reading in English."""
    coordinator_client.get("/console/?lang=en")
    return coordinator_client


def count(text) -> int | str | None:
    """A printed count: the number, "<5" as it is, None when withheld ("—" or empty)."""
    text = str(text).strip() if text is not None else ""
    text = text.split(" (")[0].replace(",", "")
    if text in ("", "None", "nan") or text.startswith("—"):  # the page adds "withheld"
        return None
    return text if text.startswith("<") else int(float(text))


# ---------------------------------------------------------------- readers, one per output


def from_page(body: str) -> dict:
    tables = tables_of(body)
    likert = tables[f"q-{LIKERT}-1"]
    header = likert[0]
    overall = dict(zip(header, next(r for r in likert if r[0] == "All respondents"), strict=True))
    names = dict(zip(["1", "2", "3", "4", "5", "dk"], header[2:8], strict=True))
    fit = {r[0]: r[1] for r in tables["q-q-overall-fit-1"][1:]}
    ranking = {r[0]: r[3] for r in tables["q-q-ranking-priority-areas-1"][1:]}
    counted = re.search(r'<p class="report-count"><strong>([^<]+)</strong>', body).group(1)
    return {
        "responses": count(counted),
        "groups": {r[0]: count(r[1]) for r in tables["participation-1"][1:]},
        "points": {p: count(overall[name]) for p, name in names.items()},
        "answers": count(overall["Answers"]),
        "agree": overall["Agree (4–5)"],
        "fit": {label: count(fit.get(label)) for label in FIT_LABEL.values()},
        "borda": {AREA_LABEL[a]: ranking.get(AREA_LABEL[a]) for a in AREA_LABEL},
    }


def from_csv(data: bytes) -> dict:
    files = read_zip(data)
    line = next(x for x in files["README.txt"].splitlines() if x.startswith("Responses counted"))
    likert = next(
        r
        for r in csv_records(files["likert.csv"])
        if (r["question"], r["group"]) == (LIKERT, "all")
    )
    choices = csv_records(files["choices.csv"])
    ranking = csv_records(files["ranking.csv"])
    return {
        "responses": count(line.split(": ")[1]),
        "groups": {
            GROUP_LABEL.get(r["group"], r["group"]): count(r["responses"])
            for r in csv_records(files["participation_group.csv"])
        },
        "points": {p: count(likert[p]) for p in ["1", "2", "3", "4", "5", "dk"]},
        "answers": count(likert["n"]),
        "agree": likert["agree"],
        "fit": {
            r["option_label"]: count(r["n"])
            for r in choices
            if (r["question"], r["group"]) == ("q-overall-fit", "all")
        },
        "borda": {
            r["option_label"]: r["borda"]
            for r in ranking
            if r["group"] == "all" and r["option"] in AREA_LABEL
        },
    }


def from_xlsx(data: bytes) -> dict:
    book = openpyxl.load_workbook(io.BytesIO(data))

    def records(name):
        rows = list(book[name].iter_rows(values_only=True))
        return [
            dict(zip(rows[0], r, strict=True)) for r in rows[1:] if any(v is not None for v in r)
        ]

    summary = {r[0]: r[1] for r in book["Summary"].iter_rows(values_only=True) if r[0]}
    likert = next(
        r for r in records("Agreement")
        if (r["Question code"], r["Stakeholder group"]) == (LIKERT, "All respondents")
    )  # fmt: skip
    names = ["Strongly disagree", "Disagree", "Neither agree nor disagree", "Agree",
             "Strongly agree", "Don't know"]  # fmt: skip
    return {
        "responses": count(summary["Responses counted"]),
        "groups": {
            r["Category"]: count(r["Responses"])
            for r in records("Participation")
            if r["Breakdown"] == "Stakeholder group"
        },
        "points": {
            p: count(likert[n]) for p, n in zip(["1", "2", "3", "4", "5", "dk"], names, strict=True)
        },
        "answers": count(likert["Answers to the question"]),
        "agree": likert["Agree (4–5)"],
        "fit": {
            r["Option"]: count(r["Chose it"])
            for r in records("Choices")
            if (r["Question code"], r["Stakeholder group"]) == ("q-overall-fit", "All respondents")
        },
        "borda": {
            r["Option"]: r["Borda score"]
            for r in records("Rankings")
            if r["Stakeholder group"] == "All respondents" and r["Option (code)"] in AREA_LABEL
        },
    }


def from_json(data: bytes) -> dict:
    document = json.loads(data)
    likert = next(r for r in document["likert"] if (r["question"], r["group"]) == (LIKERT, "all"))
    return {
        "responses": count(document["meta"]["responses"]),
        "groups": {
            GROUP_LABEL.get(r["group"], r["group"]): count(r["responses"])
            for r in document["participation"]["group"]
        },
        "points": {p: count(likert[p]) for p in ["1", "2", "3", "4", "5", "dk"]},
        "answers": count(likert["n"]),
        "agree": likert["agree"],
        "fit": {
            r["option_label"]: count(r["n"])
            for r in document["choices"]
            if (r["question"], r["group"]) == ("q-overall-fit", "all")
        },
        "borda": {
            r["option_label"]: r["borda"]
            for r in document["ranking"]
            if r["group"] == "all" and r["option"] in AREA_LABEL
        },
    }


def from_pdf(data: bytes) -> dict:
    text = pdf_text(data)

    def after(label: str, section: str, *, default=None) -> str | None:
        """The first value printed after ``label`` (which a table cell may wrap) in a section."""
        part = text[text.index(section) :]
        found = re.search(
            r"(?:^|\n)" + r"\s+".join(map(re.escape, label.split())) + r"\s+(\S+)", part
        )
        return found.group(1) if found else default

    summary = re.search(r"agree (\S+ %|—) · disagree .* · answers (\S+)", text)
    return {
        "responses": count(re.search(r"Responses counted: (\S+)", text).group(1)),
        "groups": {g: count(after(g, "1. Participation")) for g in GROUP_LABEL.values()},
        "answers": count(summary.group(2)),
        "agree": summary.group(1),
        "fit": {o: count(after(o, "3. Choice questions", default=0)) for o in FIT_LABEL.values()},
        "borda": {a: after(a, "4. Ranking questions") for a in AREA_LABEL.values()},
    }


# ---------------------------------------------------------------- the test


def as_number(value) -> float | None:
    """A share or score however printed ("55.6 %", "56%", "0.5555", 9.8) as a number."""
    if value is None or value == "" or str(value).startswith("—"):
        return None
    if isinstance(value, int | float):
        return float(value)
    value = value.replace(",", "").strip()
    if value.endswith("%"):
        return float(value.rstrip("% ")) / 100
    return float(value)


def check_confidential(name: str, found: dict, want: dict) -> None:
    assert found["responses"] == want["responses"], name
    groups = {GROUP_LABEL[g]: n for g, n in want["groups"].items()}
    assert {g: found["groups"][g] for g in groups} == groups, name
    if "points" in found:
        assert found["points"] == {p: want["points"][p] for p in found["points"]}, name
    assert found["answers"] == want["answers"], name
    # Shares as each output rounds them: the page to a percent, the PDF to a tenth.
    assert as_number(found["agree"]) == pytest.approx(want["agree"], abs=0.006), name
    fit = {FIT_LABEL[o]: n for o, n in want["fit"].items()}
    assert {o: found["fit"].get(o) for o in fit} == fit, name
    borda = {AREA_LABEL[a]: s for a, s in want["borda"].items() if a in AREA_LABEL}
    for label, score in borda.items():
        assert as_number(found["borda"][label]) == pytest.approx(score, abs=0.006), (name, label)


def test_every_output_shows_the_same_numbers(app, english_coordinator, answered, enia):
    want = answered
    assert want["groups"] == {"academia": 12, "business": 8, "civil_society": 6, "citizens": 4}

    page = english_coordinator.get(f"{BASE}/")
    assert page.status_code == 200
    confidential = {
        "page": from_page(page.get_data(as_text=True)),
        "csv": from_csv(download(english_coordinator, f"{BASE}/report.csv.zip").get_data()),
        "xlsx": from_xlsx(download(english_coordinator, f"{BASE}/report.xlsx").get_data()),
        "json": from_json(download(english_coordinator, f"{BASE}/report.json").get_data()),
        "pdf": from_pdf(download(english_coordinator, f"{BASE}/report.pdf").get_data()),
    }
    for name, found in confidential.items():
        check_confidential(name, found, want)

    # The public summary, once the coordinator publishes it, and the open downloads.
    published = post_form(
        english_coordinator, f"{BASE}/publish", {"published": "1"}, form_url=f"{BASE}/"
    )
    assert published.status_code == 302
    reader = app.test_client()
    public = reader.get("/c/enia-2021/results?lang=en")
    assert public.status_code == 200
    downloads = {
        fmt: download(english_coordinator, f"{BASE}/report.{ext}?audience=open").get_data()
        for fmt, ext in (("csv", "csv.zip"), ("xlsx", "xlsx"), ("json", "json"), ("pdf", "pdf"))
    }
    opened = {
        "public": from_page(public.get_data(as_text=True)),
        "csv": from_csv(downloads["csv"]),
        "xlsx": from_xlsx(downloads["xlsx"]),
        "json": from_json(downloads["json"]),
        "pdf": from_pdf(downloads["pdf"]),
    }
    # Citizens (4) are too few to be shown on their own, and civil society (6), the next
    # smallest group, joins them: a pool of 4 alone would be 30 − 12 − 8 − 6 = 4 people.
    shown = {"Academia": 12, "Business": 8, "Other groups": 10}
    for name, found in opened.items():
        assert found["responses"] == 30, name
        assert {g: found["groups"].get(g) for g in shown} == shown, name
        pooled = [found["groups"].get(g) for g in ("Citizens", "Civil society")]
        assert pooled == [None, None], name  # not on a row of their own
        assert found["answers"] == 30, name
        # Every overall figure is published, the confidential one: the same in every output.
        for figure in ("points", "fit"):
            if figure not in found:
                continue
            for key, value in found[figure].items():
                assert value == opened["csv"][figure][key], (name, figure, key)
                assert value == confidential["csv"][figure][key], (name, figure, key)
        for label, score in found["borda"].items():
            same = as_number(opened["csv"]["borda"][label])
            assert as_number(score) == (same if same is None else pytest.approx(same, abs=0.006))
    assert opened["csv"]["points"]["1"] == 3  # three people chose 1: a group figure, published

    # No email in anything open.
    book = openpyxl.load_workbook(io.BytesIO(downloads["xlsx"]))
    texts = {
        "public": public.get_data(as_text=True),
        "csv": "\n".join(read_zip(downloads["csv"]).values()),
        "xlsx": "\n".join(str(c.value) for s in book for row in s.iter_rows() for c in row),
        "json": downloads["json"].decode(),
        "pdf": pdf_text(downloads["pdf"]),
    }
    for name, text in texts.items():
        assert "@example.org" not in text, name
        assert not any(p["email"] in text for p in want["people"]), name
    names = zipfile.ZipFile(io.BytesIO(downloads["csv"])).namelist()
    assert not any(n.startswith("raw/") for n in names)
