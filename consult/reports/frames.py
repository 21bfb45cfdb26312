"""The report: every frame, computed for one consultation and one set of filters.

SQL does the counting (GROUP BY); pandas shapes the results. Nothing loads whole tables:
every query returns one row per group, except the quotes and the word counts, which read
a bounded number of comment texts per section. Results are broken down by one field of
the consultation's profile (``ReportFilters.by``): its reporting groups by default, or any
field its form asks from a list; the ``group`` column holds that field's codes and the
row with ``group == "all"`` is the overall figure.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

import pandas as pd
import sqlalchemy as sa

from ..extensions import db
from ..insight.representation import Comparison
from ..models import Consultation
from ..models.columns import utcnow
from ..models.profile import Profile
from ..models.vocab import ShareBase
from ..models.zones import in_zone
from .campaigns import COLUMNS as CAMPAIGN_COLUMNS
from .campaigns import campaign_frame
from .comments import comment_matrix, contribution_table, quotes, theme_matrix, top_terms
from .filters import ReportFilters, counted_responses
from .gates import gate_matrix
from .participation import by_channel, participation
from .passages import COLUMNS as PASSAGE_COLUMNS
from .passages import passage_matrix
from .questions import (
    choice_results,
    likert_results,
    option_table,
    question_table,
    ranking_results,
    section_table,
    shared_passes,
)
from .representation import compare_fields, reference_tables


@dataclass
class Report:
    """Every part of the report, ready for any writer."""

    slug: str
    #: The consultation's title in Spanish; ``title_en`` in English (empty if none).
    title: str
    title_en: str
    #: "open" (public: small groups pooled, published text only) or "confidential".
    audience: str
    filters: ReportFilters
    #: When it was computed, as an aware time in ``time_zone``.
    computed_at: datetime
    #: The consultation's time zone (IANA name): every time and day of the report is in it.
    time_zone: str
    #: Responses counted; in an open report "<K" below K (``privacy.open_report``).
    responses: int | str | None
    participation: dict[str, pd.DataFrame]
    likert: pd.DataFrame
    choices: pd.DataFrame
    ranking: pd.DataFrame
    comments: pd.DataFrame
    themes: pd.DataFrame
    quotes: pd.DataFrame
    terms: pd.DataFrame
    #: Per gated section, the counted respondents who chose to answer it (its base).
    gates: pd.DataFrame
    #: What a comment may contribute to: codes with their labels in both languages.
    contributions: pd.DataFrame
    questions: pd.DataFrame
    sections: pd.DataFrame
    #: The options of choice and ranking questions, with their labels in both languages.
    options: pd.DataFrame
    #: What the agreement shares divide by (``ShareBase``), as the consultation chose;
    #: every output states it, and the likert frame carries both counts.
    share_base: ShareBase
    #: The consultation's respondent profile: the lists, labels and groups the frames'
    #: codes come from (read-only; writers label every category through it).
    profile: Profile
    #: K of the open-report rule, once ``privacy.open_report`` has applied it.
    min_cell: int | None = None
    #: Who is missing: per field with a reference population (region, gender), the
    #: respondents against it (``insight.representation``); opened like participation.
    representation: dict[str, Comparison] = field(default_factory=dict)
    #: Confirmed campaigns' copies and the comments raw and with each campaign once
    #: (``campaigns.campaign_frame``); empty when no campaign is confirmed.
    campaigns: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=CAMPAIGN_COLUMNS))
    #: Comments on each passage of a section's text (not on the section as a whole) and
    #: how many propose new wording, by the breakdown (``passages.passage_matrix``).
    passages: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=PASSAGE_COLUMNS))
    #: A demonstration filled with invented responses (``consult demo``): every output says so.
    demo: bool = False

    @property
    def by(self) -> str:
        """The profile field the results are broken down by ("group" by default)."""
        return self.filters.by

    def title_in(self, language: str) -> str:
        return (self.title_en or self.title) if language == "en" else self.title


def build_report(
    consultation: Consultation,
    filters: ReportFilters | None = None,
    *,
    audience: str = "confidential",
    quotes_per_section: int | None = 50,
) -> Report:
    """Compute the whole report for a consultation.

    For the "open" audience the word counts read only published text (redacted where
    redacted), as the quotes do; small groups are pooled later, by the writers'
    privacy step (``privacy.open_report``), on the same frames.
    """
    if audience not in ("open", "confidential"):
        raise ValueError(f"unknown audience {audience!r}")
    filters = filters or ReportFilters()
    counted = counted_responses(consultation, filters).cte("counted")
    total = db.session.scalar(sa.select(sa.func.count()).select_from(counted))
    with shared_passes():
        taking_part = participation(counted, consultation.profile, consultation.time_zone)
        # Online, each imported file, paper: the files only in the confidential report.
        taking_part["channel"] = by_channel(counted, files=audience != "open")
        return Report(
            slug=consultation.slug,
            title=consultation.title_es,
            title_en=consultation.title_en or "",
            audience=audience,
            filters=filters,
            computed_at=in_zone(utcnow(), consultation.time_zone),
            time_zone=consultation.time_zone,
            responses=total,
            participation=taking_part,
            likert=likert_results(consultation, counted),
            choices=choice_results(consultation, counted),
            ranking=ranking_results(consultation, counted),
            comments=comment_matrix(consultation, counted, filters),
            passages=passage_matrix(consultation, counted, filters),
            themes=theme_matrix(consultation, counted, filters),
            quotes=quotes(consultation, counted, per_section=quotes_per_section),
            terms=top_terms(consultation, counted, filters, published_only=audience == "open"),
            gates=gate_matrix(consultation, counted),
            contributions=contribution_table(consultation),
            questions=question_table(consultation),
            sections=section_table(consultation),
            options=option_table(consultation),
            share_base=ShareBase(consultation.share_base),
            profile=consultation.profile,
            representation=_representation(consultation, taking_part, filters),
            campaigns=campaign_frame(consultation, counted, filters),
            demo=consultation.is_demo,
        )


def _representation(
    consultation: Consultation, taking_part: dict[str, pd.DataFrame], filters: ReportFilters
) -> dict[str, Comparison]:
    """Who is missing, from the participation counts (no query of its own but the table)."""
    tables = reference_tables(consultation)
    counts = {
        key: dict(
            zip(taking_part[key][key].astype(str), taking_part[key]["responses"], strict=True)
        )
        for key in tables
        if key in taking_part
    }
    return compare_fields(counts, tables, filters)
