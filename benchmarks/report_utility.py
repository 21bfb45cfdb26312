"""How much an open report publishes: a consultation shaped like the one the open-report
issue was found on, its open report built, and what it shows counted.

120 submitted responses with the skewed stakeholder mix of that consultation (30, 26, 24,
15, 11, 6, 3, 2, 2 and 1 per type), the bundled draft's agreement questions each answered
by 50 to 110 of them, the overall-fit single choice and the ranking of priority areas by
most. Then the open
report (K = ``--k``, 5 by default) and its figures:

* cells and means withheld (a count, share or mean of a published row left empty);
* respondents pooled into "Other groups" in each participation table and question;
* questions answered by K or more whose overall distribution, shares and mean are published;
* groups with K or more respondents in a question whose shares and mean are published, and
  of the others, how many a pool needed (the rule's price: when the small groups of a
  question add up to 1…K−1, the smallest shown group joins them);
* group rows of the charts that would be drawn as dashes (no share at all).

It exits non-zero when a target is missed, and writes the open PDF (``--pdf``) to look at
its pages (``pdftoppm -png -r 60 open.pdf page``).

    .venv/bin/python benchmarks/report_utility.py --pdf /tmp/open-report.pdf
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
from datetime import datetime, timedelta
from pathlib import Path

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

#: Respondents per stakeholder type, as in the consultation the issue was found on.
MIX = {
    "academia": 30,
    "individual": 26,
    "company": 24,
    "civil_society": 15,
    "public_sector": 11,
    "technical_community": 6,
    "business_association": 3,
    "trade_union": 2,
    "other": 2,
    "international_org": 1,
}
SINGLE = "q-overall-fit"
RANKING = "q-ranking-priority-areas"


def fill(consultation, seed: int) -> None:
    """The responses, written as the public flow leaves them (answers, chosen options)."""
    from consult.extensions import db
    from consult.models import Answer, AnswerChoice, Response
    from consult.models.response import hash_token, new_reference
    from consult.models.vocab import QuestionType

    rng = random.Random(seed)
    people = [kind for kind, n in MIX.items() for _ in range(n)]
    rng.shuffle(people)
    likert = [q for q in consultation.questions if q.type is QuestionType.LIKERT]
    # Each agreement question is answered by its own number of people, 50 to 110.
    reach = {q.key: rng.randint(50, 110) for q in likert}
    options = {q.key: [o["code"] for o in q.options] for q in consultation.questions}
    questions = {q.key: q for q in consultation.questions}
    start = datetime(2021, 5, 1, 14, 0)
    for i, kind in enumerate(people):
        moment = start + timedelta(hours=7 * i)
        individual = kind == "individual"
        response = Response(
            consultation_id=consultation.id,
            reference=new_reference(),
            token_hash=hash_token(f"utility-{seed}-{i}"),
            status="submitted",
            responding_as="individual" if individual else "organisation",
            stakeholder_type=kind,
            organisation_name=None if individual else f"Organización {i}",
            organisation_size=None if individual else rng.choice(["micro", "small", "medium"]),
            region=rng.choice(["lima_metropolitana"] * 5 + ["arequipa", "cusco", "piura"]),
            publication="anonymous",
            consent_at=moment,
            created_at=moment,
            submitted_at=moment,
        )
        lean = {"academia": 0.6, "company": -0.4, "individual": 0.2}.get(kind, 0.0)
        for q in likert:
            if i < reach[q.key]:
                point = min(5, max(1, round(rng.gauss(3.4 + lean, 1.1))))
                value = "dk" if rng.random() < 0.06 else str(point)
                response.answers.append(Answer(question_id=q.id, value=value))
        if rng.random() < 0.9:
            choice = rng.choice(options[SINGLE])
            response.answers.append(Answer(question_id=questions[SINGLE].id, value=choice))
        if rng.random() < 0.8:
            order = rng.sample(options[RANKING], k=rng.randint(3, len(options[RANKING])))
            answer = Answer(question_id=questions[RANKING].id)
            answer.choices = [AnswerChoice(option=o, position=p) for p, o in enumerate(order, 1)]
            response.answers.append(answer)
        db.session.add(response)
    db.session.commit()


def _blank(value) -> bool:
    return value is None or isinstance(value, str) or value != value  # None, "<K", NaN


def measure(report, opened, k: int) -> dict:
    """The utility figures of an open report beside the confidential one it came from."""
    from consult.reports.grouping import ALL, OTHER

    figures: dict = {}
    counts = ["1", "2", "3", "4", "5", "dk", "n", "valid"]
    shares = [f"share_{p}" for p in "12345"] + ["mean", "agree", "disagree", "net"]
    rows = opened.likert.to_dict("records")
    cells = [r[c] for r in rows for c in counts + shares if not (c in shares and r["valid"] == 0)]
    figures["cells and means withheld"] = (sum(map(_blank, cells)), len(cells))
    # Questions answered by K or more: overall distribution, shares and mean published.
    answered = report.likert[(report.likert["group"] == ALL) & (report.likert["n"] >= k)]
    overall = {r["question"]: r for r in rows if r["group"] == ALL}
    whole = [
        q
        for q in answered["question"]
        if q in overall and not any(_blank(overall[q][c]) for c in counts + ["mean", "agree"])
    ]
    figures["questions with overall distribution and mean"] = (len(whole), len(answered))
    # Groups of K or more in a question: their own row, with shares and mean.
    big = report.likert[(report.likert["group"] != ALL) & (report.likert["n"] >= k)]
    shown = {(r["question"], r["group"]): r for r in rows}
    complete = [
        (q, g)
        for q, g in zip(big["question"], big["group"], strict=True)
        if (q, g) in shown and not any(_blank(shown[(q, g)][c]) for c in ["share_5", "mean"])
    ]
    figures["groups of K or more with shares and mean"] = (len(complete), len(big))
    # The rule's price: a group of K or more joins the pool when the small ones alone would
    # be 1…K−1 (the total minus the shown rows would isolate them). Every group of K or more
    # missing must be such a group, the smallest one the pool needed.
    pools = {r["question"]: r["n"] for r in rows if r["group"] == OTHER}
    sizes = dict(zip(zip(big["question"], big["group"], strict=True), big["n"], strict=True))
    missing = [key for key in sizes if key not in complete]
    needed = [(q, g) for q, g in missing if q in pools and pools[q] - sizes[(q, g)] < k]
    figures["groups of K or more that a pool needed"] = (len(needed), len(missing))
    figures["chart rows drawn as dashes"] = (
        sum(1 for r in rows if r["valid"] and _blank(r["share_5"])),
        len(rows),
    )
    pooled = [r["n"] for r in rows if r["group"] == OTHER]
    answers = [r["n"] for r in rows if r["group"] == ALL]
    figures["answers pooled into Other groups (all questions)"] = (sum(pooled), sum(answers))
    for name in ("group", "stakeholder_type", "region"):
        frame = opened.participation[name]
        key = frame.columns[0]
        pool = int(frame.loc[frame[key] == OTHER, "responses"].sum())
        figures[f"respondents pooled in participation by {name}"] = (pool, int(report.responses))
    return figures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--k", type=int, default=5, help="K of the open-report rule (5)")
    parser.add_argument("--seed", type=int, default=2021, help="random seed (2021)")
    parser.add_argument("--pdf", type=Path, help="write the open PDF here")
    args = parser.parse_args()

    from flask_migrate import upgrade

    from consult import create_app
    from consult.content import load_bundle
    from consult.extensions import db
    from consult.models import Consultation
    from consult.reports.frames import build_report
    from consult.reports.privacy import open_report
    from consult.reports.writers import to_pdf

    workdir = Path(tempfile.mkdtemp(prefix="consult-utility-"))
    app = create_app(
        {
            "INSTANCE_PATH": str(workdir),
            "DATABASE_URL": f"sqlite:///{workdir / 'utility.db'}",
            "SECRET_KEY": "report-utility",
            "SERVER_NAME": "consult.local",
        }
    )
    with app.app_context(), app.test_request_context("/?lang=en"):
        upgrade()
        load_bundle("enia-2021")
        consultation = db.session.scalar(sa.select(Consultation).filter_by(slug="enia-2021"))
        fill(consultation, args.seed)
        confidential = build_report(consultation)
        opened = open_report(build_report(consultation, audience="open"), args.k)
        figures = measure(confidential, opened, args.k)
        if args.pdf:
            args.pdf.write_bytes(to_pdf(opened))
    print(f"report utility: {confidential.responses} responses, K = {args.k}, seed {args.seed}")
    for name, (part, whole) in figures.items():
        share = f"{part / whole:.1%}" if whole else "—"
        print(f"  {name:<52} {part:>5} of {whole:<5} ({share})")
    missed = []
    if figures["cells and means withheld"][0]:
        missed.append("a published row has a withheld cell or mean")
    done, wanted = figures["questions with overall distribution and mean"]
    if done != wanted:
        missed.append("a question answered by K or more lacks its overall figures")
    needed, missing = figures["groups of K or more that a pool needed"]
    if needed != missing:
        missed.append("a group of K or more lacks its shares and mean though no pool needs it")
    if figures["chart rows drawn as dashes"][0]:
        missed.append("a chart row would be drawn as dashes")
    for line in missed:
        print(f"TARGET MISSED: {line}")
    print("targets met" if not missed else f"{len(missed)} target(s) missed")
    return 1 if missed else 0


if __name__ == "__main__":
    raise SystemExit(main())
