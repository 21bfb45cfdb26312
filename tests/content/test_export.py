"""A stored consultation written back out as a bundle: export, load it into a fresh
database, export again, and every file is the same, byte for byte."""

from __future__ import annotations

import shutil
from datetime import datetime
from pathlib import Path

import pytest
import sqlalchemy as sa
import yaml

from consult.content import ContentError, load_bundle, read_bundle
from consult.content.bundles import BUNDLES_DIR
from consult.content.export import bundle_files, bundle_zip, write_folder, zip_files
from consult.extensions import db
from consult.models import Consultation
from consult.models.insight import ReferencePopulation
from consult.models.vocab import Stage
from tests.conftest import _empty_tables

HERE = Path(__file__).resolve().parents[1]
BUNDLES = {
    "enia-2021": BUNDLES_DIR / "enia-2021",
    "profiled": HERE / "bundles" / "profiled",
    "small": HERE / "bundles" / "small",
    "valle-digital-2027": BUNDLES_DIR / "valle-digital-2027",
}
POPULATION = """region,population,source_note
centro,6000,"Censo comunal 2024, INE Chile"
cerro_alto,3_000,
los_sauces,2000.5,
rural,1000,
"""


def stored(slug: str) -> Consultation:
    db.session.expire_all()
    return db.session.scalar(sa.select(Consultation).filter_by(slug=slug))


def fresh_database() -> None:
    db.session.rollback()
    _empty_tables()


def round_trip(folder: Path, tmp_path: Path) -> tuple[dict, dict]:
    """Load ``folder``, export; load the export into an empty database, export again."""
    report = load_bundle(folder)
    first = bundle_zip(stored(report.slug))
    fresh_database()
    exported = tmp_path / "exported"
    exported.mkdir()
    for name, data in zip_files(first).items():
        (exported / name).parent.mkdir(parents=True, exist_ok=True)
        (exported / name).write_bytes(data)
    load_bundle(exported)
    second = bundle_zip(stored(report.slug))
    return zip_files(first), zip_files(second)


@pytest.mark.parametrize("name", sorted(BUNDLES))
def test_export_import_export_gives_the_same_files(app, tmp_path, name):
    first, second = round_trip(BUNDLES[name], tmp_path)
    assert list(first) == list(second)
    for path in first:
        assert first[path] == second[path], path
    assert "consultation.yaml" in first and "profile.yaml" in first
    assert any(p.startswith("sections/") for p in first)


def test_a_reference_population_is_exported_and_comes_back(app, tmp_path):
    folder = tmp_path / "valle"
    shutil.copytree(BUNDLES["valle-digital-2027"], folder)
    (folder / "population.csv").write_text(POPULATION, encoding="utf-8")
    (folder / "population-ages.csv").write_text(
        "age_band,population\n41_65,300\n18_25,100\n", encoding="utf-8"
    )
    first, second = round_trip(folder, tmp_path)
    assert first == second
    assert first["population-age_band.csv"].decode() == (
        "age_band,population,source_note\n"
        "18_25,100,population-ages.csv\n"
        "41_65,300,population-ages.csv\n"
    )
    assert first["population.csv"].decode() == (
        "region,population,source_note\n"
        'centro,6000,"Censo comunal 2024, INE Chile"\n'
        'cerro_alto,3000,"Censo comunal 2024, INE Chile"\n'
        'los_sauces,2000.5,"Censo comunal 2024, INE Chile"\n'
        'rural,1000,"Censo comunal 2024, INE Chile"\n'
    )
    rows = db.session.scalars(sa.select(ReferencePopulation)).all()
    assert ("centro", 6000.0) in {(r.code, r.population) for r in rows}


def test_the_export_reads_back_as_the_bundle_it_came_from(app, tmp_path):
    """What read_bundle makes of the export is what it made of the original (which has
    no dates: the export has the ones it was given when loaded)."""
    original = read_bundle(BUNDLES["enia-2021"])
    load_bundle(BUNDLES["enia-2021"])
    consultation = stored("enia-2021")
    folder = write_folder(consultation, tmp_path / "out")
    again = read_bundle(folder)
    assert (again.pop("opens"), again.pop("closes")) == (
        consultation.opens_at,
        consultation.closes_at,
    )
    del original["opens"], original["closes"]
    for data in (original, again):
        for section in data["sections"]:
            section.pop("file")
    assert again == original


def test_dates_are_written_in_the_consultations_time_zone(app):
    load_bundle(BUNDLES["valle-digital-2027"])
    consultation = stored("valle-digital-2027")
    consultation.opens_at = datetime(2027, 1, 5, 12, 0)  # UTC; Santiago is UTC-3 in summer
    db.session.commit()
    text = bundle_files(consultation)["consultation.yaml"].decode()
    assert "opens: 2027-01-05T09:00:00-03:00\n" in text
    assert "time_zone: America/Santiago\n" in text


def test_markdown_is_written_as_stored_in_literal_blocks(app):
    load_bundle(BUNDLES["enia-2021"])
    consultation = stored("enia-2021")
    files = bundle_files(consultation)
    meta = yaml.safe_load(files["consultation.yaml"])
    assert meta["summary"]["es"].strip("\n") == consultation.summary_md_es
    assert "summary:\n  es: |" in files["consultation.yaml"].decode()
    section = consultation.sections[0]
    name = next(n for n in files if n.endswith(f"-{section.key}.yaml"))
    assert yaml.safe_load(files[name])["body"]["en"].strip("\n") == section.body_md_en


def test_sections_are_numbered_files_in_reading_order(app):
    load_bundle(BUNDLES["enia-2021"])
    consultation = stored("enia-2021")
    names = [n for n in bundle_files(consultation) if n.startswith("sections/")]
    assert names == sorted(names)
    assert [n.split("-", 1)[1][: -len(".yaml")] for n in names] == [
        s.key for s in consultation.sections
    ]


def test_contact_privacy_and_stage_travel_with_the_bundle(app, tmp_path):
    load_bundle(BUNDLES["small"])
    consultation = stored("small-test")
    consultation.contact = "consultas@example.org"
    consultation.privacy_md_es = "Sus datos se usan **solo** para esta consulta.\n\nNada más."
    consultation.privacy_md_en = "Your data are used **only** for this survey.\n\nNothing else."
    consultation.stage = Stage.PREPARATION
    db.session.commit()
    first = bundle_zip(stored("small-test"))
    meta = yaml.safe_load(zip_files(first)["consultation.yaml"])
    assert meta["contact"] == "consultas@example.org"
    assert meta["stage"] == "preparation"
    fresh_database()
    folder = tmp_path / "small"
    folder.mkdir()
    for name, data in zip_files(first).items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(data)
    load_bundle(folder)
    again = stored("small-test")
    assert again.contact == "consultas@example.org"
    assert again.stage is Stage.PREPARATION
    assert "<strong>only</strong>" in again.privacy_html_en
    assert zip_files(bundle_zip(again)) == zip_files(first)


def test_a_consultation_in_analysis_exports_as_running(app):
    load_bundle(BUNDLES["small"])
    consultation = stored("small-test")
    consultation.stage = Stage.ANALYSIS
    db.session.commit()
    meta = yaml.safe_load(bundle_files(stored("small-test"))["consultation.yaml"])
    assert meta["stage"] == "running"


def test_the_zip_is_the_same_every_time(app):
    load_bundle(BUNDLES["small"])
    assert bundle_zip(stored("small-test")) == bundle_zip(stored("small-test"))


def test_writing_into_a_folder_that_holds_files_is_refused(app, tmp_path):
    load_bundle(BUNDLES["small"])
    (tmp_path / "x.txt").write_text("x")
    with pytest.raises(FileExistsError):
        write_folder(stored("small-test"), tmp_path)


# ---------------------------------------------------------------- the command line


def test_the_command_writes_the_zip_and_load_consultation_reads_it_back(app, tmp_path):
    load_bundle(BUNDLES["profiled"])
    slug = read_bundle(BUNDLES["profiled"])["slug"]
    out = tmp_path / "export.zip"
    result = app.test_cli_runner().invoke(
        args=["export-consultation", "--consultation", slug, "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert str(out) in result.output
    first = zip_files(out.read_bytes())
    assert first == zip_files(bundle_zip(stored(slug)))
    fresh_database()
    folder = tmp_path / "unzipped"
    shutil.unpack_archive(out, folder)
    loaded = app.test_cli_runner().invoke(args=["load-consultation", str(folder / slug)])
    assert loaded.exit_code == 0, loaded.output
    assert zip_files(bundle_zip(stored(slug))) == first


def test_the_command_names_an_unknown_slug(app, tmp_path):
    out = tmp_path / "export.zip"
    result = app.test_cli_runner().invoke(
        args=["export-consultation", "--consultation", "nothing-here", "--out", str(out)]
    )
    assert result.exit_code != 0
    assert "nothing-here" in result.output
    assert not out.exists()


# ---------------------------------------------------------------- unfinished, in preparation


def unfinished_small() -> Consultation:
    """The small consultation in preparation, half translated, as the console leaves it."""
    load_bundle(BUNDLES["small"])
    consultation = stored("small-test")
    consultation.stage = Stage.PREPARATION
    consultation.sections[1].title_en = ""
    consultation.sections[1].body_md_en = ""
    question = next(q for q in consultation.questions if q.key == "colour")
    question.prompt_en = ""
    question.options = [{**question.options[0], "en": ""}, *question.options[1:]]
    db.session.commit()
    return stored("small-test")


def test_a_half_translated_consultation_in_preparation_comes_back_as_it_was(app, tmp_path):
    first = bundle_zip(unfinished_small())
    fresh_database()
    folder = tmp_path / "small"
    folder.mkdir()
    for name, data in zip_files(first).items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(data)
    read = read_bundle(folder)
    assert read["gaps"] == [
        "consultation.yaml: questions[0] (colour).options[0].en",
        "consultation.yaml: questions[0] (colour).prompt.en",
        "sections/02-two.yaml: title.en",
        "sections/02-two.yaml: body.en",
    ]
    load_bundle(folder)
    again = stored("small-test")
    assert again.stage is Stage.PREPARATION
    assert again.sections[1].title_en == "" and again.sections[1].title_es == "Dos"
    assert zip_files(bundle_zip(again)) == zip_files(first)


def test_a_consultation_with_no_section_yet_exports_and_loads_in_preparation(app, tmp_path):
    consultation = unfinished_small()
    for question in list(consultation.questions):
        if question.section_id is not None:
            db.session.delete(question)
    db.session.flush()
    for section in sorted(consultation.sections, key=lambda s: -s.position):
        db.session.delete(section)
    db.session.commit()
    first = zip_files(bundle_zip(stored("small-test")))
    assert not any(name.startswith("sections/") for name in first)
    fresh_database()
    for name, data in first.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_bytes(data)
    load_bundle(tmp_path)
    assert stored("small-test").sections == []
    assert zip_files(bundle_zip(stored("small-test"))) == first


def test_an_unfinished_bundle_is_refused_over_a_consultation_past_preparation(app, tmp_path):
    first = bundle_zip(unfinished_small())
    consultation = stored("small-test")
    consultation.stage = Stage.RUNNING
    consultation.sections[1].title_en = "Two"  # translated since
    db.session.commit()
    for name, data in zip_files(first).items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_bytes(data)
    with pytest.raises(ContentError, match="4 text.s. lack a language"):
        load_bundle(tmp_path)
    assert stored("small-test").sections[1].title_en == "Two"


def test_only_a_bundle_in_preparation_may_lack_a_language(app, tmp_path):
    folder = tmp_path / "small"
    shutil.copytree(BUNDLES["small"], folder)
    text = (folder / "sections" / "02-two.yaml").read_text(encoding="utf-8")
    (folder / "sections" / "02-two.yaml").write_text(
        text.replace('title: {es: "Dos", en: "Two"}', 'title: {es: "Dos"}'), encoding="utf-8"
    )
    with pytest.raises(ContentError, match="title.en: text required"):
        read_bundle(folder)
    meta = folder / "consultation.yaml"
    meta.write_text("stage: preparation\n" + meta.read_text(encoding="utf-8"), encoding="utf-8")
    assert read_bundle(folder)["gaps"] == ["sections/02-two.yaml: title.en"]


def test_contact_and_privacy_are_checked(app, tmp_path):
    folder = tmp_path / "small"
    shutil.copytree(BUNDLES["small"], folder)
    meta = folder / "consultation.yaml"
    original = meta.read_text(encoding="utf-8")
    meta.write_text(original + "contact: [a, b]\n", encoding="utf-8")
    with pytest.raises(ContentError, match="contact: one line of text"):
        read_bundle(folder)
    meta.write_text(original + "privacy: {es: 'Solo en español'}\n", encoding="utf-8")
    with pytest.raises(ContentError, match="privacy.en: text required"):
        read_bundle(folder)
    meta.write_text(original + "contact: ' equipo@example.org '\n", encoding="utf-8")
    assert read_bundle(folder)["contact"] == "equipo@example.org"


def test_awkward_texts_come_back_as_they_were(app, tmp_path):
    """YAML's own characters, a Markdown hard break (two trailing spaces), a next-line
    character, words YAML 1.1 reads as booleans or numbers."""
    load_bundle(BUNDLES["small"])
    consultation = stored("small-test")
    section = consultation.sections[0]
    section.title_es = "yes"
    section.title_en = "5.10: #1 — “quoted” 'single' [x] {y} & *z"
    section.body_md_es = "  Sangría inicial\nlínea con salto duro  \nsiguiente\n\n- lista: sí"
    section.body_md_en = "Next\x85line and a\ttab"
    consultation.contact = "null"
    db.session.commit()
    first, second = round_trip_stored(tmp_path)
    assert first == second
    again = stored("small-test").sections[0]
    assert (again.title_es, again.title_en, again.body_md_es, again.body_md_en) == (
        "yes",
        "5.10: #1 — “quoted” 'single' [x] {y} & *z",
        "  Sangría inicial\nlínea con salto duro  \nsiguiente\n\n- lista: sí",
        "Next\x85line and a\ttab",
    )
    assert stored("small-test").contact == "null"


def round_trip_stored(tmp_path: Path) -> tuple[dict, dict]:
    first = zip_files(bundle_zip(stored("small-test")))
    fresh_database()
    folder = tmp_path / "again"
    for name, data in first.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(data)
    load_bundle(folder)
    return first, zip_files(bundle_zip(stored("small-test")))


def test_without_a_controller_of_its_own_the_organiser_is_written_out_in_full(app):
    load_bundle(BUNDLES["small"])
    consultation = stored("small-test")
    consultation.data_controller_es = consultation.data_controller_en = ""
    db.session.commit()
    text = bundle_files(stored("small-test"))["consultation.yaml"].decode()
    assert "&id" not in text and "*id" not in text
    meta = yaml.safe_load(text)
    assert meta["consent"]["controller"] == meta["organiser"]
