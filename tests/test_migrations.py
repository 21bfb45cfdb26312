"""The migrations build exactly the schema the models describe."""

import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask import current_app
from flask_migrate import downgrade, upgrade

from consult.extensions import db
from consult.models import Answer, AnswerChoice, Comment, Consultation, Response
from tests.factories import make_response
from tests.maintenance.test_schema import fresh_app


def test_upgraded_database_matches_the_models(app):
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, db.metadata)
    assert differences == []


def test_database_is_at_the_single_head(app):
    config = current_app.extensions["migrate"].migrate.get_config()
    heads = ScriptDirectory.from_config(config).get_heads()
    assert len(heads) == 1
    with db.engine.connect() as connection:
        assert MigrationContext.configure(connection).get_current_heads() == tuple(heads)


def test_the_profile_migration_keeps_every_response_and_its_answers(tmp_path):
    """Down and up again over a database with a response: SQLite rebuilds ``response`` by
    dropping it, which must not take its answers and comments with it."""
    app = fresh_app(tmp_path)
    assert app.test_cli_runner().invoke(args=["init"]).exit_code == 0
    with app.app_context():
        consultation = db.session.scalar(sa.select(Consultation))
        make_response(
            consultation,
            ("5-3", "Un comentario que debe seguir ahí"),
            answers={"q-5-3-agree": "4", "q-strengthen": ["budget-funding", "governance"]},
        )
        before = [_count(table) for table in (Response, Answer, AnswerChoice, Comment)]
        downgrade(revision="5b7e0c2d9a41")
        upgrade()
        assert [_count(table) for table in (Response, Answer, AnswerChoice, Comment)] == before
        assert before == [1, 2, 2, 1]
        profile = db.session.scalar(sa.select(Consultation)).profile
        assert profile.label("region", "abroad", "es") == "Fuera del Perú"
        db.engine.dispose()


def _count(table) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(table))
