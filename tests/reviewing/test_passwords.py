"""New passwords follow NIST SP 800-63B: long enough, not guessable, no composition rules.

The probe of issue 13 set ``aaaaaaaaaaaa``, twelve spaces, ``password1234`` and the
account's own email as passwords. Each is now refused wherever a password is set, with
the reason in Spanish and English; a few unrelated words are accepted.
"""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from flask_babel import force_locale

from consult.extensions import db
from consult.models import User
from consult.models.vocab import Role
from consult.reviewing import accounts, passwords

EMAIL = "coordinadora@example.org"
GOOD = "tres tristes tigres comen trigo"

#: The four passwords the probe got accepted, and why each is refused.
REPORTED = [
    pytest.param("aaaaaaaaaaaa", passwords.REPEAT, id="repeated-letter"),
    pytest.param(" " * 12, passwords.BLANK, id="twelve-spaces"),
    pytest.param("password1234", passwords.COMMON, id="common"),
    pytest.param(EMAIL, passwords.CONTEXT, id="the-email"),
]


def accounts_in_database() -> list[str]:
    db.session.expire_all()
    return list(db.session.scalars(sa.select(User.email)))


def both(message) -> tuple[str, str]:
    texts = []
    for language in ("es", "en"):
        with force_locale(language):
            texts.append(str(message))
    assert texts[0] != texts[1], f"not translated: {texts[1]}"
    return texts[0], texts[1]


@pytest.mark.parametrize(("password", "reason"), REPORTED)
def test_the_reported_passwords_are_refused_with_the_reason(app, password, reason):
    with pytest.raises(accounts.WeakPassword) as refused:
        accounts.create_user(EMAIL, Role.COORDINATOR, password)
    assert refused.value.messages[0] == reason
    spanish, english = both(reason)
    assert spanish in str(refused.value) and english in str(refused.value)
    assert accounts_in_database() == []


@pytest.mark.parametrize(("password", "reason"), REPORTED)
def test_create_user_refuses_them_in_both_languages(app, password, reason):
    reply = app.test_cli_runner().invoke(args=["create-user", EMAIL], input=f"{password}\n" * 2)
    assert reply.exit_code != 0
    for text in (*both(reason), *both(passwords.ADVICE)):
        assert text in reply.output
    assert accounts_in_database() == []


def test_a_passphrase_of_plain_words_is_accepted(app):
    """No digit, capital or symbol needed: length and unpredictability are what count."""
    reply = app.test_cli_runner().invoke(args=["create-user", EMAIL], input=f"{GOOD}\n" * 2)
    assert reply.exit_code == 0, reply.output
    assert accounts_in_database() == [EMAIL]
    assert accounts.authenticate(EMAIL, GOOD, "127.0.0.1").email == EMAIL


@pytest.mark.parametrize(
    ("password", "reason"),
    [
        ("Consult2024!!", passwords.CONTEXT),  # the site's name, dressed up
        ("coordinadora2024", passwords.CONTEXT),  # the email's local part and a year
        ("example.org example.org", passwords.CONTEXT),  # the email's domain
        ("summer2024!!", passwords.COMMON),
        ("qwertyuiop123", passwords.COMMON),
        ("abcdefghijklmn", passwords.SEQUENCE),
        ("holaholahola", passwords.REPEAT),
        ("short", None),
        ("x" * 129, None),
    ],
)
def test_guessable_passwords_are_refused(app, password, reason):
    problem = passwords.password_problem(password, EMAIL)
    assert problem is not None
    if reason is not None:
        assert problem == reason


def test_the_consultations_names_count_like_the_sites(app, enia):
    with pytest.raises(accounts.WeakPassword) as refused:
        accounts.create_user(EMAIL, Role.COORDINATOR, "Inteligencia Artificial 2021")
    assert refused.value.messages[0] == passwords.CONTEXT
    # Without the consultation, the same words are just words.
    assert passwords.password_problem("Inteligencia Artificial 2021", EMAIL) is None


@pytest.mark.parametrize(
    "password",
    [
        GOOD,
        "una clave larga y segura",
        "Mi perro se llama Toby",
        "9dK#mq2!Lp0z",
        "ñandú azul verde rojo",
    ],
)
def test_good_passwords_pass(app, password):
    assert passwords.password_problem(password, EMAIL) is None


def test_generated_passwords_pass_the_same_rules(app):
    """The administrators' form generates passwords: they would pass if typed."""
    for number in range(20):
        user, generated = accounts.create_user(f"u{number}@example.org", Role.COORDINATOR)
        assert passwords.password_problem(generated, user.email) is None


def test_every_reason_is_written_in_both_languages(app):
    for reason in (
        passwords.BLANK,
        passwords.CONTEXT,
        passwords.COMMON,
        passwords.REPEAT,
        passwords.SEQUENCE,
        passwords.KEYBOARD,
        passwords.DATE,
        passwords.GUESSABLE,
        passwords.ADVICE,
        passwords.password_problem("short", EMAIL),
        passwords.password_problem("x" * 200, EMAIL),
    ):
        both(reason)
