"""``consult import-responses``: a file and a mapping in, problems and a summary out.

The click command (``cli.py``) only parses options; this runs the steps and returns the
exit status: 0 when it did what was asked, 2 when the file, the mapping or a row has a
problem and nothing was written (a dry run with problems is 2 too, so a script can stop).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import click
import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _

from ..extensions import db
from ..models import Consultation
from ..models.vocab import Channel
from .mapping import MappingError, dump_mapping, load_mapping
from .reading import MAX_FILE_BYTES, TableRefused, read_table
from .report import problem_lines, summary_lines
from .rows import plan_import
from .suggest import suggest_mapping
from .writing import ImportConflict, import_rows

PROBLEMS = 2


def run_import(
    slug: str,
    file: str,
    mapping_path: str | None,
    *,
    dry_run: bool = False,
    skip_invalid: bool = False,
    channel: str | None = None,
    suggest_to: str | None = None,
    echo: Callable[..., None] = click.echo,
) -> int:
    consultation = db.session.scalar(sa.select(Consultation).filter_by(slug=slug))
    if consultation is None:
        echo(_("No consultation has the slug “%(slug)s”.", slug=slug), err=True)
        return PROBLEMS
    path = Path(file)
    if path.stat().st_size > MAX_FILE_BYTES:
        echo(_("The file is larger than %(n)s MB.", n=MAX_FILE_BYTES // (1024 * 1024)), err=True)
        return PROBLEMS
    try:
        table = read_table(path.read_bytes(), path.name)
    except TableRefused as refused:
        echo(_("%(file)s: %(why)s", file=path.name, why=str(refused.message)), err=True)
        return PROBLEMS
    if suggest_to:
        heading = _(
            "Suggested mapping of %(file)s for %(slug)s: check every line before using it.",
            file=path.name,
            slug=slug,
        )
        text = dump_mapping(suggest_mapping(table, consultation), heading)
        if suggest_to == "-":
            echo(text)
        else:
            Path(suggest_to).write_text(text, encoding="utf-8")
            echo(_("The suggested mapping is written to %(path)s.", path=suggest_to))
        return 0
    if not mapping_path:
        echo(
            _("Give a mapping (--mapping FILE.yaml) or ask for one (--suggest-mapping)."), err=True
        )
        return PROBLEMS
    try:
        mapping = load_mapping(Path(mapping_path).read_text(encoding="utf-8"))
    except (MappingError, UnicodeDecodeError) as error:
        for message in getattr(error, "messages", [error]):
            echo(_("Mapping: %(why)s", why=str(message)), err=True)
        return PROBLEMS
    if channel:
        mapping.channel = Channel(channel)
    plan = plan_import(
        table, mapping, consultation, max_chars=current_app.config["MAX_COMMENT_CHARS"]
    )
    if plan.mapping_errors:
        for message in plan.mapping_errors:
            echo(_("Mapping: %(why)s", why=str(message)), err=True)
        return PROBLEMS
    try:
        result = import_rows(
            table, mapping, consultation, plan, skip_invalid=skip_invalid, dry_run=dry_run
        )
    except ImportConflict:
        echo(_("The same rows were imported at the same moment; nothing was added. Try again."))
        return PROBLEMS
    for line in problem_lines(plan):
        echo(line, err=True)
    if plan.unmapped:
        echo(
            _(
                "Columns not in the mapping (left out): %(columns)s",
                columns=", ".join(plan.unmapped),
            )
        )
    for line in summary_lines(result, dry_run=dry_run):
        echo(line)
    if plan.problems and not result.written:
        return PROBLEMS
    return 0
