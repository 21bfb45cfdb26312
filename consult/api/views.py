"""The endpoints of the JSON API: load what is public, ask the readers, serialise, reply.

Public means what the public pages show (``published``): a consultation once out of
preparation and not archived (no coordinator preview here: the API reads no session),
its results once published, its comments as published, its themes and decisions once
the outcome is.
"""

from __future__ import annotations

import sqlalchemy as sa
from flask import abort, url_for
from flask_babel import force_locale

from ..extensions import db
from ..models import Consultation
from ..models.vocab import Stage
from ..outcome.summary import outcome_summary
from ..public.cache import kept_consultation
from ..public.results import results_page
from ..published import (
    FilterRefused,
    open_figures,
    outcome_public,
    public_decisions,
    public_themes,
    published_comments,
    results_public,
)
from ..reports.writers.json_document import to_json
from . import bp, params, serialise
from .freshness import consultation_changed, detail_changed, served_since
from .problems import InvalidParam, ParametersRefused
from .replies import MEDIA_TYPE, as_bytes, bytes_reply, json_reply


def listed() -> list[Consultation]:
    """The consultations anyone may read, newest first (as the home page lists them)."""
    return list(
        db.session.scalars(
            sa.select(Consultation)
            .where(Consultation.stage != Stage.PREPARATION, Consultation.archived_at.is_(None))
            .order_by(Consultation.opens_at.desc(), Consultation.id)
        )
    )


def public_consultation(slug: str) -> Consultation:
    """The shared copy of a consultation anyone may read (the text people were consulted
    on until the outcome is published), or 404."""
    consultation = kept_consultation(slug)
    if consultation.stage is Stage.PREPARATION or consultation.archived_at is not None:
        abort(404)
    return consultation


def _served(data) -> object:
    """A reply whose Last-Modified is when this process first sent these bytes."""
    body = as_bytes(data)
    return bytes_reply(body, MEDIA_TYPE, last_modified=served_since(body))


@bp.get("/v1/consultations")
def list_consultations():
    """Every public consultation, newest first."""
    consultations = listed()
    data = {
        "items": [serialise.consultation_summary(c) for c in consultations],
        "links": {
            "self": url_for("api.list_consultations", _external=True),
            "openapi": url_for("api.get_openapi", _external=True),
        },
    }
    changed = max((consultation_changed(c) for c in consultations), default=None)
    return json_reply(data, last_modified=changed) if changed else _served(data)


@bp.get("/v1/consultations/<slug>")
def get_consultation(slug: str):
    """One consultation with its sections and questions."""
    consultation = public_consultation(slug)
    data = serialise.consultation_detail(consultation)
    return json_reply(data, last_modified=detail_changed(consultation))


@bp.get("/v1/consultations/<slug>/results")
def get_results(slug: str):
    """The published open report: the figures of the public results page, as its JSON."""
    consultation = public_consultation(slug)
    language = params.language()
    if not results_public(consultation):
        abort(404)
    with force_locale(language):
        report = results_page(consultation)["report"]
        body = to_json(report)
    return bytes_reply(body, MEDIA_TYPE, last_modified=report.computed_at)


@bp.get("/v1/consultations/<slug>/comments")
def list_comments(slug: str):
    """One page of the published comments, filtered by section, passage, group or theme."""
    consultation = public_consultation(slug)
    figures = open_figures(consultation)
    groups = [g for g in consultation.profile.group_codes if g in figures.shown_groups]
    themes = public_themes(consultation)
    asked = params.comment_query(consultation, groups, themes)
    try:
        page = published_comments(
            consultation,
            section=asked.section,
            group=asked.stakeholder_group,
            theme=asked.theme,
            page=asked.page,
            per_page=asked.per_page,
            anchor=asked.anchor,
        )
    except FilterRefused as refused:
        raise ParametersRefused([InvalidParam(refused.field, str(refused))], missing=True) from None
    if asked.page > page.pages:
        raise params.page_beyond(page.pages)
    data = serialise.comment_page(consultation, page, _page_links(slug, asked, page.pages))
    return _served(data)


def _page_links(slug: str, asked: params.CommentQuery, pages: int) -> dict[str, str | None]:
    """First, previous, next and last pages, with the same filters."""
    filters = {
        name: value
        for name, value in (
            ("section", asked.section),
            ("stakeholder_group", asked.stakeholder_group),
            ("theme", asked.theme),
            ("anchor", asked.anchor),
        )
        if value is not None
    }

    def page(number: int) -> str:
        return url_for(
            "api.list_comments",
            slug=slug,
            **filters,
            page=number,
            per_page=asked.per_page,
            _external=True,
        )

    return {
        "self": page(asked.page),
        "first": page(1),
        "prev": page(asked.page - 1) if asked.page > 1 else None,
        "next": page(asked.page + 1) if asked.page < pages else None,
        "last": page(pages),
    }


@bp.get("/v1/consultations/<slug>/decisions")
def get_decisions(slug: str):
    """The decisions on themes and sections, once the outcome is published."""
    consultation = public_consultation(slug)
    if not outcome_public(consultation):
        abort(404)
    return _served(serialise.decisions(consultation, public_decisions(consultation)))


@bp.get("/v1/consultations/<slug>/outcome")
def get_outcome(slug: str):
    """ "You said, we did": what became of what people said, once published."""
    consultation = public_consultation(slug)
    language = params.language()
    if not outcome_public(consultation):
        abort(404)
    figures = open_figures(consultation)
    with force_locale(language):
        summary = outcome_summary(
            consultation, min_cell=figures.min_cell, shown_types=figures.shown_types
        )
        data = serialise.outcome(
            consultation, summary, language=language, responses=figures.report.responses
        )
    return _served(data)
