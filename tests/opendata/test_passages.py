"""The comments per passage in the open-data package: valid Frictionless data, the open
report's own figures, a passage of fewer than K commenters left out."""

from __future__ import annotations

import json
from datetime import timedelta

import sqlalchemy as sa

from consult.content.passages import passages
from consult.extensions import db
from consult.models import Section
from consult.models.columns import utcnow
from consult.opendata import write_package
from tests.factories import build_response

from .exports import errors, records

STALE = "p-0badf00d"


def test_passage_counts_are_valid_open_data(published, tmp_path):
    section = db.session.scalar(sa.select(Section).where(Section.key == "5-3"))
    target = passages(section.body_md_es)[1]
    start = utcnow() - timedelta(days=1)
    on = {"section": "5-3", "anchor": target.anchor, "passage_text": target.text, "text": "Sí"}
    earlier = {"section": "5-3", "anchor": STALE, "passage_text": "Antes", "text": "Antes"}
    for n in range(6):
        comments = [{**on, "proposal": "Otra redacción" if n < 2 else None}, earlier]
        build_response(published, comments if n < 5 else [earlier],
                       stakeholder_type="academia", submitted_at=start)  # fmt: skip
    build_response(published, [{**on, "anchor": passages(section.body_md_es)[2].anchor}],
                   stakeholder_type="academia", submitted_at=start)  # fmt: skip
    db.session.commit()

    files = write_package(published, tmp_path / "open-data")
    assert errors(tmp_path / "open-data" / "datapackage.json") == []
    descriptor = json.loads(files["datapackage.json"])
    resource = next(r for r in descriptor["resources"] if r["name"] == "passage_comment_counts")
    assert resource["schema"]["primaryKey"] == ["section", "anchor", "group"]
    rows = records(files, "passage_comment_counts")
    overall = {r["anchor"]: r for r in rows if r["group"] == "all"}
    assert set(overall) == {target.anchor, STALE}  # the third passage: one commenter
    found = overall[target.anchor]
    assert (found["section"], found["number"], found["kind"]) == ("5-3", str(target.number),
                                                                  target.kind)  # fmt: skip
    assert (found["n"], found["proposals"]) == ("5", "2")
    stale = overall[STALE]
    assert (stale["number"], stale["kind"]) == ("", "earlier")
    assert (stale["n"], stale["proposals"]) == ("6", "0")
