"""Copies and campaigns in the console: the clusters a run found, each with its copies'
differences, when they came, from how many addresses and which stakeholders; a
coordinator confirms or dismisses each one."""

from __future__ import annotations

from collections import Counter

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm

from ..extensions import db
from ..insight.copies import differences
from ..models import Comment, Consultation, CopyCluster, CopyMember, Response
from ..models.vocab import Verdict
from ..models.zones import in_zone
from ..public.routes import load_consultation
from ..reviewing.moderation import ReviewError
from ..systematising import copies
from ..web.paging import page_number, paginate
from . import bp

#: Copies listed per page of a cluster (each with its differences).
COPIES_PER_PAGE = 25
EXCERPT = 160


class DecisionForm(FlaskForm):
    """Confirm or dismiss: nothing to fill in but the CSRF token."""


def _verdict_filter() -> Verdict | None:
    try:
        return Verdict(request.args.get("verdict", ""))
    except ValueError:
        return None


def excerpt(text: str | None, length: int = EXCERPT) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= length else text[: length - 1].rstrip() + "…"


@bp.get("/c/<slug>/insight/campaigns/")
def list_campaigns(slug: str):
    """The clusters of copies, largest first, filtered by verdict."""
    consultation = load_consultation(slug)
    verdict = _verdict_filter()
    stmt = (
        sa.select(CopyCluster, Comment.text)
        .outerjoin(Comment, Comment.id == CopyCluster.representative_id)
        .where(CopyCluster.consultation_id == consultation.id)
        .order_by(CopyCluster.size.desc(), CopyCluster.id)
    )
    if verdict is not None:
        stmt = stmt.where(CopyCluster.verdict == verdict)
    page = paginate(stmt, page_number(request.args.get("page")), scalars=False)
    raw, deduplicated = copies.comment_counts(consultation.id)
    return render_template(
        "console/insight/campaigns.html",
        consultation=consultation,
        page=page,
        verdict=verdict,
        verdicts=list(Verdict),
        excerpt=excerpt,
        raw=raw,
        deduplicated=deduplicated,
    )


def _cluster(consultation: Consultation, cluster_id: int) -> CopyCluster:
    cluster = db.session.get(CopyCluster, cluster_id)
    if cluster is None or cluster.consultation_id != consultation.id:
        abort(404)
    return cluster


def _members(cluster_id: int) -> list[sa.Row]:
    """Every member: comment id, similarity, submitted at, address hash, stakeholder type."""
    return db.session.execute(
        sa.select(
            CopyMember.comment_id,
            CopyMember.similarity,
            Response.submitted_at,
            Response.address_hash,
            Response.stakeholder_type,
        )
        .join(Comment, Comment.id == CopyMember.comment_id)
        .join(Response, Response.id == Comment.response_id)
        .where(CopyMember.cluster_id == cluster_id)
        .order_by(Response.submitted_at, CopyMember.comment_id)
    ).all()


@bp.get("/c/<slug>/insight/campaigns/<int:cluster_id>")
def show_campaign(slug: str, cluster_id: int):
    """One cluster: its representative, how each copy differs, when, from where, from whom."""
    consultation = load_consultation(slug)
    cluster = _cluster(consultation, cluster_id)
    members = _members(cluster.id)
    representative = (
        db.session.get(Comment, cluster.representative_id) if cluster.representative_id else None
    )
    days = Counter(
        in_zone(m.submitted_at, consultation.time_zone).date() for m in members if m.submitted_at
    )
    mix = Counter(m.stakeholder_type for m in members)
    others = (
        sa.select(Comment.id, Comment.text, CopyMember.similarity)
        .join(CopyMember, CopyMember.comment_id == Comment.id)
        .where(CopyMember.cluster_id == cluster.id, Comment.id != (cluster.representative_id or 0))
        .order_by(CopyMember.similarity.desc(), Comment.id)
    )
    page = paginate(others, page_number(request.args.get("page")), COPIES_PER_PAGE, scalars=False)
    base = representative.text if representative else ""
    return render_template(
        "console/insight/campaign.html",
        consultation=consultation,
        cluster=cluster,
        representative=representative,
        copies=[(row, differences(base, row.text)) for row in page.items],
        page=page,
        days=sorted(days.items()),
        mix=mix.most_common(),
        addresses=len({m.address_hash for m in members if m.address_hash}),
        extends=db.session.get(CopyCluster, cluster.extends_id) if cluster.extends_id else None,
        form=DecisionForm(),
    )


def _decide(slug: str, cluster_id: int, confirm: bool):
    consultation = load_consultation(slug)
    cluster = _cluster(consultation, cluster_id)
    form = DecisionForm()
    try:
        if not form.validate_on_submit():
            raise ReviewError(_("the form has expired; try again"))
        if cluster.verdict != Verdict.SUGGESTED:
            raise ReviewError(_("this cluster has already been decided"))
        if confirm:
            campaign = copies.confirm(cluster, current_user)
        else:
            copies.dismiss(cluster, current_user)
    except ReviewError as exc:
        flash(_("Nothing was changed: %(why)s", why=str(exc)), "error")
        return redirect(url_for("console.show_campaign", slug=slug, cluster_id=cluster_id))
    if not confirm:
        flash(_("The cluster was dismissed: its comments count one by one."), "success")
        return redirect(url_for("console.list_campaigns", slug=slug))
    if campaign.id != cluster_id:
        flash(_("The copies were added to the campaign."), "success")
    else:
        flash(_("The campaign was confirmed: reports count it once, with its copies."), "success")
    return redirect(url_for("console.show_campaign", slug=slug, cluster_id=campaign.id))


@bp.post("/c/<slug>/insight/campaigns/<int:cluster_id>/confirm")
def confirm_campaign(slug: str, cluster_id: int):
    """Confirm a suggested cluster as a campaign (or add its copies to the one it extends)."""
    return _decide(slug, cluster_id, confirm=True)


@bp.post("/c/<slug>/insight/campaigns/<int:cluster_id>/dismiss")
def dismiss_campaign(slug: str, cluster_id: int):
    """Dismiss a suggested cluster: its comments are not copies of one another."""
    return _decide(slug, cluster_id, confirm=False)
