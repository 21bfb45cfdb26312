"""A bundle's ``time_zone``: checked against the zone database, loaded, and used for the
dates given to ``consult load-consultation``."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
import sqlalchemy as sa

from consult.content import ContentError, load_bundle
from consult.extensions import db
from consult.models import Consultation
from tests.content.test_bundles import copy_bundle, edit_yaml


def _consultation(slug: str = "small-test") -> Consultation:
    db.session.expire_all()
    return db.session.scalar(sa.select(Consultation).filter_by(slug=slug))


def _in_zone(tmp_path: Path, zone: object) -> Path:
    bundle = copy_bundle(tmp_path)
    edit_yaml(bundle / "consultation.yaml", lambda data: data.update(time_zone=zone))
    return bundle


def test_the_shipped_draft_is_in_lima(app):
    load_bundle("enia-2021")
    assert _consultation("enia-2021").time_zone == "America/Lima"


def test_a_bundle_without_a_zone_is_in_lima(app, tmp_path):
    load_bundle(copy_bundle(tmp_path))
    assert _consultation().time_zone == "America/Lima"


def test_a_bundles_zone_is_loaded_and_a_change_is_reported(app, tmp_path):
    bundle = _in_zone(tmp_path, "America/Santiago")
    load_bundle(bundle)
    assert _consultation().time_zone == "America/Santiago"
    assert not load_bundle(bundle).changed
    edit_yaml(bundle / "consultation.yaml", lambda data: data.update(time_zone="America/Bogota"))
    assert load_bundle(bundle).updated == ["consultation small-test"]
    assert _consultation().time_zone == "America/Bogota"


@pytest.mark.parametrize(
    "zone", ["Mars/Olympus_Mons", "america/santiago ", "../../etc/passwd", "", 5, ["UTC"]]
)
def test_an_unknown_zone_is_refused_before_anything_is_written(app, tmp_path, zone):
    with pytest.raises(ContentError) as refused:
        load_bundle(_in_zone(tmp_path, zone))
    assert "time_zone" in str(refused.value) and "America/Santiago" in str(refused.value)
    assert _consultation() is None


def test_load_consultation_reads_its_dates_in_the_bundles_zone(app, tmp_path):
    bundle = _in_zone(tmp_path, "America/Santiago")
    dates = ["--opens", "2031-03-01", "--closes", "2031-04-15T23:30"]
    result = app.test_cli_runner().invoke(args=["load-consultation", str(bundle), *dates])
    assert result.exit_code == 0, result.output
    small = _consultation()
    # Santiago is three hours behind Greenwich in its summer (to 5 April 2031), four after.
    assert small.opens_at == datetime(2031, 3, 1, 3, 0)
    assert small.closes_at == datetime(2031, 4, 16, 3, 30)


def test_a_bundles_dates_without_an_offset_are_in_its_zone(app, tmp_path):
    bundle = copy_bundle(tmp_path)

    def in_santiago(meta: dict) -> None:
        meta.update(time_zone="America/Santiago", opens="2030-01-10T09:00:00")
        meta.update(closes="2030-07-10T23:59:00+00:00")

    edit_yaml(bundle / "consultation.yaml", in_santiago)
    load_bundle(bundle)
    small = db.session.scalar(sa.select(Consultation).filter_by(slug="small-test"))
    # January is Santiago's summer (UTC-3); an offset given is read as written.
    assert small.opens_at == datetime(2030, 1, 10, 12, 0)
    assert small.closes_at == datetime(2030, 7, 10, 23, 59)
