"""The built wheel carries everything an installed consult needs."""

import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_wheel_ships_templates_migrations_content_translations_and_static(tmp_path):
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "--quiet",
            "-w",
            str(tmp_path),
            str(ROOT),
        ],
        check=True,
    )
    wheel = next(tmp_path.glob("consult-*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    expected = {
        "consult/templates/base.html",
        "consult/templates/public/section.html",
        "consult/templates/errors/error.html",
        "consult/migrations/env.py",
        "consult/migrations/alembic.ini",
        "consult/content/enia-2021/consultation.yaml",
        "consult/insight/data/peru-population-2017.csv",
        "consult/insight/data/peru-gender-2017.csv",
        "consult/translations/es/LC_MESSAGES/messages.mo",
        "consult/translations/en/LC_MESSAGES/messages.mo",
        "consult/static/css/consult.css",
    }
    assert expected <= names, sorted(expected - names)
    migrations = {n for n in names if n.startswith("consult/migrations/versions/")}
    sources = {p.name for p in (ROOT / "migrations" / "versions").glob("*.py")}
    assert {Path(n).name for n in migrations} >= sources
    assert not any(n.startswith("consult/instance") or n.endswith(".db") for n in names)
