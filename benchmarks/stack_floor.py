"""The least a save can cost on the stack consult is required to use, with nothing of consult.

``cpu_ratios.py`` compares consult's saves with ``reference_app``'s bare insert. This app
shows how much of the gap belongs to the stack itself: Flask with a signed-cookie
session, a Flask-WTF form (CSRF token checked against the session) of four radio
questions and a comment, and Flask-SQLAlchemy's engine writing them as consult must, in
one transaction: find the draft by its token, upsert the four answers in one
``executemany``, upsert the comment, mark the draft changed, commit; then a flashed
message and a redirect. No ORM objects, no templates, no security headers, no language.

If even this costs more than four times the bare insert, a write ratio of 0.25 is out of
reach for any app built on this stack.
"""

from __future__ import annotations

import re

import sqlalchemy as sa
from flask import Flask, flash, redirect, session
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import FlaskForm
from wtforms import RadioField, SelectField, TextAreaField
from wtforms.validators import Length, Optional

POINTS = [(p, p) for p in ("1", "2", "3", "4", "5", "dk")]
SCHEMA = (
    "CREATE TABLE IF NOT EXISTS draft (id INTEGER PRIMARY KEY, token TEXT UNIQUE, changed TEXT)",
    "CREATE TABLE IF NOT EXISTS answer (id INTEGER PRIMARY KEY, draft_id INT, question INT,"
    " value TEXT, UNIQUE (draft_id, question))",
    "CREATE TABLE IF NOT EXISTS comment (id INTEGER PRIMARY KEY, draft_id INT UNIQUE,"
    " text TEXT, contribution TEXT)",
    "INSERT OR IGNORE INTO draft (id, token) VALUES (1, 'draft-token')",
)
FIND = sa.text("SELECT id FROM draft WHERE token = :token")
ANSWER = sa.text(
    "INSERT INTO answer (draft_id, question, value) VALUES (:draft, :question, :value)"
    " ON CONFLICT (draft_id, question) DO UPDATE SET value = excluded.value"
)
COMMENT = sa.text(
    "INSERT INTO comment (draft_id, text, contribution) VALUES (:draft, :text, :contribution)"
    " ON CONFLICT (draft_id) DO UPDATE SET text = excluded.text,"
    " contribution = excluded.contribution"
)
TOUCH = sa.text("UPDATE draft SET changed = CURRENT_TIMESTAMP WHERE id = :draft")


class SaveForm(FlaskForm):
    q1 = RadioField(choices=POINTS, validators=[Optional()])
    q2 = RadioField(choices=POINTS, validators=[Optional()])
    q3 = RadioField(choices=POINTS, validators=[Optional()])
    q4 = RadioField(choices=POINTS, validators=[Optional()])
    comment = TextAreaField(validators=[Optional(), Length(max=5000)])
    contribution = SelectField(
        choices=[(c, c) for c in ("problem_definition", "objective_formulation", "other")]
    )


def create_floor_app(database: str, secret: str) -> Flask:
    """The floor app on a SQLite file (WAL, as consult's connections are tuned)."""
    app = Flask(__name__)
    app.config.update(SECRET_KEY=secret, SQLALCHEMY_DATABASE_URI=f"sqlite:///{database}")
    db = SQLAlchemy(app)
    with app.app_context(), db.engine.begin() as connection:
        connection.exec_driver_sql("PRAGMA journal_mode=WAL")
        for statement in SCHEMA:
            connection.exec_driver_sql(statement)

    @app.route("/save", methods=["GET", "POST"])
    def save():
        form = SaveForm()
        if form.validate_on_submit():
            with db.engine.begin() as connection:
                draft = connection.execute(FIND, {"token": session["draft"]}).scalar_one()
                answers = [
                    {"draft": draft, "question": i, "value": form[f"q{i}"].data}
                    for i in range(1, 5)
                ]
                connection.execute(ANSWER, answers)
                connection.execute(
                    COMMENT,
                    {
                        "draft": draft,
                        "text": form.comment.data,
                        "contribution": form.contribution.data,
                    },
                )
                connection.execute(TOUCH, {"draft": draft})
            flash("Saved.")
            return redirect("/next")
        session["draft"] = "draft-token"
        return f'<input name="csrf_token" value="{form.csrf_token.current_token}">', 200

    return app


def save_bodies(client) -> tuple[list[bytes], str]:
    """Two alternating form bodies (each changes every value) and the session cookie."""
    page = client.get("/save").get_data(as_text=True)
    token = re.search(r'value="([^"]+)"', page).group(1)
    bodies = [
        f"csrf_token={token}&q1={a}&q2={b}&q3={a}&q4={b}&comment=Comentario+{a}"
        f"&contribution=problem_definition".encode()
        for a, b in (("1", "2"), ("4", "5"))
    ]
    return bodies, f"session={client.get_cookie('session').value}"
