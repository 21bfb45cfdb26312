"""``consult export-open-data`` (folder or zip, clear refusals with exit status 2) and the
download linked from the public results page."""

from __future__ import annotations

import json

from consult.extensions import db
from consult.models.vocab import Stage

from .exports import errors, read_zip, records


def run(app, *args: str):
    return app.test_cli_runner().invoke(args=["export-open-data", *args])


def test_the_command_writes_a_folder_or_a_zip(app, published, tmp_path):
    folder = tmp_path / "data"
    done = run(app, "--consultation", "enia-2021", "--out", str(folder))
    assert done.exit_code == 0, done.output
    assert "open data written to" in done.output and "17 tables" in done.output
    assert errors(folder / "datapackage.json") == []
    zipped = tmp_path / "enia.zip"
    done = run(app, "--consultation", "enia-2021", "--out", str(zipped))
    assert done.exit_code == 0, done.output
    files = read_zip(zipped.read_bytes())
    assert files["comments.csv"] == (folder / "comments.csv").read_bytes()


def test_the_command_refuses_with_a_reason_and_writes_nothing(app, published, tmp_path):
    unknown = run(app, "--consultation", "nope", "--out", str(tmp_path / "x"))
    assert unknown.exit_code == 2 and "no consultation has the slug 'nope'" in unknown.output
    assert not (tmp_path / "x").exists()

    full = tmp_path / "full"
    full.mkdir()
    (full / "mine.txt").write_text("keep me")
    refused = run(app, "--consultation", "enia-2021", "--out", str(full))
    assert refused.exit_code == 2 and "not empty; add --force" in refused.output
    assert [p.name for p in full.iterdir()] == ["mine.txt"]
    forced = run(app, "--consultation", "enia-2021", "--out", str(full), "--force")
    assert forced.exit_code == 0 and (full / "datapackage.json").exists()

    zipped = tmp_path / "a.zip"
    zipped.write_bytes(b"old")
    refused = run(app, "--consultation", "enia-2021", "--out", str(zipped))
    assert refused.exit_code == 2 and "exists; add --force" in refused.output
    assert zipped.read_bytes() == b"old"

    missing = run(app, "--consultation", "enia-2021", "--out", str(tmp_path / "no" / "a.zip"))
    assert missing.exit_code == 2 and "is not a folder" in missing.output

    published.summary_published = False
    db.session.commit()
    unpublished = run(app, "--consultation", "enia-2021", "--out", str(tmp_path / "later"))
    assert unpublished.exit_code == 2
    assert "not published" in unpublished.output
    assert not (tmp_path / "later").exists()


def test_the_homepage_is_the_results_page_where_a_setting_gives_the_sites_address(
    app, published, tmp_path
):
    app.config["PUBLIC_URL"] = "https://consulta.example.gob.pe/"
    run(app, "--consultation", "enia-2021", "--out", str(tmp_path / "d"))
    descriptor = json.loads((tmp_path / "d" / "datapackage.json").read_text("utf-8"))
    assert descriptor["homepage"] == "https://consulta.example.gob.pe/c/enia-2021/results"
    app.config["PUBLIC_URL"] = app.config["SERVER_NAME"] = None
    run(app, "--consultation", "enia-2021", "--out", str(tmp_path / "e"))
    assert "homepage" not in json.loads((tmp_path / "e" / "datapackage.json").read_text("utf-8"))


def test_the_results_page_links_the_download_with_its_licence(client, published):
    page = client.get("/c/enia-2021/results?lang=es").get_data(as_text=True)
    assert 'href="/c/enia-2021/results/open-data.zip"' in page
    assert "Datos abiertos" in page
    assert 'href="https://creativecommons.org/licenses/by/4.0/" rel="license"' in page
    assert "Licencia: " in page


def test_the_download_is_the_package_zipped_and_the_same_for_everyone(client, published):
    reply = client.get("/c/enia-2021/results/open-data.zip", buffered=True)
    assert reply.status_code == 200 and reply.mimetype == "application/zip"
    assert reply.headers["Content-Disposition"].startswith(
        "attachment; filename=enia-2021-open-data-"
    )
    assert "public" in reply.headers["Cache-Control"]
    assert "private" not in reply.headers["Cache-Control"]
    files = read_zip(reply.data)
    descriptor = json.loads(files["datapackage.json"])
    assert descriptor["homepage"] == "http://consult.test/c/enia-2021/results"
    assert {r["author"] for r in records(files, "comments")} >= {"Rosa Quispe"}
    again = client.get(
        "/c/enia-2021/results/open-data.zip", headers={"If-None-Match": reply.headers["ETag"]}
    )
    assert again.status_code == 304


def test_no_download_before_the_results_are_published(client, published):
    published.summary_published = False
    db.session.commit()
    assert client.get("/c/enia-2021/results/open-data.zip").status_code == 404
    published.summary_published = True
    published.stage = Stage.PREPARATION
    db.session.commit()
    assert client.get("/c/enia-2021/results/open-data.zip").status_code == 404
