"""The final report, "Informe de la consulta": the open results report, then what became
of what people said (themes and their decisions, sections' decisions, the changes made in
the new version, what was not taken up and why).

Written from an opened report (``privacy.open_report``: small groups pooled) and the
outcome summary (``outcome.summary``), in the report's language (Babel's current locale).
"""

from __future__ import annotations

from flask_babel import gettext as _

from ...outcome.summary import Decided, DecisionCount, OutcomeSummary, SectionOutcome
from ..frames import Report
from ..labels import banner, count_text
from .pdf import Document, front_page, one_line, results_pages


def to_outcome_pdf(report: Report, summary: OutcomeSummary) -> bytes:
    """The printable final report of a consultation. Needs an app context."""
    if report.audience != "open" or report.min_cell is None:
        raise ValueError("the final report is published: write it from an opened report")
    title = _("Consultation report")
    pdf = Document(banner(report.audience), title)
    pdf.add_page()
    front_page(pdf, report, title)
    pdf.line_of_text(
        _(
            "This report gives the results of the consultation, then what became of what"
            " people said: the themes of their comments and what was decided on each, the"
            " decisions on each section, the changes made in the new version of the draft"
            " and what was not taken up, and why."
        )
    )
    results_pages(pdf, report)
    outcome_pages(pdf, summary)
    return bytes(pdf.output())


def _decision(decided: Decided | None) -> str:
    return decided.decision.label if decided else _("No decision recorded")


def _section_name(section: SectionOutcome) -> str:
    return f"{section.number} {section.title}"


def outcome_pages(pdf: Document, summary: OutcomeSummary) -> None:
    """Themes, sections' decisions, changes and what was not taken up, numbered after
    the results' six parts."""
    _themes(pdf, summary)
    _sections(pdf, summary)
    _changes(pdf, summary)
    _not_taken_up(pdf, summary)


def _themes(pdf: Document, summary: OutcomeSummary) -> None:
    pdf.heading(_("7. What people said: the main themes and what was decided"))
    if not summary.themes:
        pdf.line_of_text(_("No comment has been tagged with a theme."))
        return
    pdf.grid(
        [_("Theme"), _("Comments"), _("Decision")],
        [[t.name, count_text(t.comments), _decision(t.decision)] for t in summary.themes],
        (3, 1, 1.6),
    )
    for theme in summary.themes:
        pdf.line_of_text(f"{theme.name} — {_decision(theme.decision)}", bold=True)
        if theme.decision:
            pdf.line_of_text(_("Reason: %(reason)s", reason=one_line(theme.decision.reason)))
        for quote in theme.quotes:
            pdf.line_of_text(f"«{one_line(quote.text)}» — {quote.author or _('Anonymous')}")
        pdf.ln(1)


def _decision_counts(pdf: Document, counts: list[DecisionCount]) -> None:
    pdf.line_of_text(_("Comments by the decision that applies to them"), bold=True)
    pdf.grid(
        [_("Decision"), _("Comments"), _("Of which answered one by one")],
        [[c.decision.label, count_text(c.applied), count_text(c.own)] for c in counts],
        (2, 1, 1.5),
    )
    pdf.note(
        _(
            "A comment's own decision comes first; without one, the decisions on its themes"
            " apply; without those, the decision on its section. A comment under two themes"
            " decided differently counts under both."
        )
    )


def _sections(pdf: Document, summary: OutcomeSummary) -> None:
    pdf.heading(_("8. Decisions on each section, and on comments"))
    if not summary.sections:
        pdf.line_of_text(_("No decision on a section has been recorded."))
    for section in summary.sections:
        pdf.line_of_text(f"{_section_name(section)} — {_decision(section.decision)}", bold=True)
        if section.decision:
            pdf.line_of_text(_("Reason: %(reason)s", reason=one_line(section.decision.reason)))
        pdf.ln(1)
    if summary.comment_decisions:
        _decision_counts(pdf, summary.comment_decisions)


def _changes(pdf: Document, summary: OutcomeSummary) -> None:
    pdf.heading(_("9. Changes made in the new version of the draft"))
    if not summary.changes:
        pdf.line_of_text(_("No change to the draft has been published."))
        return
    for change in summary.changes:
        pdf.line_of_text(
            _(
                "Version %(version)s — %(section)s",
                version=change.version,
                section=_section_name(change.section),
            ),
            bold=True,
        )
        if change.explanation:
            pdf.line_of_text(one_line(change.explanation))
        if change.themes:
            answers = "; ".join(
                _("%(theme)s (comments: %(n)s)", theme=t.name, n=count_text(t.comments))
                for t in change.themes
            )
            pdf.line_of_text(_("This change answers: %(answers)s", answers=answers))
        if change.comments:
            pdf.line_of_text(
                _("Comments linked to this change: %(n)s", n=count_text(change.comments))
            )
        pdf.ln(1)


def _not_taken_up(pdf: Document, summary: OutcomeSummary) -> None:
    pdf.heading(_("10. What was not taken up, and why"))
    left = summary.not_taken_up
    if not left:
        pdf.line_of_text(_("Nothing was recorded as not accepted or outside the scope."))
        return
    for theme in left.themes:
        pdf.line_of_text(
            _(
                "Theme: %(theme)s — %(decision)s (comments: %(num)s)",
                theme=theme.name,
                decision=_decision(theme.decision),
                num=count_text(theme.comments),
            ),
            bold=True,
        )
        pdf.line_of_text(_("Reason: %(reason)s", reason=one_line(theme.decision.reason)))
    for section in left.sections:
        pdf.line_of_text(
            _(
                "Section: %(section)s — %(decision)s",
                section=_section_name(section),
                decision=_decision(section.decision),
            ),
            bold=True,
        )
        pdf.line_of_text(_("Reason: %(reason)s", reason=one_line(section.decision.reason)))
    if left.comments:
        _decision_counts(pdf, left.comments)
    pdf.note(
        _(
            "A figure of fewer than %(k)s is printed as “<%(k)s”, as the open report does.",
            k=summary.min_cell,
        )
    )
