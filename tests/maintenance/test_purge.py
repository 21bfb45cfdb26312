"""`consult purge-personal-data`: personal data goes, every report figure stays."""

from __future__ import annotations

import dataclasses

import pandas as pd
import pytest
import sqlalchemy as sa
from flask import Flask

from consult.extensions import db
from consult.models import AuditEntry, Consultation, Response
from consult.models.response import hash_token
from consult.models.vocab import ModerationState
from consult.reports.frames import build_report
from tests.conftest import create_account, signed_in_client
from tests.factories import add_response
from tests.reports.test_views import DAY, known_responses

NAMED = "Ana Quispe Mamani"
HIDDEN_NAME = "Nombre que nadie eligió publicar"
TOKENS = {"named": "token-of-the-named-author-000001", "hidden": "token-of-a-private-one-0000002"}


def run(app: Flask, *args: str):
    return app.test_cli_runner().invoke(args=["purge-personal-data", *args])


def people(consultation: Consultation) -> dict[str, Response]:
    """Two respondents with everything personal a response can hold, plus the seven of the
    report tests (emails on four of them)."""
    published = {"section": "5-3", "moderation": ModerationState.PUBLISHED}
    named = add_response(
        consultation,
        submitted_at=DAY,
        publication="named",
        display_name=NAMED,
        email="ana.quispe@example.org",
        answers={"q-5-3-agree": "5"},
        comments=[{**published, "text": "Más becas para docentes."}],
    )
    hidden = add_response(
        consultation,
        submitted_at=DAY,
        responding_as="individual",
        stakeholder_type="individual",
        publication="anonymous",
        email="privada@example.org",
        answers={"q-5-3-agree": "2"},
        comments=[{**published, "text": "Un comentario anónimo."}],
    )
    hidden.display_name = HIDDEN_NAME  # chosen once, then publication changed to anonymous
    hidden.organisation_name = "Mi casa"  # left over from an earlier organisation profile
    for key, response in (("named", named), ("hidden", hidden)):
        response.token_hash = hash_token(TOKENS[key])
        response.form_token = f"form-{key}"
        response.address_hash = "ab" * 32
    db.session.commit()
    known_responses(consultation)
    return {"named": named, "hidden": hidden}


def frames(consultation: Consultation, audience: str) -> dict[str, pd.DataFrame]:
    report = build_report(consultation, audience=audience)
    found = {"responses": pd.DataFrame({"n": [report.responses]})}
    for item in dataclasses.fields(report):
        value = getattr(report, item.name)
        if isinstance(value, pd.DataFrame):
            found[item.name] = value
        elif isinstance(value, dict):
            for key, part in value.items():
                if isinstance(part, pd.DataFrame):
                    found[f"{item.name}.{key}"] = part
                else:  # who is missing: a field's comparison, its table and what is outside
                    found[f"{item.name}.{key}"] = part.table
                    others = {**part.others, "base": part.base}
                    found[f"{item.name}.{key}.others"] = pd.DataFrame([others])
    return found


def every_text_in_the_database() -> str:
    """Every value of every column of every table, as one text to search."""
    texts = []
    for table in db.metadata.sorted_tables:
        for row in db.session.execute(sa.select(table)).all():
            texts.extend(str(value) for value in row)
    return "\n".join(texts)


@pytest.fixture
def closed(enia, set_window) -> Consultation:
    people(enia)
    set_window(enia, "closed")
    return enia


def test_purge_removes_personal_data_and_keeps_every_figure(app, client, closed):
    before = {audience: frames(closed, audience) for audience in ("open", "confidential")}
    assert client.get(f"/c/enia-2021/r/{TOKENS['named']}").status_code == 200
    assert "privada@example.org" in every_text_in_the_database()

    result = run(app, "--consultation", "enia-2021")
    assert result.exit_code == 0, result.output
    for line in (
        "email: 6",  # the two here and four of the report tests
        "unpublished name: 1",
        "organisation name of an individual: 1",
        "edit token: 9",
        "form token: 2",
        "address hash: 2",
    ):
        assert f"  {line}\n" in result.output, result.output

    db.session.expire_all()
    for audience, old in before.items():
        new = frames(closed, audience)
        assert new.keys() == old.keys()
        for name, frame in old.items():
            pd.testing.assert_frame_equal(new[name], frame, obj=f"{audience} {name}")

    everything = every_text_in_the_database()
    assert "@example.org" not in everything
    assert HIDDEN_NAME not in everything and "Mi casa" not in everything
    assert "form-named" not in everything and "ab" * 32 not in everything
    for token in TOKENS.values():
        assert hash_token(token) not in everything
        assert client.get(f"/c/enia-2021/r/{token}").status_code == 404

    # The name its author chose to publish stays, with the published comment.
    section = client.get("/c/enia-2021/s/5-3?lang=en").get_data(as_text=True)
    assert NAMED in section and "Más becas para docentes." in section

    entry = db.session.scalar(sa.select(AuditEntry).filter_by(action="purge_personal_data"))
    assert entry.object_id == closed.id and entry.actor_email == "command line"
    assert entry.after["removed"]["email"] == 6
    create_account("admin@example.gob.pe", role="admin")
    audit_page = signed_in_client(app, "admin@example.gob.pe").get("/console/admin/audit")
    assert audit_page.status_code == 200 and "purge_personal_data" in audit_page.get_data(
        as_text=True
    )


def test_purging_twice_removes_nothing_more(app, closed):
    assert run(app, "--consultation", "enia-2021").exit_code == 0
    again = run(app, "--consultation", "enia-2021")
    assert again.exit_code == 0
    counts = [line for line in again.output.splitlines() if line.startswith("  ")]
    assert counts and all(line.endswith(": 0") for line in counts)


def test_an_open_consultation_is_purged_only_with_force(app, enia, set_window):
    people(enia)
    set_window(enia, "open")
    refused = run(app, "--consultation", "enia-2021")
    assert refused.exit_code != 0 and "--force" in refused.output
    db.session.expire_all()
    assert db.session.scalar(sa.select(sa.func.count()).where(Response.email.is_not(None))) == 6
    assert db.session.scalar(sa.select(sa.func.count()).select_from(AuditEntry)) == 0

    forced = run(app, "--consultation", "enia-2021", "--force")
    assert forced.exit_code == 0 and "  email: 6\n" in forced.output
    db.session.expire_all()
    assert db.session.scalar(sa.select(sa.func.count()).where(Response.email.is_not(None))) == 0


def test_an_unknown_consultation_is_refused(app, enia):
    result = run(app, "--consultation", "no-such-thing")
    assert result.exit_code != 0 and "no-such-thing" in result.output
