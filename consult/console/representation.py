"""Who is missing: respondents by region and gender against the population, so that
coordinators can reach out while the consultation is open (read-only, no run needed)."""

from __future__ import annotations

from flask import render_template

from ..insight.representation import Comparison
from ..models import Consultation
from ..models.columns import current_language
from ..public.routes import load_consultation
from ..reports.representation import representation
from ..reports.representation_tables import bands, representation_tables
from . import bp

#: How many of the most under-represented regions the dashboard names.
DASHBOARD_UNDER = 5


@bp.get("/c/<slug>/insight/representation/")
def show_representation(slug: str):
    """Tables per region and by gender, with the index in numbers and in words."""
    consultation = load_consultation(slug)
    comparisons = representation(consultation)
    return render_template(
        "console/insight/representation.html",
        consultation=consultation,
        tables=representation_tables(comparisons, consultation.profile),
        bands=bands(),
        missing=_missing(consultation, comparisons),
    )


def _missing(consultation: Consultation, comparisons: dict[str, Comparison]) -> dict:
    """Per field compared, the labels of the categories nobody responded from."""
    language = current_language()
    profile = consultation.profile
    return {
        key: [profile.label(key, code, language) for code in comparison.missing]
        for key, comparison in comparisons.items()
    }


def who_is_missing(consultation: Consultation) -> dict | None:
    """The dashboard's box: regions with no response and the most under-represented
    (None when there is no region population to compare with)."""
    comparison = representation(consultation, ("region",)).get("region")
    if comparison is None:
        return None
    language = current_language()
    profile = consultation.profile
    return {
        "missing": [profile.label("region", c, language) for c in comparison.missing],
        "under": [
            profile.label("region", c, language) for c in comparison.most_under(DASHBOARD_UNDER)
        ],
        "responses": comparison.base,
    }
