"""A bundle's own reference population (``population.csv``): checked against its profile,
loaded whole or not at all, and used by the "who is missing" page."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa

from consult.content import BUNDLES_DIR, ContentError, load_bundle
from consult.extensions import db
from consult.models import Consultation
from consult.models.insight import ReferencePopulation
from consult.reports.representation import reference_tables
from tests.content.test_bundles import copy_bundle
from tests.factories import make_response

VALLE = BUNDLES_DIR / "valle-digital-2027"
TABLE = """region,population,source_note
centro,6000,"Censo comunal 2024, INE Chile"
cerro_alto,3000,
los_sauces,2000,
rural,1000,
"""


def valle(tmp_path: Path, table: str | None = TABLE, name: str = "population.csv") -> Path:
    bundle = copy_bundle(tmp_path, VALLE)
    if table is not None:
        (bundle / name).write_text(table, encoding="utf-8")
    return bundle


def stored() -> dict[tuple[str, str], tuple[float, str | None]]:
    rows = db.session.scalars(sa.select(ReferencePopulation)).all()
    return {(r.field_key, r.code): (r.population, r.source) for r in rows}


def test_the_bundles_table_is_loaded_with_its_source(app, tmp_path):
    load_bundle(valle(tmp_path))

    rows = stored()
    assert rows[("region", "centro")] == (6000.0, "Censo comunal 2024, INE Chile")
    # A row without a note takes the table's first one.
    assert rows[("region", "rural")] == (1000.0, "Censo comunal 2024, INE Chile")
    assert ("region", "other_commune") not in rows  # outside the comparison


def test_a_code_the_profile_does_not_list_is_refused_and_nothing_is_written(app, tmp_path):
    bundle = valle(tmp_path, TABLE + "la_playa,500,\n")

    with pytest.raises(ContentError, match=r"la_playa: not codes of the 'region' field"):
        load_bundle(bundle)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Consultation)) == 0
    assert stored() == {}


def test_a_code_refused_on_reload_leaves_the_stored_table_as_it_was(app, tmp_path):
    bundle = valle(tmp_path)
    load_bundle(bundle)
    (bundle / "population.csv").write_text(TABLE.replace("rural", "ruralx"), encoding="utf-8")

    with pytest.raises(ContentError, match="ruralx"):
        load_bundle(bundle)
    db.session.expire_all()
    assert stored()[("region", "rural")][0] == 1000.0


def test_a_field_the_profile_does_not_ask_from_a_list_is_refused(app, tmp_path):
    bundle = valle(tmp_path, "gender,population\nwoman,51\nman,49\n", "population-gender.csv")
    with pytest.raises(ContentError, match="'gender' is not a field of profile.yaml"):
        load_bundle(bundle)


def test_reloading_changes_nothing_and_a_removed_table_is_removed(app, tmp_path):
    bundle = valle(tmp_path)
    load_bundle(bundle)
    assert not load_bundle(bundle).changed

    (bundle / "population.csv").unlink()
    assert "reference population of valle-digital-2027" in load_bundle(bundle).updated
    assert stored() == {}


def test_without_a_table_perus_census_applies_to_perus_regions_only(app, tmp_path):
    load_bundle("enia-2021")
    load_bundle(valle(tmp_path, None))
    enia, other = (
        db.session.scalar(sa.select(Consultation).filter_by(slug=slug))
        for slug in ("enia-2021", "valle-digital-2027")
    )

    tables = reference_tables(enia)
    assert set(tables) == {"region", "gender"} and "INEI" in tables["region"].source
    assert reference_tables(other) == {}


def test_the_page_compares_with_the_bundles_table(app, tmp_path, coordinator_client):
    load_bundle(valle(tmp_path))
    consultation = db.session.scalar(sa.select(Consultation).filter_by(slug="valle-digital-2027"))
    for region in ("centro", "centro", "centro", "rural"):
        make_response(consultation, region=region, stakeholder_type="resident", age_band="26_40")

    coordinator_client.get("/console/?lang=en")
    reply = coordinator_client.get("/console/c/valle-digital-2027/insight/representation/")
    body = reply.get_data(as_text=True)
    assert reply.status_code == 200
    # Rural: 1 of 4 responses (25 %) against 1,000 of 12,000 people (8.3 %): 3.00.
    assert "3.00" in body and "Censo comunal 2024, INE Chile" in body
    missing = body[body.index("Regions with no response") : body.index("Representation index")]
    assert "Cerro Alto" in missing and "Los Sauces" in missing and "Centre" not in missing
