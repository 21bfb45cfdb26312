"""Fixtures for the browser journeys: the app behind a real server, Chromium, the recorder.

The suite needs Debian's Chromium, Playwright for Python, ``npm ci`` and Java. Without
them it is skipped, unless CONSULT_BROWSER_TESTS=1 (set by .ci/run), which turns anything
missing into a failure so that CI cannot pass without having run it.
"""

from __future__ import annotations

import shutil
import threading
from collections.abc import Iterator
from datetime import timedelta

import pytest
import sqlalchemy as sa
from flask import Flask
from werkzeug.serving import make_server

from consult import create_app
from consult.content import load_bundle
from consult.extensions import db
from consult.models import Consultation
from consult.models.columns import utcnow
from consult.models.vocab import QuestionType, Role
from consult.reviewing import accounts
from tests.conftest import _empty_tables
from tests.factories import add_response, remove_consultation

from . import tools
from .pagecheck import Recorder

COORDINATOR = "coordinadora@example.org"
PASSWORD = "una clave larga y segura"


@pytest.fixture(scope="session", autouse=True)
def browser_tools() -> None:
    gaps = tools.missing()
    if gaps and tools.REQUIRED:
        pytest.fail("CONSULT_BROWSER_TESTS=1 but missing: " + "; ".join(gaps))
    if gaps:
        pytest.skip("browser tests need " + "; ".join(gaps))


#: The second shipped bundle: another country's consultation (journey f).
VALLE = "valle-digital-2027"


@pytest.fixture(scope="session")
def live_app(migrated_database: str, tmp_path_factory: pytest.TempPathFactory) -> Flask:
    """The app as deployed (not in testing mode), on the test database."""
    return create_app(
        {
            "INSTANCE_PATH": str(tmp_path_factory.mktemp("browser-instance")),
            "DATABASE_URL": migrated_database,
            "SECRET_KEY": "browser-test-secret-key",
            # A journey posts many forms from one address within seconds, as no person
            # would; the limits and the too-fast guard have their own tests.
            "RATELIMIT_ENABLED": False,
            "RESPONSE_MIN_FILL_SECONDS": 0,
        }
    )


@pytest.fixture(scope="session")
def base_url(live_app: Flask) -> Iterator[str]:
    """Serve the app on 127.0.0.1 in a thread, with the draft strategy and some responses."""
    with live_app.app_context():
        _empty_tables()
        load_bundle("enia-2021")
        accounts.create_user(COORDINATOR, Role.COORDINATOR, PASSWORD)
        _seed_responses(db.session.scalars(sa.select(Consultation)).one())
        db.session.remove()
    server = make_server("127.0.0.1", 0, live_app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=10)
    with live_app.app_context():
        _empty_tables()
        db.session.remove()
        db.engine.dispose()


def _seed_responses(consultation: Consultation) -> None:
    """Submitted responses for the coordinator to moderate and the report to count.

    Every likert question is answered, so the results page carries all its tables (its
    weight is checked as a full consultation would make it).
    """
    kinds = ["academia", "company", "civil_society", "public_sector", "individual"]
    likert = [q.key for q in consultation.questions if q.type is QuestionType.LIKERT]
    start = utcnow() - timedelta(days=3)
    for n in range(15):
        add_response(
            consultation,
            submitted_at=start + timedelta(hours=5 * n),
            stakeholder_type=kinds[n % len(kinds)],
            responding_as="individual" if kinds[n % len(kinds)] == "individual" else "organisation",
            organisation_size=None if kinds[n % len(kinds)] == "individual" else "small",
            region=["lima_metropolitana", "cusco", "loreto"][n % 3],
            answers={
                **{key: str(1 + (n + i) % 5) for i, key in enumerate(likert)},
                "q-overall-fit": ["well", "partly", "very-well"][n % 3],
                "q-ranking-priority-areas": ["5-3", "5-1", "5-10"][: 1 + n % 3],
                "q-strengthen": ["budget-funding", "regional-inclusion"][: 1 + n % 2],
            },
            comments=[
                {
                    "section": "5-1",
                    "text": f"Comentario de prueba número {n + 1} sobre los entornos de prueba.",
                }
            ],
        )
    db.session.commit()


@pytest.fixture
def valle(live_app: Flask, base_url: str) -> Iterator[str]:
    """The second shipped bundle beside the draft for one journey, then gone again: with
    two consultations the home page lists them instead of opening the draft."""
    with live_app.app_context():
        _seed_valle()
        db.session.remove()
    yield base_url
    with live_app.app_context():
        remove_consultation(VALLE)
        db.session.remove()


def _seed_valle() -> None:
    """Open, with its results published and sixteen residents in it, so its open report
    has tables of its own sectors (the journey's Los Sauces pooled with the rural five)
    and age bands."""
    load_bundle(VALLE, opens=utcnow() - timedelta(days=1))
    valle = db.session.scalars(sa.select(Consultation).filter_by(slug=VALLE)).one()
    valle.summary_published = True
    start = utcnow() - timedelta(hours=20)
    sectors = ["centro"] * 6 + ["cerro_alto"] * 5 + ["rural"] * 5
    for n, sector in enumerate(sectors):
        add_response(
            valle,
            submitted_at=start + timedelta(hours=n),
            stakeholder_type="resident",
            responding_as="individual",
            region=sector,
            age_band=["26_40", "41_65"][n % 2],
            answers={"v-tramites-agree": str(3 + n % 3), "v-conectividad-agree": "4"},
        )
    db.session.commit()


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(tools.CHROMIUM), args=tools.CHROMIUM_FLAGS
        )
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def recorder(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Recorder]:
    """Every page visited; screenshots go to screenshots/browser/ (git-ignored)."""
    shutil.rmtree(tools.SCREENSHOTS, ignore_errors=True)
    tools.SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    recorder = Recorder(tmp_path_factory.mktemp("browser-html"), tools.SCREENSHOTS)
    yield recorder
    recorder.write_summary()


#: Comments on three clear topics of section 5.3, for the themes the journey accepts.
_TOPICS = [
    "Hay que capacitar a los docentes de {r} en inteligencia artificial para el aula, con "
    "cursos gratuitos y certificados para cada profesor.",
    "Se necesitan becas para que los estudiantes de {r} estudien ciencia de datos y "
    "programación en universidades del país y del extranjero.",
    "Las escuelas rurales de {r} no tienen internet ni computadoras: sin conectividad en "
    "los colegios no habrá educación digital.",
]
_REGIONS = ["cusco", "puno", "piura", "loreto", "junin", "arequipa", "ica", "tacna"]


@pytest.fixture(scope="session")
def insight_seed(live_app: Flask, base_url: str) -> str:
    """Contributions worth systematising for journey (g), added to the draft's responses
    (and kept: it runs last): 24 comments on three topics, eight copies of a campaign
    letter with personal lines, agreement answers from two camps."""
    from .journeys import LETTER

    likert = []
    with live_app.app_context():
        consultation = db.session.scalars(sa.select(Consultation).filter_by(slug="enia-2021")).one()
        likert = [q.key for q in consultation.questions if q.type is QuestionType.LIKERT]
        start = utcnow() - timedelta(days=2)
        for n in range(24):
            region = _REGIONS[n % len(_REGIONS)]
            camp = "5" if n % 2 else "1"
            comments = [{"section": "5-3", "text": _TOPICS[n % 3].format(r=region.title())}]
            if n < 8:
                comments.append({"section": "5-5", "text": f"{LETTER} Firma: persona {n}"})
            add_response(
                consultation,
                submitted_at=start + timedelta(hours=n),
                stakeholder_type=["academia", "civil_society", "company"][n % 3],
                responding_as="organisation",
                organisation_size="small",
                region=region,
                answers=dict.fromkeys(likert, camp),
                comments=comments,
            )
        db.session.commit()
        db.session.remove()
    return base_url
