"""Sign-in takes as long for an unknown email as for a known one with a wrong password.

Checking a password against its scrypt hash is by far the slowest step of a sign-in.
Skipping it when no account has the email answered unknown emails ~15 times faster, so
the time of a reply told which emails have accounts. An unknown email is therefore
checked against a dummy hash made the same way as real ones.
"""

from __future__ import annotations

import hashlib
import statistics
import time

import pytest
from flask import Flask

from consult.models.vocab import Role
from consult.reviewing import accounts

EMAIL = "conocida@example.org"
PASSWORD = "tres tristes tigres comen trigo"


@pytest.fixture
def known(app: Flask, monkeypatch):
    # Only the hashing is measured here: no attempt may be slowed or locked.
    monkeypatch.setitem(app.config, "SIGN_IN_SLOW_AFTER", 10**6)
    monkeypatch.setitem(app.config, "SIGN_IN_LOCK_AFTER", 10**6)
    accounts.create_user(EMAIL, Role.COORDINATOR, PASSWORD)


def refused(email: str, address: str = "192.0.2.1") -> None:
    with pytest.raises(accounts.SignInRefused):
        accounts.authenticate(email, "not the password", address)


def test_an_unknown_email_is_checked_against_a_hash_like_a_known_one(known, monkeypatch):
    refused("primera@example.org")  # the dummy hash is made once, on first use
    hashed: list[tuple[int, int, int]] = []
    real = hashlib.scrypt

    def counting(password: bytes, *, salt: bytes, n: int, r: int, p: int, **kwargs) -> bytes:
        hashed.append((n, r, p))
        return real(password, salt=salt, n=n, r=r, p=p, **kwargs)

    monkeypatch.setattr(hashlib, "scrypt", counting)
    refused(EMAIL)
    assert len(hashed) == 1, "a known email with a wrong password is hashed once"
    refused("nadie@example.org")
    refused("otra.persona@example.org")
    assert len(hashed) == 3, "so is each unknown email"
    assert len(set(hashed)) == 1, f"with the same parameters: {hashed}"


def test_unknown_and_known_emails_take_about_as_long(known):
    refused("primera@example.org")  # the dummy hash is made once, on first use
    unknown: list[float] = []
    wrong: list[float] = []
    for attempt in range(11):  # interleaved, so a busy moment slows both alike
        for email, times in ((f"nadie{attempt}@example.org", unknown), (EMAIL, wrong)):
            start = time.perf_counter()
            refused(email, address=f"198.51.100.{attempt}")
            times.append(time.perf_counter() - start)
    ratio = statistics.median(unknown) / statistics.median(wrong)
    # Before: about 0.03-0.07. A generous band: a shared machine is noisy.
    assert 0.5 < ratio < 2, f"unknown/known = {ratio:.2f}"
