"""What an import found and did, as lines of text: the command prints them.

Problems come sorted by line, each with its column and reason; the summary counts the
rows read, to add (or added), already imported, repeated within the file and refused.
"""

from __future__ import annotations

from flask_babel import gettext as _

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
