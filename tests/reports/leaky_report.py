"""Write the open JSON report of a skewed consultation, as the code at hand makes it.

``tests/reports/data/leaky-open-report.json`` is this script's output under the code of
commit ddaa659, the last before open reports were protected by group: cells below K shown
as "<5", complementary cells withheld (null). The auditor test reads that frozen file, so
it keeps showing that the auditor catches today's leaks after the code has changed.
To make it again (from the repository's root)::

    rm -rf /tmp/consult-ddaa659 && mkdir /tmp/consult-ddaa659
    git archive ddaa659 | tar -x -C /tmp/consult-ddaa659
    cp tests/reports/leaky_report.py /tmp/consult-ddaa659/tests/reports/
    (cd /tmp/consult-ddaa659 && PYTHONPATH=. python tests/reports/leaky_report.py \\
        "$OLDPWD/tests/reports/data/leaky-open-report.json")

The consultation is shaped like the issue's: 120 responses from types of 30, 26, 24, 15,
11, 6, 3, 2, 2 and 1 respondents, two agreement questions, a single and a multiple choice,
comments on one section (some published) and one theme, "Datos".
"""

from __future__ import annotations

import random
import sys
import tempfile
from datetime import datetime, timedelta
from pathlib import Path

import sqlalchemy as sa
from flask_migrate import upgrade

from consult.content import load_bundle
from consult.extensions import db
from consult.models import Consultation
from consult.reports.frames import build_report
from consult.reports.privacy import open_report
from consult.reports.writers import to_json
from tests.conftest import make_app
from tests.factories import add_response, add_theme

#: Respondents per stakeholder type, as in the issue.
SKEW = {"academia": 30, "company": 26, "civil_society": 24, "individual": 15,
        "technical_community": 11, "public_sector": 6, "trade_union": 3,
        "business_association": 2, "other": 2, "international_org": 1}  # fmt: skip
LIKERT = ["q-5-1-agree", "q-6-implementation-clear"]
FIT = ["very-well", "well", "partly", "poorly", "not-at-all", "dont-know"]
STRENGTHEN = ["targets-deadlines", "budget-funding", "governance", "ethics-rights"]
REGIONS = ["lima_metropolitana"] * 6 + ["cusco", "puno", "arequipa", "loreto", "abroad"]


def populate(consultation: Consultation, seed: int = 14) -> None:
    """The skewed consultation: answers drawn with a fixed seed, so reruns agree."""
    rng = random.Random(seed)
    start = datetime(2024, 3, 10, 14, 0)
    tagged = []
    for stakeholder_type, count in SKEW.items():
        for _ in range(count):
            individual = stakeholder_type == "individual"
            answers: dict = {q: rng.choice("12345") if rng.random() < 0.9 else "dk"
                             for q in LIKERT if rng.random() < 0.6}  # fmt: skip
            if rng.random() < 0.8:
                answers["q-overall-fit"] = rng.choice(FIT)
            if rng.random() < 0.5:
                answers["q-strengthen"] = rng.sample(STRENGTHEN, rng.randint(1, 3))
            comments = []
            if rng.random() < 0.4:
                comments.append(
                    {
                        "section": "5-1",
                        "text": rng.choice(["Datos abiertos", "Más datos", "Regular datos"]),
                        "contribution": rng.choice(["problem_definition", "other"]),
                        "moderation": "published" if rng.random() < 0.5 else "pending",
                    }
                )
            region = rng.choice(REGIONS)
            response = add_response(
                consultation,
                stakeholder_type=stakeholder_type,
                responding_as="individual" if individual else "organisation",
                organisation_size=None if individual else rng.choice(["small", "large"]),
                region=region,
                country="CL" if region == "abroad" else None,
                gender=rng.choice([None, "woman", "man"]),
                age_band=rng.choice([None, "30_44", "45_59"]),
                submitted_at=start + timedelta(hours=rng.randint(0, 24 * 5)),
                answers=answers,
                comments=comments,
            )
            if response.comments and rng.random() < 0.7:
                tagged.append(response.comments[0])
    add_theme(consultation, "Datos", *tagged)
    db.session.commit()


def main(out: Path) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        app = make_app(f"sqlite:///{tmp}/leaky.db", Path(tmp) / "instance")
        with app.app_context():
            upgrade()
            load_bundle("enia-2021")
            enia = db.session.scalar(sa.select(Consultation).filter_by(slug="enia-2021"))
            populate(enia)
            report = open_report(build_report(enia, audience="open"), 5)
            out.write_bytes(to_json(report))
            db.session.remove()
            db.engine.dispose()


if __name__ == "__main__":
    main(Path(sys.argv[1]))
