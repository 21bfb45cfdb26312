"""Copies and campaigns of a consultation: find them, store them as suggestions, and
record a coordinator's confirmation or dismissal.

Which comments: those of submitted responses, whatever their moderation. A draft may
still change and a withdrawn response counts nowhere; but a comment refused as spam or
as a duplicate is exactly what a campaign leaves behind, so it is compared too. Nothing
is ever deleted: a campaign only changes how reports count its copies.

A run replaces only the clusters still suggested. Confirmed and dismissed clusters stay
as they were; a dismissed cluster's comments are not suggested together again (the same
set, or part of it), and comments of a confirmed campaign are never suggested anew: new
copies of it are suggested as a cluster that extends it, and confirming that cluster adds
them to the campaign.
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime
from typing import Any

import pandas as pd
import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from ..extensions import db
from ..insight.copies import find_copies
from ..models import Comment, Consultation, CopyCluster, CopyMember, InsightRun, Response, User
from ..models.columns import utcnow
from ..models.vocab import CopyKind, ResponseStatus, Verdict
from ..reviewing import audit
from ..reviewing.moderation import ReviewError
from .runs import Progress


def comments_frame(consultation_id: int) -> pd.DataFrame:
    """The comments compared: id, text, response's address hash, earliest first.

    A comment on a passage that only proposes wording is compared by that wording (a
    campaign may send the same wording many times); one with neither is left out.
    """
    text = sa.case((Comment.text == "", sa.func.coalesce(Comment.proposal, "")), else_=Comment.text)
    rows = db.session.execute(
        sa.select(Comment.id, text, Response.address_hash)
        .join(Response, Response.id == Comment.response_id)
        .where(
            Response.consultation_id == consultation_id,
            Response.status == ResponseStatus.SUBMITTED,
            text != "",
        )
        .order_by(Comment.created_at, Comment.id)
    ).all()
    return pd.DataFrame(rows, columns=["id", "text", "address_hash"])


def _decided(consultation_id: int) -> tuple[dict[int, int], list[frozenset[int]]]:
    """Which comment is in which confirmed campaign; the member sets dismissed."""
    rows = db.session.execute(
        sa.select(CopyCluster.id, CopyCluster.verdict, CopyMember.comment_id)
        .join(CopyMember, CopyMember.cluster_id == CopyCluster.id)
        .where(
            CopyCluster.consultation_id == consultation_id,
            CopyCluster.verdict != Verdict.SUGGESTED,
        )
    ).all()
    campaign_of: dict[int, int] = {}
    dismissed: dict[int, set[int]] = {}
    for cluster_id, verdict, comment_id in rows:
        if verdict == Verdict.CONFIRMED:
            campaign_of[comment_id] = cluster_id
        else:
            dismissed.setdefault(cluster_id, set()).add(comment_id)
    return campaign_of, [frozenset(s) for s in dismissed.values()]


def analyse(consultation: Consultation, run: InsightRun, progress: Progress) -> dict[str, Any]:
    """Find the consultation's copies and store them as suggestions, in one transaction."""
    consultation_id, run_id = consultation.id, run.id
    parameters = run.parameters or {}
    frame = comments_frame(consultation_id)
    campaign_of, dismissed = _decided(consultation_id)
    db.session.rollback()  # end the read before progress writes through its own connection
    progress(0.1, f"{len(frame)} comments")
    clusters = find_copies(
        frame[["id", "text"]],
        threshold=float(parameters.get("copy_threshold", 0.8)),
        template_share=float(parameters.get("template_share", 0.6)),
    )
    progress(0.8, f"{len(clusters)} clusters")
    addresses = {
        int(i): a for i, a in zip(frame["id"], frame["address_hash"], strict=True) if pd.notna(a)
    }

    db.session.execute(
        sa.delete(CopyCluster).where(
            CopyCluster.consultation_id == consultation_id,
            CopyCluster.verdict == Verdict.SUGGESTED,
        )
    )
    stored = copies = 0
    now = utcnow()
    for cluster in clusters:
        members = [m for m in cluster.members if m not in campaign_of]
        touched = Counter(campaign_of[m] for m in cluster.members if m in campaign_of)
        extends = touched.most_common(1)[0][0] if touched else None
        if not members or (extends is None and len(members) < 2):
            continue
        if any(set(members) <= gone for gone in dismissed):
            continue
        representative = cluster.representative
        if representative not in members:
            representative = max(members, key=lambda m: cluster.similarity[m])
        row = CopyCluster(
            consultation_id=consultation_id,
            run_id=run_id,
            kind=CopyKind(cluster.kind),
            verdict=Verdict.SUGGESTED,
            representative_id=representative,
            extends_id=extends,
            size=len(members),
            distinct_addresses=len({addresses[m] for m in members if m in addresses}),
            created_at=now,
        )
        row.members = [CopyMember(comment_id=m, similarity=cluster.similarity[m]) for m in members]
        db.session.add(row)
        stored += 1
        copies += len(members)
    db.session.commit()
    return {"clusters": stored, "copies": copies}


# ---------------------------------------------------------------- decisions


def _distinct_addresses(cluster_id: int) -> int:
    return db.session.scalar(
        sa.select(sa.func.count(sa.distinct(Response.address_hash)))
        .select_from(CopyMember)
        .join(Comment, Comment.id == CopyMember.comment_id)
        .join(Response, Response.id == Comment.response_id)
        .where(CopyMember.cluster_id == cluster_id)
    )


def _decide(cluster: CopyCluster, verdict: Verdict, actor: User, when: datetime) -> None:
    cluster.verdict = verdict
    cluster.decided_at = when
    cluster.decided_by_id = actor.id


def confirm(cluster: CopyCluster, actor: User) -> CopyCluster:
    """Confirm a suggested cluster as a campaign; one that extends a confirmed campaign
    adds its copies to it (and is then gone). Returns the campaign."""
    if cluster.verdict != Verdict.SUGGESTED:
        raise ReviewError(_l("only a suggested cluster can be confirmed"))
    campaign = db.session.get(CopyCluster, cluster.extends_id) if cluster.extends_id else None
    if campaign is None or campaign.verdict != Verdict.CONFIRMED:
        _decide(cluster, Verdict.CONFIRMED, actor, utcnow())
        audit.record(
            actor,
            "copies.confirm",
            "copy_cluster",
            cluster.id,
            before={"verdict": Verdict.SUGGESTED},
            after={"verdict": Verdict.CONFIRMED, "kind": cluster.kind, "size": cluster.size},
        )
        db.session.commit()
        return cluster
    present = set(
        db.session.scalars(
            sa.select(CopyMember.comment_id).where(CopyMember.cluster_id == campaign.id)
        )
    )
    added = [m for m in cluster.members if m.comment_id not in present]
    before = {"size": campaign.size}
    for member in added:
        db.session.add(
            CopyMember(
                cluster_id=campaign.id, comment_id=member.comment_id, similarity=member.similarity
            )
        )
    db.session.delete(cluster)
    db.session.flush()
    campaign.size = len(present) + len(added)
    campaign.distinct_addresses = _distinct_addresses(campaign.id)
    audit.record(
        actor,
        "copies.extend",
        "copy_cluster",
        campaign.id,
        before=before,
        after={"size": campaign.size, "added": sorted(m.comment_id for m in added)},
    )
    db.session.commit()
    return campaign


def dismiss(cluster: CopyCluster, actor: User) -> None:
    """Dismiss a suggested cluster: its comments are not suggested together again."""
    if cluster.verdict != Verdict.SUGGESTED:
        raise ReviewError(_l("only a suggested cluster can be dismissed"))
    _decide(cluster, Verdict.DISMISSED, actor, utcnow())
    audit.record(
        actor,
        "copies.dismiss",
        "copy_cluster",
        cluster.id,
        before={"verdict": Verdict.SUGGESTED},
        after={"verdict": Verdict.DISMISSED, "size": cluster.size},
    )
    db.session.commit()


# ---------------------------------------------------------------- what reports count


def confirmed_campaigns(consultation_id: int, comments: sa.Select | None = None) -> pd.DataFrame:
    """The confirmed campaigns, largest first: cluster id, kind, copies, distinct addresses.

    ``comments`` (a SELECT of comment ids) limits the copies counted to those comments,
    e.g. the ones a report counts; a campaign with none of them is left out.
    """
    conditions = [
        CopyCluster.consultation_id == consultation_id,
        CopyCluster.verdict == Verdict.CONFIRMED,
    ]
    if comments is not None:
        conditions.append(CopyMember.comment_id.in_(comments))
    rows = db.session.execute(
        sa.select(
            CopyCluster.id,
            CopyCluster.kind,
            sa.func.count(CopyMember.comment_id),
            CopyCluster.distinct_addresses,
        )
        .join(CopyMember, CopyMember.cluster_id == CopyCluster.id)
        .where(*conditions)
        .group_by(CopyCluster.id, CopyCluster.kind, CopyCluster.distinct_addresses)
        .order_by(sa.func.count(CopyMember.comment_id).desc(), CopyCluster.id)
    ).all()
    return pd.DataFrame(
        [(i, CopyKind(k).value, n, a) for i, k, n, a in rows],
        columns=["campaign", "kind", "copies", "distinct_addresses"],
    )


def deduplicated(raw: int, campaigns: pd.DataFrame) -> int:
    """Comments counted with each confirmed campaign once: its copies count as one."""
    return int(raw - (campaigns["copies"] - 1).clip(lower=0).sum())


def comment_counts(consultation_id: int) -> tuple[int, int]:
    """The comments of submitted responses, raw and with each confirmed campaign once."""
    counted = (
        sa.select(Comment.id)
        .join(Response, Response.id == Comment.response_id)
        .where(
            Response.consultation_id == consultation_id,
            Response.status == ResponseStatus.SUBMITTED,
        )
    )
    raw = db.session.scalar(sa.select(sa.func.count()).select_from(counted.subquery()))
    return raw, deduplicated(raw, confirmed_campaigns(consultation_id, counted))
