"""``consult create-user``: the only way to the first account; there is no default one."""

from __future__ import annotations

import re

import sqlalchemy as sa
from click.testing import Result
from flask import Flask

from consult.extensions import db
from consult.models import AuditEntry, User
from consult.models.vocab import Role
from consult.reviewing import accounts
from tests.conftest import create_account, sign_in

GENERATED = re.compile(r"Password \(shown only now\): (\S+)")


def run(app: Flask, *args: str, input: str | None = None) -> Result:
    return app.test_cli_runner().invoke(args=list(args), input=input)


def users() -> list[tuple[str, Role]]:
    db.session.expire_all()
    return [(u.email, u.role) for u in db.session.scalars(sa.select(User).order_by(User.id))]


def test_a_fresh_database_has_no_account_at_all(app):
    assert users() == []
    assert run(app, "init").exit_code == 0
    assert users() == []


def test_a_generated_password_is_printed_once_and_works(app):
    result = run(app, "create-user", "A@B.pe", "--role", "admin", "--generate-password")
    assert result.exit_code == 0, result.output
    assert "Created admin a@b.pe." in result.output
    password = GENERATED.search(result.output).group(1)
    assert len(password) >= 12 and result.output.count(password) == 1
    assert users() == [("a@b.pe", Role.ADMIN)]
    stored = db.session.scalar(sa.select(User.password_hash))
    assert password not in stored
    client = app.test_client()
    assert sign_in(client, "a@b.pe", password).status_code == 302
    assert client.get("/console/admin/users").status_code == 200
    entry = db.session.scalar(sa.select(AuditEntry).filter_by(action="user.create"))
    assert (entry.actor_id, entry.actor_email) == (None, "command line")


def test_the_password_can_be_typed_twice_at_a_prompt(app):
    result = run(app, "create-user", "coord@example.org", input="una clave larga y segura\n" * 2)
    assert result.exit_code == 0, result.output
    assert "una clave larga y segura" not in result.output  # hidden input, not echoed
    assert users() == [("coord@example.org", Role.COORDINATOR)]
    user = accounts.authenticate("coord@example.org", "una clave larga y segura", "127.0.0.1")
    assert user.email == "coord@example.org"


def test_a_short_password_is_refused_with_a_clear_message(app):
    result = run(app, "create-user", "coord@example.org", input="short\nshort\n")
    assert result.exit_code != 0
    assert "at least 12 characters" in result.output
    assert users() == []


def test_prompted_passwords_must_match(app):
    result = run(app, "create-user", "coord@example.org", input="una clave larga y segura\nother\n")
    assert users() == [] and result.exit_code != 0


def test_a_duplicate_email_is_refused_with_a_clear_message(app):
    create_account("coord@example.org")
    result = run(app, "create-user", "Coord@Example.org", "--generate-password")
    assert result.exit_code != 0
    assert "an account for coord@example.org exists already" in result.output
    assert "Password (shown only now)" not in result.output
    assert users() == [("coord@example.org", Role.COORDINATOR)]


def test_an_unknown_role_is_refused(app):
    result = run(app, "create-user", "a@b.pe", "--role", "root", "--generate-password")
    assert result.exit_code != 0 and "root" in result.output
    assert users() == []
