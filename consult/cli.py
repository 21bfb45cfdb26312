"""The ``consult`` command: Flask's CLI bound to the app factory, plus consult's commands."""

from __future__ import annotations

import functools
import os
from datetime import UTC, datetime
from pathlib import Path

import click
import sqlalchemy as sa
from flask import Flask, current_app
from flask.cli import FlaskGroup, with_appcontext
from flask_migrate import upgrade

from .content.bundles import ContentError, LoadReport, bundle_path, load_bundle, read_bundle
from .extensions import db
from .models import Consultation
from .models.vocab import Channel, Role, RunStatus
from .models.zones import zone_info
from .outcome.versions import load_new_version
from .reviewing.accounts import AccountError, create_user

_DATE_FORMATS = ["%Y-%m-%d", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]


def _to_utc(moment: datetime | None, time_zone: str) -> datetime | None:
    """Read a command-line date in the consultation's time zone, as stored (naive UTC)."""
    if moment is None:
        return None
    return moment.replace(tzinfo=zone_info(time_zone)).astimezone(UTC).replace(tzinfo=None)


def _print_report(report: LoadReport) -> None:
    if not report.changed:
        click.echo(f"{report.slug}: already up to date, nothing changed.")
        return
    click.echo(
        f"{report.slug}: {len(report.created)} created, {len(report.updated)} updated,"
        f" {len(report.deleted)} deleted."
    )
    for verb, items in (("+", report.created), ("~", report.updated), ("-", report.deleted)):
        for item in items:
            click.echo(f"  {verb} {item}")


def needs_schema(command):
    """Run a command on a database with consult's tables: a new, empty one is set up first
    (as ``consult init`` does); an older one is named, with what to run, and not touched."""

    @functools.wraps(command)
    def wrapper(*args, **kwargs):
        from .maintenance.schema import BEHIND, EMPTY, schema_state

        state = schema_state()
        if state == EMPTY:
            click.echo("A new database: creating its tables first, as `consult init` does.")
            upgrade()
        elif state == BEHIND:
            raise click.ClickException(
                "The database is older than this version of consult: run `consult init`"
                " to upgrade it, then try again."
            )
        return command(*args, **kwargs)

    return wrapper


def initialise() -> None:
    """Migrate to head; load the bundled consultation if the database has none (a
    demonstration, ``consult demo``, is not one: it may come first)."""
    upgrade()
    real = sa.select(sa.func.count()).select_from(Consultation).where(~Consultation.is_demo)
    if db.session.scalar(real) == 0:
        report = load_bundle(
            current_app.config["DEFAULT_BUNDLE"],
            window_days=current_app.config["DEFAULT_WINDOW_DAYS"],
        )
        _print_report(report)
    else:
        click.echo("A consultation is already loaded; nothing to load.")


@click.command("init")
@with_appcontext
def init_command() -> None:
    """Create or upgrade the database and load the bundled draft strategy (safe to rerun)."""
    initialise()


@click.command("load-consultation")
@click.argument("path")
@click.option(
    "--opens",
    type=click.DateTime(_DATE_FORMATS),
    help="Opening, in the consultation's time zone (the bundle's time_zone).",
)
@click.option(
    "--closes",
    type=click.DateTime(_DATE_FORMATS),
    help="Closing, in the consultation's time zone (the bundle's time_zone).",
)
@click.option(
    "--new-version",
    is_flag=True,
    help="Load the bundle as the next version of the draft of the consultation with its slug.",
)
@click.option("--note-es", default="", help="With --new-version: what this version is, in Spanish.")
@click.option("--note-en", default="", help="With --new-version: what this version is, in English.")
@with_appcontext
@needs_schema
def load_consultation_command(
    path: str,
    opens: datetime | None,
    closes: datetime | None,
    new_version: bool,
    note_es: str,
    note_en: str,
) -> None:
    """Create or update a consultation from a bundle folder (or a shipped bundle's name)."""
    if new_version:
        if opens or closes:
            raise click.UsageError("--new-version keeps the dates: leave out --opens and --closes")
        try:
            loaded = load_new_version(path, note_es=note_es, note_en=note_en)
        except ContentError as exc:
            raise click.ClickException(str(exc)) from exc
        click.echo(
            f"version {loaded.number} of {loaded.report.slug} is now current;"
            f" sections changed: {', '.join(loaded.changed)}"
        )
        return
    if note_es or note_en:
        raise click.UsageError("--note-es and --note-en go with --new-version")
    try:
        window = {}
        if opens or closes:  # in the bundle's time zone, which only the bundle knows
            zone = read_bundle(bundle_path(path))["time_zone"]
            window = {"opens": _to_utc(opens, zone), "closes": _to_utc(closes, zone)}
        report = load_bundle(
            path,
            **window,
            window_days=current_app.config["DEFAULT_WINDOW_DAYS"],
        )
    except ContentError as exc:
        raise click.ClickException(str(exc)) from exc
    _print_report(report)


def default_workers() -> int:
    """Worker processes: ``CONSULT_WORKERS``, else one per core (Python runs one per core)."""
    return int(os.environ.get("CONSULT_WORKERS") or os.cpu_count() or 1)


def default_threads() -> int:
    """Threads per worker: ``CONSULT_THREADS``, else 4 (they wait on the database and clients)."""
    return int(os.environ.get("CONSULT_THREADS") or 4)


@click.command("serve")
@click.option(
    "--host",
    default=lambda: os.environ.get("CONSULT_HOST", "127.0.0.1"),
    help="Address to listen on [env CONSULT_HOST; default: 127.0.0.1; 0.0.0.0 for all].",
)
@click.option(
    "--port",
    type=int,
    default=lambda: int(os.environ.get("CONSULT_PORT", "5000")),
    help="Port [env CONSULT_PORT; default: 5000].",
)
@click.option(
    "--workers",
    type=click.IntRange(min=1),
    default=default_workers,
    help="Worker processes [env CONSULT_WORKERS; default: one per core].",
)
@click.option(
    "--threads",
    type=click.IntRange(min=1),
    default=default_threads,
    help="Threads per worker [env CONSULT_THREADS; default: 4].",
)
@click.option(
    "--access-log/--no-access-log",
    default=lambda: os.environ.get("CONSULT_ACCESS_LOG", "true").lower() not in _FALSE,
    help="One line per request on standard output [env CONSULT_ACCESS_LOG; default: on].",
)
@click.option("--debug", is_flag=True, help="Flask's development server instead, for development.")
@click.option(
    "--mail/--no-mail",
    default=True,
    help="Send queued receipts on a thread of this process [default: on where MAIL_SERVER"
    " is set and MAIL_WORKER is true].",
)
@with_appcontext
def serve_command(
    host: str, port: int, workers: int, threads: int, access_log: bool, debug: bool, mail: bool
) -> None:
    """Serve consult with gunicorn; the first run sets up the database and loads the draft."""
    from . import serving

    initialise()
    app = current_app._get_current_object()
    if debug:
        serving.serve_development(app, host=host, port=port)
        return
    db.engine.dispose()  # connections must not be shared across the forked workers
    if mail:
        _start_mail_thread(app)
    serving.serve(
        app, host=host, port=port, workers=workers, threads=threads, access_log=access_log
    )


_FALSE = {"0", "false", "no", "off"}


def _start_mail_thread(app: Flask) -> None:
    """The receipts' worker on a thread of the serving process (gunicorn's master, never
    one per worker), where the site sends mail and MAIL_WORKER leaves it on."""
    from .mail.sending import MailNotConfigured, check_settings, start_thread

    if not app.config.get("MAIL_SERVER") or not app.config.get("MAIL_WORKER", True):
        return
    try:
        check_settings()
    except MailNotConfigured as missing:
        click.echo(f"Warning: receipts are queued but not sent: {missing}.", err=True)
        return
    start_thread(app)
    click.echo(f"Sending queued receipts every {app.config['MAIL_POLL_SECONDS']} s.")


@click.command("send-mail")
@click.option("--once", is_flag=True, help="Send what is due now, print the counts and exit.")
@with_appcontext
@needs_schema
def send_mail_command(once: bool) -> None:
    """Send the queued receipts (every MAIL_POLL_SECONDS until interrupted, or --once)."""
    from .mail.sending import MailNotConfigured, check_settings, run_forever, send_due

    try:
        check_settings()
    except MailNotConfigured as missing:
        raise click.ClickException(f"{missing}. Nothing was sent.") from missing
    if once:
        report = send_due()
        click.echo(f"sent: {report.sent}, failed: {report.failed}, waiting: {report.waiting}")
        return
    click.echo(
        f"Sending queued receipts every {current_app.config['MAIL_POLL_SECONDS']} s; Ctrl+C stops."
    )
    try:
        run_forever()
    except KeyboardInterrupt:
        click.echo("Stopped.")


@click.command("create-user")
@click.argument("email")
@click.option(
    "--role",
    type=click.Choice([r.value for r in Role]),
    default=Role.COORDINATOR.value,
    show_default=True,
)
@click.option("--generate-password", is_flag=True, help="Generate a password and print it once.")
@with_appcontext
@needs_schema
def create_user_command(email: str, role: str, generate_password: bool) -> None:
    """Create a coordinator or admin account (the password is prompted, or generated)."""
    password = None
    if not generate_password:
        password = click.prompt(
            "Password (at least 12 characters)", hide_input=True, confirmation_prompt=True
        )
    try:
        user, generated = create_user(email, Role(role), password)
    except AccountError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"Created {user.role.value} {user.email}.")
    if generated:
        click.echo(f"Password (shown only now): {generated}")


def _check_codes(slug: str, option: str, values: tuple[str, ...], known: list[str]) -> None:
    """Refuse a code the consultation's profile does not hold, naming those it does."""
    unknown = [v for v in values if v not in known]
    if unknown:
        allowed = ", ".join(known) or "none: the consultation does not ask it"
        raise click.BadParameter(
            f"{', '.join(unknown)} is not one of {slug}'s codes ({allowed}).", param_hint=option
        )


@click.command("report")
@click.option("--consultation", "slug", required=True, help="The consultation's slug.")
@click.option("--format", "fmt", type=click.Choice(["xlsx", "csv", "json", "pdf"]), required=True)
@click.option("--open", "is_open", is_flag=True, help="The open version: small groups pooled.")
@click.option(
    "--outcome",
    is_flag=True,
    help="With --format pdf: the final report, 'Informe de la consulta' (the open version,"
    " then the themes, decisions, changes and what was not taken up).",
)
@click.option(
    "--out", type=click.Path(dir_okay=False, writable=True), required=True, help="File to write."
)
@click.option(
    "--stakeholder-type",
    "stakeholder_types",
    multiple=True,
    help="Count only this type (a code of the consultation's list; repeat for more).",
)
@click.option(
    "--region",
    "regions",
    multiple=True,
    help="Count only this region (a code of the consultation's list; repeat for more).",
)
@click.option(
    "--channel",
    "channels",
    type=click.Choice([c.value for c in Channel]),
    multiple=True,
    help="Count only responses that came this way (online, import, paper; repeat for more).",
)
@click.option(
    "--by",
    default="group",
    show_default=True,
    help="Break results down by this profile field (group, region, age_band, a further"
    " question's key …: one the consultation asks from a list).",
)
@click.option("--from", "date_from", type=click.DateTime(["%Y-%m-%d"]), help="First day.")
@click.option("--to", "date_to", type=click.DateTime(["%Y-%m-%d"]), help="Last day.")
@click.option(
    "--lang",
    type=click.Choice(["es", "en"]),
    default="es",
    show_default=True,
    help="Language of the report's words.",
)
@with_appcontext
@needs_schema
def report_command(
    slug: str,
    fmt: str,
    is_open: bool,
    outcome: bool,
    out: str,
    stakeholder_types: tuple[str, ...],
    regions: tuple[str, ...],
    channels: tuple[str, ...],
    by: str,
    date_from: datetime | None,
    date_to: datetime | None,
    lang: str,
) -> None:
    """Write a consultation's report (confidential unless --open) as XLSX, CSV, JSON or PDF."""
    from flask_babel import force_locale
    from sqlalchemy.orm import selectinload

    from .reports.downloads import export
    from .reports.filters import ReportFilters
    from .reports.grouping import breakdowns

    consultation = db.session.scalar(
        sa.select(Consultation)
        .filter_by(slug=slug)
        .options(selectinload(Consultation.sections), selectinload(Consultation.questions))
    )
    if consultation is None:
        raise click.ClickException(f"No consultation with the slug {slug!r}.")
    profile = consultation.profile
    for option, values, field in (
        ("--stakeholder-type", stakeholder_types, profile["stakeholder_type"]),
        ("--region", regions, profile["region"]),
    ):
        _check_codes(slug, option, values, field.codes if field else [])
    _check_codes(slug, "--by", (by,), breakdowns(profile))
    filters = ReportFilters(
        stakeholder_types=stakeholder_types,
        regions=regions,
        channels=tuple(c.value for c in Channel if c.value in channels),
        by=by,
        date_from=date_from.date() if date_from else None,
        date_to=date_to.date() if date_to else None,
    )
    if outcome:
        _write_outcome_report(consultation, fmt, filters, out, lang)
        return
    audience = "open" if is_open else "confidential"
    with force_locale(lang):
        data, report = export(
            consultation,
            filters,
            fmt=fmt,
            audience=audience,
            min_cell=current_app.config["REPORT_MIN_CELL"],
        )
    with open(out, "wb") as file:
        file.write(data)
    click.echo(f"Wrote the {audience} {fmt} report of {slug} to {out} ({len(data):,} bytes).")
    click.echo(f"Responses counted: {report.responses}.")


def _write_outcome_report(
    consultation: Consultation, fmt: str, filters, out: str, lang: str
) -> None:
    """The final report ("Informe de la consulta"): a PDF of the open version, the whole
    consultation; at any stage (the ministry's own tool), with a note before publication."""
    from flask_babel import force_locale

    from .models.vocab import Stage
    from .reports.filters import ReportFilters
    from .reports.outcome import outcome_pdf

    if fmt != "pdf":
        raise click.UsageError("--outcome writes the final report as a PDF: use --format pdf")
    if filters != ReportFilters():
        raise click.UsageError(
            "--outcome reports on the whole consultation: leave out --stakeholder-type,"
            " --region, --channel, --by, --from and --to"
        )
    if consultation.stage is not Stage.OUTCOME:
        click.echo(
            f"Note: the outcome of {consultation.slug} is not published yet (stage:"
            f" {consultation.stage.value}); this report is not public until it is."
        )
    with force_locale(lang):
        data, report = outcome_pdf(consultation, min_cell=current_app.config["REPORT_MIN_CELL"])
    with open(out, "wb") as file:
        file.write(data)
    click.echo(
        f"Wrote the final report (open) of {consultation.slug} to {out} ({len(data):,} bytes)."
    )
    click.echo(f"Responses counted: {report.responses}.")


@click.command("backup")
@click.argument("path", type=click.Path(dir_okay=False))
@with_appcontext
def backup_command(path: str) -> None:
    """Write a consistent copy of the SQLite database to PATH, while the app keeps serving."""
    from .maintenance.backup import BackupError, backup

    try:
        snapshot = backup(path)
    except BackupError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(
        f"Wrote {snapshot.path} ({snapshot.size:,} bytes, schema {snapshot.revision}):"
        f" {snapshot.consultations} consultations, {snapshot.responses} responses."
        " It passes SQLite's integrity check."
    )


@click.command("restore")
@click.argument("path", type=click.Path(dir_okay=False))
@click.option("--yes", is_flag=True, help="Replace the current database (it is kept aside).")
@with_appcontext
def restore_command(path: str, yes: bool) -> None:
    """Bring back a copy made by `consult backup`, after checking it."""
    from .maintenance.backup import BackupError, restore

    try:
        restored = restore(path, overwrite=yes)
    except BackupError as exc:
        raise click.ClickException(str(exc)) from exc
    if restored.previous:
        click.echo(f"The database it replaced is kept as {restored.previous}.")
    snapshot = restored.snapshot
    click.echo(
        f"Restored {path} into {snapshot.path} (schema {snapshot.revision}):"
        f" {snapshot.consultations} consultations, {snapshot.responses} responses."
    )


@click.command("purge-personal-data")
@click.option("--consultation", "slug", required=True, help="The consultation's slug.")
@click.option("--force", is_flag=True, help="Purge even though the consultation is still open.")
@with_appcontext
@needs_schema
def purge_personal_data_command(slug: str, force: bool) -> None:
    """Remove respondents' emails, unpublished names, edit tokens and address hashes."""
    from .maintenance.purging import PurgeRefused, purge_personal_data

    consultation = db.session.scalar(sa.select(Consultation).filter_by(slug=slug))
    if consultation is None:
        raise click.ClickException(f"No consultation with the slug {slug!r}.")
    try:
        report = purge_personal_data(consultation, force=force)
    except PurgeRefused as exc:
        raise click.ClickException(f"{exc}. Pass --force to purge anyway.") from exc
    click.echo(f"{slug}: personal data removed (responses changed, per field):")
    for name, count in report.removed.items():
        click.echo(f"  {name}: {count}")
    click.echo("Recorded in the audit trail. Reports keep every figure.")


@click.command("insight")
@click.option("--consultation", "slug", required=True, help="The consultation's slug.")
@click.option(
    "--only",
    type=click.Choice(["copies", "themes", "groups"]),
    help="One analysis only (copies and campaigns, suggested themes or opinion groups).",
)
@with_appcontext
@needs_schema
def insight_command(slug: str, only: str | None) -> None:
    """Find copies and campaigns, suggest themes and opinion groups (stored as suggestions)."""
    from .systematising import runs

    consultation = db.session.scalar(sa.select(Consultation).filter_by(slug=slug))
    if consultation is None:
        raise click.ClickException(f"No consultation with the slug {slug!r}.")
    try:
        run = runs.start_run(consultation, [only] if only else runs.PARTS)
    except runs.RunRefused as exc:
        raise click.ClickException(f"{exc}: wait for it to end.") from exc
    with click.progressbar(length=100, label=f"{slug}: {run.parts}", show_pos=True) as bar:
        done = 0

        def advance(percent: int, stage: str) -> None:
            nonlocal done
            bar.label = f"{slug}: {stage}"[:60]
            bar.update(max(0, percent - done))
            done = max(done, percent)

        finished = runs.execute(run.id, on_progress=advance)
    if finished.status != RunStatus.DONE:
        raise click.ClickException(f"The analysis failed: {finished.error}")
    click.echo(f"Run {finished.id} done in {finished.counts.get('seconds', 0)} s:")
    for name, value in finished.counts.items():
        if name != "seconds":
            click.echo(f"  {name}: {value}")
    click.echo("Everything found is a suggestion: confirm it in the console (Insight).")


@click.command("export-consultation")
@click.option("--consultation", "slug", required=True, help="The consultation's slug.")
@click.option(
    "--out",
    "out",
    required=True,
    type=click.Path(dir_okay=False, writable=True),
    help="The zip file to write: the bundle's folder, as load-consultation reads it.",
)
@with_appcontext
@needs_schema
def export_consultation_command(slug: str, out: str) -> None:
    """Write a consultation as a bundle, zipped (docs/content-bundles.md)."""
    from .content.export import bundle_zip

    consultation = db.session.scalar(sa.select(Consultation).filter_by(slug=slug))
    if consultation is None:
        raise click.ClickException(f"no consultation has the slug {slug!r}")
    data = bundle_zip(consultation)
    with open(out, "wb") as file:
        file.write(data)
    click.echo(f"{slug}: the bundle is written to {out} ({len(data) // 1024 + 1} KB)")


@click.command("import-responses")
@click.option("--consultation", "slug", required=True, help="The consultation's slug.")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option(
    "--mapping",
    "mapping_path",
    type=click.Path(exists=True, dir_okay=False),
    help="The mapping (YAML, docs/importing-responses.md).",
)
@click.option("--dry-run", is_flag=True, help="Check every row and say what would be added.")
@click.option("--skip-invalid", is_flag=True, help="Import the valid rows, leave out the others.")
@click.option("--channel", type=click.Choice(["import", "paper"]), help="Instead of the mapping's.")
@click.option(
    "--suggest-mapping",
    "suggest_to",
    type=click.Path(dir_okay=False),
    help="Write a suggested mapping to this file ('-': print it) and stop.",
)
@click.option("--lang", type=click.Choice(["es", "en"]), default="es", help="Messages' language.")
@with_appcontext
@needs_schema
def import_responses_command(
    slug, file, mapping_path, dry_run, skip_invalid, channel, suggest_to, lang
) -> None:
    """Import responses from a CSV or XLSX file (another form tool's export, paper forms).

    Exit status 2 when the file, the mapping or a row has a problem and nothing was written.
    """
    from flask_babel import force_locale

    from .importing.command import run_import

    with force_locale(lang):
        status = run_import(
            slug,
            file,
            mapping_path,
            dry_run=dry_run,
            skip_invalid=skip_invalid,
            channel=channel,
            suggest_to=suggest_to,
            echo=click.echo,
        )
    if status:
        raise SystemExit(status)


@click.command("demo")
@click.option(
    "--responses",
    type=click.IntRange(min=1, max=100_000),
    default=500,
    show_default=True,
    help="Submitted responses to invent (a few drafts and withdrawn ones come on top).",
)
@click.option(
    "--slug", default="enia-2021-demo", show_default=True, help="The demo consultation's slug."
)
@click.option(
    "--seed", type=int, default=2021, show_default=True, help="The same seed, the same demo."
)
@with_appcontext
@needs_schema
def demo_command(responses: int, slug: str, seed: int) -> None:
    """Create a demonstration consultation (a copy of the bundled draft) filled with
    invented responses; run again, it replaces them. Never touches a real consultation."""
    import time

    from .content.checks import key as check_key
    from .demo.writing import DemoRefused, make_demo

    try:
        check_key("--slug", slug)
    except ContentError as exc:
        raise click.BadParameter(str(exc), param_hint="--slug") from exc
    started = time.perf_counter()
    try:
        result = make_demo(slug, responses, seed)
    except DemoRefused as exc:
        click.echo(f"Error: {exc} Nothing was written.", err=True)
        raise SystemExit(2) from exc
    seconds = time.perf_counter() - started
    if result.created:
        click.echo(f"{slug}: demo consultation created (a copy of the bundled draft).")
    else:
        click.echo(
            f"{slug}: the demo's {result.replaced} earlier responses, its themes, decisions"
            " and analyses were replaced."
        )
    click.echo(
        f"  {result.submitted} submitted responses, {result.drafts} drafts,"
        f" {result.withdrawn} withdrawn; {result.comments} comments; {result.themes} themes"
        f" ({seconds:.1f} s)."
    )
    click.echo(
        f"  Every page of it says it is a demonstration. Console: /console/c/{slug}/ ;"
        f" public: /c/{slug}/ ; try `consult insight --consultation {slug}`."
    )


@click.command("export-open-data")
@click.option("--consultation", "slug", required=True, help="The consultation's slug.")
@click.option(
    "--out",
    required=True,
    type=click.Path(path_type=Path),
    help="A folder to write the package into, or a file name ending in .zip.",
)
@click.option("--force", is_flag=True, help="Write into a folder not empty; replace a zip.")
@with_appcontext
@needs_schema
def export_open_data_command(slug: str, out: Path, force: bool) -> None:
    """Write a consultation's published data as a Frictionless Data Package (docs/open-data.md)."""
    from .opendata import OpenDataRefused, results_address, write_package

    def fail(message: str) -> None:
        click.echo(f"Error: {message}", err=True)
        raise SystemExit(2)

    consultation = db.session.scalar(sa.select(Consultation).filter_by(slug=slug))
    if consultation is None:
        fail(f"no consultation has the slug {slug!r}.")
    try:
        files = write_package(consultation, out, force=force, homepage=results_address(slug))
    except OpenDataRefused as refused:
        fail(str(refused))
    except OSError as error:
        fail(f"cannot write {out}: {error.strerror or error}.")
    size = sum(len(data) for data in files.values())
    click.echo(
        f"{slug}: open data written to {out} ({len(files) - 1} tables, {size // 1024 + 1} KB)"
    )


COMMANDS = (
    init_command,
    load_consultation_command,
    export_consultation_command,
    export_open_data_command,
    serve_command,
    create_user_command,
    report_command,
    backup_command,
    restore_command,
    purge_personal_data_command,
    insight_command,
    import_responses_command,
    demo_command,
    send_mail_command,
)


def register(app: Flask) -> None:
    for command in COMMANDS:
        app.cli.add_command(command)


def main() -> None:
    """Entry point of the ``consult`` console script."""
    from . import create_app

    FlaskGroup(create_app=create_app, help="consult: public consultation platform.")()
