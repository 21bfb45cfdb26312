"""The words every download prints, in the report's language.

The language is Babel's current locale: the request's on the web, ``--lang`` for
``consult report`` (which writes under ``force_locale``). Codes stay the data (tidy CSV
and JSON keep them in their own columns); these functions give what a person reads:
the header of every output (title, audience, filters, count, time, privacy note) and
the labels of options, groups and other vocabularies. Profile codes (groups, types,
regions, age bands, further questions' answers) are named by the consultation's own
lists, which the report carries (``Report.profile``).
"""

from __future__ import annotations

import pandas as pd
from flask_babel import gettext as _
from flask_babel import pgettext

from ..models.columns import current_language
from ..models.profile import GROUPS_KEY, Profile
from ..models.vocab import Channel, RespondingAs, ShareBase, Vocabulary
from ..models.zones import moment_text
from .frames import Report
from .grouping import ALL, NOT_GIVEN, OTHER, OTHER_ACTOR, field_name


def language() -> str:
    """The report's language: "es" or "en"."""
    return "en" if current_language() == "en" else "es"


def banner(audience: str) -> str:
    """What every page or sheet of a download says about who may read it."""
    if audience == "confidential":
        return _("CONFIDENTIAL — coordinators only: do not share")
    return _("OPEN — aggregates for publication; small groups are pooled")


def demo_note() -> str:
    """What every page and output of a demonstration consultation says (``consult demo``)."""
    return _("Demonstration consultation: the responses are invented")


def privacy_note(report: Report) -> str | None:
    """The open-report rule in one sentence (and what follows from it); None if confidential."""
    if report.min_cell is None:
        return None
    return " ".join((group_rule(report.min_cell), _(
        "Figures of a question, a section or a theme are published when at least"
        " %(k)s respondents count in them; days with fewer than %(k)s new responses are"
        " merged into the following day.",
        k=report.min_cell,
    )))  # fmt: skip


def group_rule(k: int) -> str:
    """The open-report rule, as every open output states it."""
    return _("Groups with fewer than %(k)s responses are shown together as “Other groups”.", k=k)


def share_note(base: str) -> str:
    """What the agreement shares divide by, as every likert table and chart states it."""
    if ShareBase(base) is ShareBase.ANSWERED:
        return _(
            "Shares are of everyone who answered the question, “don't know” included;"
            " the mean (1–5) is of those who took a position."
        )
    return _(
        "Shares are of those who took a position (“don't know” left out); the share"
        " of “don't know” is of everyone who answered the question."
    )


def time_zone_note(zone: str) -> str:
    """The zone every time and day of a report is in, as each output states it."""
    return _("%(zone)s: every date, time and day in this report is in this time zone.", zone=zone)


def count_text(value) -> str:
    """A count as printed: the number, "<K" as it is, "—" when withheld."""
    if value is None or value is pd.NA or (isinstance(value, float) and value != value):
        return "—"
    return str(int(value)) if isinstance(value, int | float) else str(value)


def header_lines(report: Report) -> list[tuple[str, str]]:
    """What every output states first: title, audience, filters, count, time, privacy
    note, and what agreement shares divide by."""
    lines = [
        (_("Title"), report.title_in(language())),
        *([(_("Demonstration"), demo_note())] if report.demo else []),
        (_("Consultation"), report.slug),
        (_("Audience"), banner(report.audience)),
    ]
    *narrowing, breakdown = report.filters.describe(report.profile)
    lines += [(_("Filter: %(name)s", name=name), text) for name, text in narrowing]
    lines.append(breakdown)
    if report.filters.notes:
        lines.append((_("Filter values ignored"), ", ".join(report.filters.notes)))
    lines += [
        (_("Responses counted"), count_text(report.responses)),
        (_("Computed at"), moment_text(report.computed_at, report.time_zone)),
        (_("Time zone"), time_zone_note(report.time_zone)),
    ]
    note = privacy_note(report)
    if note:
        lines.append((_("Privacy"), note))
    lines.append((_("Agreement shares"), share_note(report.share_base)))
    return lines


def _row_name(code) -> str | None:
    """The name of a row that is no category of any list (overall, pooled, not given)."""
    if code == ALL:
        return _("All respondents")
    if code == NOT_GIVEN:
        return _("Not given")
    if code == OTHER:
        return _("Other groups")
    if code == OTHER_ACTOR:
        return pgettext("a quote's author, of a group too small to name", "Other")
    return None


def channel_label(key: str) -> str:
    """A row of the participation by channel: "Online form", "Imported file: a.csv" …"""
    special = _row_name(key)
    if special is not None:
        return special
    kind, _sep, file_name = str(key).partition(": ")
    if kind == "import" and file_name:
        return _("Imported file: %(file)s", file=file_name)
    return label_of(Channel, kind)


def label_of(vocabulary: type[Vocabulary], code) -> str:
    """A stored code's label; the overall row's name for "all"; the code if unknown."""
    special = _row_name(code)
    if special is not None:
        return special
    try:
        return vocabulary(code).label
    except ValueError:
        return str(code)


def category_label(profile: Profile, key: str, code) -> str:
    """A code of profile field ``key`` (or of the groups, ``"group"``) as the
    consultation names it in the report's language; the overall, pooled and "not given"
    rows by their names; the code itself if the list does not hold it."""
    special = _row_name(code)
    if special is not None:
        return special
    if key == "responding_as":
        return label_of(RespondingAs, code)
    return profile.label(key, str(code), language()) or str(code)


def group_label(profile: Profile, code) -> str:
    """A reporting group's label (or the overall's, the pool's …)."""
    return category_label(profile, GROUPS_KEY, code)


def breakdown_name(report: Report) -> str:
    """What the report's results are broken down by, as a column heading ("Region")."""
    return field_name(report.profile, report.by, language())


def breakdown_label(report: Report, code) -> str:
    """A category of the report's breakdown (a group, a region, an age band …)."""
    return category_label(report.profile, report.by, code)


def option_labels(report: Report) -> dict[tuple[str, str], str]:
    """(question, option code) → the option's label in the report's language."""
    column = "label_en" if language() == "en" else "label_es"
    options = report.options
    return {
        (q, o): label
        for q, o, label in zip(options["question"], options["option"], options[column], strict=True)
    }


def with_option_labels(report: Report, frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of a choice or ranking frame with ``option_label`` beside ``option``."""
    labels = option_labels(report)
    out = frame.copy()
    names = [labels.get((q, o), o) for q, o in zip(out["question"], out["option"], strict=True)]
    out.insert(list(out.columns).index("option") + 1, "option_label", names)
    return out


def contribution_labels(report: Report) -> dict[str, str]:
    """A contribution code → its label in the report's language (empty: none is asked)."""
    column = "label_en" if language() == "en" else "label_es"
    frame = report.contributions
    return dict(zip(frame["contribution"], frame[column], strict=True))


def with_contribution_labels(report: Report, frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of a comments or quotes frame with ``contribution_label`` beside
    ``contribution`` (empty where the comment says none)."""
    labels = contribution_labels(report)
    out = frame.copy()
    names = [
        labels.get(c, c) if isinstance(c, str) else None for c in out["contribution"].astype(object)
    ]
    out.insert(list(out.columns).index("contribution") + 1, "contribution_label", names)
    return out
