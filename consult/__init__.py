"""consult: a public consultation platform. ``create_app`` builds the Flask application."""

import os
import secrets
from pathlib import Path
from typing import Any

from flask import Flask, has_request_context, request, session

from . import config as default_config
from .extensions import babel, csrf, db, login_manager, migrate
from .web import form_messages, limits

PACKAGE_DIR = Path(__file__).resolve().parent


def _shipped_dir(name: str) -> Path:
    """Find a top-level folder (templates, migrations) in a wheel or in a source checkout."""
    inside = PACKAGE_DIR / name
    return inside if inside.is_dir() else PACKAGE_DIR.parent / name


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """Build the app: defaults, then instance/config.py, then CONSULT_* variables, then tests'."""
    instance_path = (
        (test_config or {}).get("INSTANCE_PATH")
        or os.environ.get("CONSULT_INSTANCE_PATH")
        or str(Path.cwd() / "instance")
    )
    app = Flask(
        __name__,
        instance_path=instance_path,
        instance_relative_config=True,
        template_folder=str(_shipped_dir("templates")),
    )
    app.request_class = form_messages.Request
    app.config.from_object(default_config)
    if test_config is None:
        app.config.from_pyfile("config.py", silent=True)
        app.config.from_prefixed_env("CONSULT")
    else:
        app.config.from_mapping(test_config)

    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    _configure_secret_key(app)
    _configure_database(app)

    db.init_app(app)
    migrate.init_app(app, db, directory=str(_shipped_dir("migrations")), render_as_batch=True)
    # Rate limits count a request before anything else (CSRF included) looks at it.
    limits.init_app(app)
    csrf.init_app(app)
    babel.init_app(app, locale_selector=_select_locale)
    login_manager.init_app(app)

    from . import api, cli
    from .auth import bp as auth_bp
    from .console import bp as console_bp
    from .public import bp as public_bp
    from .web import assets, compression, converters, security, templating
    from .web.errors import register_error_handlers

    converters.init_app(app)  # before any route: ids no row can have are 404s
    security.init_app(app)
    templating.init_app(app)
    assets.init_app(app)
    compression.init_app(app)
    cli.register(app)
    register_error_handlers(app)
    app.register_blueprint(public_bp)
    app.register_blueprint(auth_bp, url_prefix="/auth")
    app.register_blueprint(console_bp, url_prefix="/console")
    api.init_app(app)  # /api/: the public JSON API, its errors as problem documents
    app.before_request(_remember_language)
    return app


def _configure_secret_key(app: Flask) -> None:
    """Use the configured key, or one generated once into the instance folder."""
    if app.config.get("SECRET_KEY"):
        return
    key_file = Path(app.instance_path) / "secret_key"
    if not key_file.exists():
        fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_hex(32))
    app.config["SECRET_KEY"] = key_file.read_text().strip()


def _configure_database(app: Flask) -> None:
    url = app.config.get("DATABASE_URL") or f"sqlite:///{Path(app.instance_path) / 'consult.db'}"
    app.config["SQLALCHEMY_DATABASE_URI"] = url
    if url.startswith("postgresql"):
        app.config.setdefault("SQLALCHEMY_ENGINE_OPTIONS", {"pool_pre_ping": True})


def _select_locale() -> str:
    from flask import current_app

    languages = current_app.config["LANGUAGES"]
    # Outside a request (the CLI, a report written in a test) the default, unless forced.
    chosen = session.get("lang") if has_request_context() else None
    return chosen if chosen in languages else current_app.config["BABEL_DEFAULT_LOCALE"]


def _remember_language() -> None:
    """``?lang=en`` switches language for this and later pages."""
    from flask import current_app

    if "lang=" not in request.environ.get("QUERY_STRING", ""):
        return  # most requests: no need to parse the query string
    wanted = request.args.get("lang")
    if wanted in current_app.config["LANGUAGES"] and session.get("lang") != wanted:
        session["lang"] = wanted
        session.permanent = True
