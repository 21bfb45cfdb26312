"""Copies stored from a consultation's comments: suggested, confirmed, dismissed, extended."""

from __future__ import annotations

import sqlalchemy as sa

from consult.extensions import db
from consult.models import AuditEntry, Comment, CopyCluster, CopyMember
from consult.models.vocab import Verdict
from consult.systematising import copies, runs
from tests.factories import make_response

LETTER = (
    "Pedimos que la estrategia nacional de inteligencia artificial garantice conectividad "
    "de banda ancha en todas las comunidades rurales antes de financiar proyectos "
    "piloto en Lima, porque sin internet no hay inclusión digital posible."
)
OTHER = (
    "Las universidades públicas necesitan laboratorios de cómputo y profesores con "
    "doctorado para formar especialistas en aprendizaje automático en cada región del país."
)


def comment_ids(responses) -> list[int]:
    return [r.comments[0].id for r in responses]


def send(enia, *texts: str, address: str | None = None, **options):
    return [
        make_response(enia, ("5-3", text), address_hash=address or f"addr{n}", **options)
        for n, text in enumerate(texts)
    ]


def run_copies(enia) -> dict:
    run = runs.start_run(enia, ["copies"])
    done = runs.execute(run.id)
    assert done.error is None
    return done.counts


def clusters(verdict: Verdict | None = None) -> list[CopyCluster]:
    stmt = sa.select(CopyCluster).order_by(CopyCluster.id)
    if verdict is not None:
        stmt = stmt.where(CopyCluster.verdict == verdict)
    return list(db.session.scalars(stmt))


def members(cluster: CopyCluster) -> set[int]:
    return set(
        db.session.scalars(
            sa.select(CopyMember.comment_id).where(CopyMember.cluster_id == cluster.id)
        )
    )


def test_copies_are_suggested_with_their_distinct_addresses(app, enia):
    sent = send(enia, LETTER, LETTER.replace("rurales", "campesinas"), LETTER.upper(), OTHER)
    make_response(enia, ("5-3", LETTER), status="draft")  # not compared
    counts = run_copies(enia)
    assert counts["clusters"] == 1 and counts["copies"] == 3
    [cluster] = clusters()
    assert cluster.verdict == Verdict.SUGGESTED and cluster.size == 3
    assert members(cluster) == set(comment_ids(sent[:3]))
    assert cluster.distinct_addresses == 3
    assert cluster.representative_id in members(cluster)
    # A new run replaces the suggestion rather than adding a second one.
    run_copies(enia)
    assert len(clusters()) == 1


def test_a_dismissal_survives_a_new_run(app, enia, coordinator):
    send(enia, LETTER, LETTER.replace("rurales", "campesinas"))
    run_copies(enia)
    [cluster] = clusters()
    copies.dismiss(cluster, coordinator)
    assert run_copies(enia)["clusters"] == 0
    [kept] = clusters()
    assert kept.id == cluster.id and kept.verdict == Verdict.DISMISSED


def test_a_confirmed_campaigns_later_copy_is_suggested_as_its_extension(app, enia, coordinator):
    first = send(enia, LETTER, LETTER.replace("rurales", "campesinas"))
    run_copies(enia)
    [campaign] = clusters()
    copies.confirm(campaign, coordinator)
    later = send(enia, LETTER.replace("Lima", "la capital"), address="late")
    counts = run_copies(enia)
    assert (counts["clusters"], counts["copies"]) == (1, 1)
    [extension] = clusters(Verdict.SUGGESTED)
    assert extension.extends_id == campaign.id
    assert members(extension) == set(comment_ids(later))
    assert members(campaign) == set(comment_ids(first))  # a confirmed campaign is not changed

    kept = copies.confirm(extension, coordinator)
    assert kept.id == campaign.id
    db.session.expire_all()
    assert members(campaign) == set(comment_ids(first + later))
    assert campaign.size == 3 and campaign.distinct_addresses == 3
    assert clusters(Verdict.SUGGESTED) == []
    assert run_copies(enia)["clusters"] == 0


def test_confirm_and_dismiss_each_write_one_audit_entry(app, enia, coordinator):
    send(enia, LETTER, LETTER.replace("rurales", "campesinas"))
    send(enia, OTHER, OTHER.replace("públicas", "nacionales"))
    run_copies(enia)
    first, second = clusters()
    copies.confirm(first, coordinator)
    copies.dismiss(second, coordinator)
    entries = db.session.scalars(
        sa.select(AuditEntry)
        .where(AuditEntry.object_type == "copy_cluster")
        .order_by(AuditEntry.id)
    ).all()
    assert [(e.action, e.object_id, e.actor_id) for e in entries] == [
        ("copies.confirm", first.id, coordinator.id),
        ("copies.dismiss", second.id, coordinator.id),
    ]


def test_no_copy_is_ever_deleted_and_counts_show_each_campaign_once(app, enia, coordinator):
    send(enia, LETTER, LETTER, LETTER.replace("rurales", "campesinas"), OTHER)
    run_copies(enia)
    assert copies.comment_counts(enia.id) == (4, 4)  # a suggestion changes no count
    [cluster] = clusters()
    copies.confirm(cluster, coordinator)
    assert copies.comment_counts(enia.id) == (4, 2)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Comment)) == 4
    campaigns = copies.confirmed_campaigns(enia.id)
    assert campaigns[["kind", "copies"]].values.tolist() == [["near", 3]]
