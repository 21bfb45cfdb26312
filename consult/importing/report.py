"""What an import found and would do, for people: lines of text the command prints, and
the rows the console's preview shows as they would be stored.

Problems come sorted by line, each with its column and reason; the summary counts the
rows read, to add (or added), already imported, repeated within the file and refused.
"""

from __future__ import annotations

from flask_babel import gettext as _

from ..models import Consultation
from . import labels
from .rows import Plan, Problem
from .writing import ImportResult


def problem_line(problem: Problem) -> str:
    if problem.column:
        return _(
            "line %(line)s, column “%(column)s”: %(why)s",
            line=problem.line,
            column=problem.column,
            why=str(problem.message),
        )
    return _("line %(line)s: %(why)s", line=problem.line, why=str(problem.message))


def problem_lines(plan: Plan) -> list[str]:
    return [problem_line(p) for p in sorted(plan.problems, key=lambda p: p.line)]


def summary_lines(result: ImportResult, *, dry_run: bool) -> list[str]:
    lines = [_("Rows read: %(n)s", n=result.rows_read)]
    if result.written:
        lines.append(_("Added: %(n)s", n=result.added))
    else:
        lines.append(_("To add: %(n)s", n=result.to_add))
    lines.append(_("Already imported (skipped): %(n)s", n=result.already))
    if result.repeated:
        lines.append(_("Repeated within the file (skipped): %(n)s", n=result.repeated))
    lines.append(_("Refused (with problems): %(n)s", n=result.refused))
    if result.blank:
        lines.append(_("Blank rows: %(n)s", n=result.blank))
    if dry_run:
        lines.append(_("Dry run: nothing was written."))
    elif not result.written:
        lines.append(
            _(
                "Nothing was written: correct the file or the mapping, or import only the"
                " valid rows with --skip-invalid."
            )
        )
    return lines


#: Rows the preview shows.
PREVIEW_ROWS = 20


def preview(plan: Plan, consultation: Consultation, language: str, limit: int = PREVIEW_ROWS):
    """The first valid rows as they would be stored, in ``language``'s labels: the line,
    when it was given (naive UTC, as stored), the profile, answers and comments."""
    profile = consultation.profile
    questions = {q.key: q for q in consultation.questions}
    sections = {s.key: s for s in consultation.sections}
    rows = []
    for planned in plan.valid[:limit]:
        shown = []
        for key in (
            "responding_as",
            "stakeholder_type",
            "organisation_size",
            "region",
            "gender",
            "age_band",
        ):
            code = planned.columns.get(key)
            if code is not None:
                label = labels.profile_target(consultation, key).label(code, language)
                shown.append(
                    label if key == "responding_as" else profile.label(key, code, language)
                )
        for key, code in planned.traits.items():
            shown.append(profile.label(key, code, language))
        answers = []
        for key, value in planned.answers.items():
            question = questions[key]
            target = labels.question_target(question, 0)
            if isinstance(value, list):
                text = "; ".join(target.label(code, language) for code in value)
            elif target.listed:
                text = target.label(str(value), language)
            else:
                text = _shorten(str(value))
            answers.append((question.prompt, text))
        comments = [
            (sections[key].number, _shorten(text)) for key, (text, _c) in planned.comments.items()
        ]
        rows.append(
            {
                "line": planned.line,
                "submitted_at": planned.submitted_at,
                "profile": [s for s in shown if s],
                "publication": planned.columns.get("publication"),
                "answers": answers,
                "comments": comments,
            }
        )
    return rows


def _shorten(text: str, size: int = 120) -> str:
    return text if len(text) <= size else text[: size - 1].rstrip() + "…"
