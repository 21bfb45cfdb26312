"""A consultation with responses, comments of every kind, themes and decisions, its
results published: what the open-data tests export."""

from __future__ import annotations

import pytest

from consult.extensions import db
from consult.models import Consultation
from consult.models.vocab import ModerationState
from tests.factories import build_response
from tests.outcome.outcome_data import build_outcome

#: Someone who chose not to publish, and the email and name only the console knows.
PRIVATE_EMAIL = "persona.privada@example.org"
PRIVATE_NAME = "Nombre Que Nadie Debe Leer"
FORMULA = '=HYPERLINK("http://example.org","clic")'
#: A comment that starts like a spreadsheet formula, published: kept exactly.
MULTILINE = 'Primera línea, con «comillas» y "dobles";\nsegunda línea.'


def add_answers(consultation: Consultation) -> None:
    """Seven academia respondents answer the likert, choice and ranking questions; one
    of them writes a published comment that starts like a formula and runs on two lines."""
    for n in range(7):
        build_response(
            consultation,
            [
                {
                    "section": "5-1",
                    "text": FORMULA if n == 0 else MULTILINE,
                    "moderation": ModerationState.PUBLISHED,
                }
            ]
            if n < 2
            else [],
            answers={
                "q-5-3-agree": str(1 + n % 5),
                "q-overall-fit": "well" if n % 2 else "partly",
                "q-strengthen": ["governance", "budget-funding"][: 1 + n % 2],
                "q-ranking-priority-areas": ["5-3", "5-1", "5-10"],
            },
            stakeholder_type="academia",
        )
    build_response(
        consultation,
        [
            {
                "section": "5-1",
                "text": "Un comentario privado, nunca publicado.",
                "moderation": ModerationState.PUBLISHED,
            }
        ],
        publication="private",
        display_name=None,
        email=PRIVATE_EMAIL,
        organisation_name=PRIVATE_NAME,
    )


@pytest.fixture
def published(app, enia) -> Consultation:
    """The outcome data (tests/outcome/outcome_data.py), answers on top, results and
    outcome published."""
    add_answers(enia)
    build_outcome(enia)
    enia.summary_published = True
    db.session.commit()
    return enia
