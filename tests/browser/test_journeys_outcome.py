"""The published outcome in Chromium: "You said, we did" for the consultation and a
section, in Spanish and English, at 360 px (and 1280 px, the screenshots), every page
checked by axe-core and, with the journeys' pages, by the HTML checker (``test_markup``,
which sorts after this module)."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Flask

from consult.extensions import db
from consult.models import Consultation, DraftVersion
from consult.models.vocab import Stage
from tests.outcome.outcome_data import build_outcome

from .pagecheck import PHONE, Visit


def _publish_outcome(live_app: Flask) -> Stage:
    """The outcome data on the live consultation, published; the stage it was in."""
    with live_app.app_context():
        consultation = db.session.scalars(sa.select(Consultation).filter_by(slug="enia-2021")).one()
        before = consultation.stage
        loaded = db.session.scalar(
            sa.select(DraftVersion.id).filter_by(consultation_id=consultation.id, number=2)
        )
        build_outcome(consultation, versions=loaded is None)
        db.session.remove()
    return before


def _set_stage(live_app: Flask, stage: Stage) -> None:
    with live_app.app_context():
        consultation = db.session.scalars(sa.select(Consultation).filter_by(slug="enia-2021")).one()
        consultation.stage = stage
        db.session.commit()
        db.session.remove()


def test_h_a_reader_reads_what_became_of_the_consultation(browser, base_url, live_app, recorder):
    before = _publish_outcome(live_app)
    visit = Visit(browser, base_url, recorder, "h-outcome", viewport=PHONE)
    try:
        for lang in ("es", "en"):
            visit.goto(f"/c/enia-2021/outcome?lang={lang}")
            visit.check(f"outcome-{lang}", lang=lang)
            visit.goto(f"/c/enia-2021/s/5-3/outcome?lang={lang}")
            visit.check(f"section-outcome-{lang}", lang=lang)
            visit.goto(f"/c/enia-2021/s/5-4/outcome?lang={lang}")
            visit.check(f"section-not-taken-up-{lang}", lang=lang)
    finally:
        visit.close()
        _set_stage(live_app, before)
