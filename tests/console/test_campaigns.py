"""Copies and campaigns in the console: the list, a cluster's page, confirm and dismiss."""

from __future__ import annotations

import html
import re

import pytest
import sqlalchemy as sa
from flask.testing import FlaskClient

from consult.extensions import db
from consult.models import AuditEntry, CopyCluster
from consult.models.vocab import Verdict
from consult.systematising import runs
from tests.conftest import session_csrf_token
from tests.factories import make_response

LIST = "/console/c/enia-2021/insight/campaigns/"
LETTER = (
    "Pedimos que la estrategia nacional de inteligencia artificial garantice conectividad "
    "de banda ancha en todas las comunidades rurales antes de financiar proyectos "
    "piloto en Lima, porque sin internet no hay inclusión digital posible."
)


def text_of(client: FlaskClient, url: str) -> str:
    reply = client.get(url)
    assert reply.status_code == 200, (url, reply.status_code)
    return html.unescape(re.sub(r"\s+", " ", reply.get_data(as_text=True)))


@pytest.fixture
def cluster(enia) -> CopyCluster:
    """A suggested cluster: the letter three times (one with a word changed), from two
    addresses, by academia twice and a company once; and a different comment."""
    make_response(enia, ("5-3", LETTER), address_hash="a1")
    make_response(enia, ("5-3", LETTER), address_hash="a1", stakeholder_type="company")
    make_response(enia, ("5-3", LETTER.replace("rurales", "campesinas")), address_hash="a2")
    make_response(enia, ("5-3", "Otro comentario distinto sobre los datos abiertos del Estado."))
    run = runs.start_run(enia, ["copies"])
    assert runs.execute(run.id).error is None
    return db.session.scalar(sa.select(CopyCluster))


@pytest.mark.parametrize("who", ["coordinator_client", "admin_client"])
def test_the_list_and_a_clusters_page_show_what_a_coordinator_decides_on(request, cluster, who):
    client = request.getfixturevalue(who)
    client.get("/console/?lang=en")
    listing = text_of(client, LIST)
    assert "Near copies" in listing and "Suggested, not yet reviewed" in listing
    assert "Pedimos que la estrategia nacional" in listing
    assert "Comments of submitted responses: 4; counting each confirmed campaign once: 4." in (
        listing
    )
    assert "No clusters here" in text_of(client, LIST + "?verdict=confirmed")

    page = text_of(client, f"{LIST}{cluster.id}")
    assert "Distinct address hashes</dt><dd>2</dd>" in page
    mix = page[page.index("Stakeholder mix") :]
    assert re.search(r"Academia or research</th><td class=\"num\">2<", mix)
    assert re.search(r"Company or startup</th><td class=\"num\">1<", mix)
    assert "Submissions over time" in page
    # The differences say what was added and removed in words, not by colour alone.
    assert "removed: </span>rurales" in page or "added: </span>rurales" in page
    assert "Confirm as a campaign" in page and "Dismiss" in page


def post(client: FlaskClient, app, url: str):
    return client.post(url, data={"csrf_token": session_csrf_token(app, client)})


def test_confirming_counts_the_campaign_once_and_writes_one_audit_entry(
    app, cluster, coordinator_client
):
    coordinator_client.get("/console/?lang=en")
    reply = post(coordinator_client, app, f"{LIST}{cluster.id}/confirm")
    assert reply.status_code == 302
    page = text_of(coordinator_client, reply.location)
    assert "The campaign was confirmed" in page
    assert "Confirm as a campaign" not in page
    listing = text_of(coordinator_client, LIST)
    assert "counting each confirmed campaign once: 2." in listing
    # Deciding twice changes nothing.
    reply = post(coordinator_client, app, f"{LIST}{cluster.id}/dismiss")
    assert "already been decided" in text_of(coordinator_client, reply.location)
    db.session.expire_all()
    assert db.session.get(CopyCluster, cluster.id).verdict == Verdict.CONFIRMED
    actions = db.session.scalars(
        sa.select(AuditEntry.action).where(AuditEntry.object_type == "copy_cluster")
    ).all()
    assert actions == ["copies.confirm"]


def test_dismissing_needs_the_forms_token(app, cluster, coordinator_client):
    assert coordinator_client.post(f"{LIST}{cluster.id}/dismiss").status_code in (302, 400)
    db.session.expire_all()
    assert db.session.get(CopyCluster, cluster.id).verdict == Verdict.SUGGESTED
    reply = post(coordinator_client, app, f"{LIST}{cluster.id}/dismiss")
    assert reply.status_code == 302
    db.session.expire_all()
    assert db.session.get(CopyCluster, cluster.id).verdict == Verdict.DISMISSED


def test_a_cluster_of_another_consultation_or_none_is_not_found(cluster, coordinator_client):
    assert coordinator_client.get(f"{LIST}{cluster.id + 1000}").status_code == 404
    assert coordinator_client.get("/console/c/nothing/insight/campaigns/").status_code == 404
