"""The app factory: configuration layers, the secret key, SQLite settings, error pages."""

import pytest
import sqlalchemy as sa

from consult import create_app
from consult.extensions import db


def test_secret_key_is_generated_once_into_the_instance_folder(tmp_path):
    config = {"INSTANCE_PATH": str(tmp_path), "DATABASE_URL": "sqlite://"}
    first = create_app(dict(config))
    key_file = tmp_path / "secret_key"
    assert key_file.exists()
    assert oct(key_file.stat().st_mode & 0o777) == "0o600"
    assert len(first.config["SECRET_KEY"]) >= 64
    second = create_app(dict(config))
    assert second.config["SECRET_KEY"] == first.config["SECRET_KEY"]


def test_configured_secret_key_is_used_and_nothing_written(tmp_path):
    app = create_app(
        {"INSTANCE_PATH": str(tmp_path), "SECRET_KEY": "from-config", "DATABASE_URL": "sqlite://"}
    )
    assert app.config["SECRET_KEY"] == "from-config"
    assert not (tmp_path / "secret_key").exists()


def test_default_database_is_sqlite_in_the_instance_folder(tmp_path, monkeypatch):
    monkeypatch.setenv("CONSULT_INSTANCE_PATH", str(tmp_path))
    monkeypatch.delenv("CONSULT_DATABASE_URL", raising=False)
    monkeypatch.chdir(tmp_path)
    app = create_app()
    assert app.config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path / 'consult.db'}"
    with app.app_context(), db.engine.connect() as connection:
        pragma = connection.exec_driver_sql
        assert pragma("PRAGMA journal_mode").scalar() == "wal"
        assert pragma("PRAGMA foreign_keys").scalar() == 1
        assert pragma("PRAGMA busy_timeout").scalar() == 5000


def test_instance_config_then_environment_override_defaults(tmp_path, monkeypatch):
    (tmp_path / "config.py").write_text("MAX_COMMENT_CHARS = 3000\nDEFAULT_WINDOW_DAYS = 30\n")
    monkeypatch.setenv("CONSULT_INSTANCE_PATH", str(tmp_path))
    monkeypatch.setenv("CONSULT_DEFAULT_WINDOW_DAYS", "45")
    monkeypatch.setenv("CONSULT_DATABASE_URL", "sqlite://")
    app = create_app()
    assert app.config["MAX_COMMENT_CHARS"] == 3000  # instance/config.py over the default
    assert app.config["DEFAULT_WINDOW_DAYS"] == 45  # the environment over instance/config.py
    assert app.config["SQLALCHEMY_DATABASE_URI"] == "sqlite://"


def test_foreign_keys_are_enforced(app):
    from consult.models import Answer

    with db.engine.connect() as connection, pytest.raises(sa.exc.IntegrityError):
        connection.execute(
            sa.insert(Answer).values(response_id=999, question_id=999, updated_at=sa.func.now())
        )


def test_unknown_page_is_a_bilingual_404(client):
    result = client.get("/no/such/page")
    assert result.status_code == 404
    page = result.get_data(as_text=True)
    assert "Página no encontrada" in page and "Page not found" in page
    assert page.index("Página no encontrada") < page.index("Page not found")
    english = client.get("/no/such/page?lang=en").get_data(as_text=True)
    assert english.index("Page not found") < english.index("Página no encontrada")


def test_unexpected_error_shows_no_trace(app, client):
    @app.get("/boom")
    def boom():
        raise RuntimeError("SELECT secret FROM internals")

    result = client.get("/boom")
    assert result.status_code == 500
    page = result.get_data(as_text=True)
    assert "Algo salió mal" in page and "Something went wrong" in page
    assert "SELECT secret" not in page and "Traceback" not in page


def test_static_css_is_served_from_the_app(client):
    with client.get("/static/css/consult.css") as result:
        assert result.status_code == 200
        assert "font" in result.get_data(as_text=True)
