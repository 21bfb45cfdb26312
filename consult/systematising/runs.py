"""Runs of the insight analyses: start one, run its parts, record what happened.

A run is a row of ``insight_run``. Its progress is written through a connection of its
own, committed at once, so the console shows it while the part's own transaction (which
stores the results at the end, in one piece) is still open.
"""

from __future__ import annotations

import importlib
import threading
import time
import traceback
from collections.abc import Callable, Iterable
from datetime import timedelta
from typing import Any

import sqlalchemy as sa
from flask import Flask, current_app
from sqlalchemy.exc import IntegrityError

from ..extensions import db
from ..models import Consultation, InsightRun, User
from ..models.columns import utcnow
from ..models.vocab import RunStatus

#: The analyses, in the order a full run does them.
PARTS = ("copies", "themes", "groups")

#: fraction of the part done (0–1), what it is doing now (short, shown in the console).
Progress = Callable[[float, str], None]

#: Each part's module in this package has ``analyse(consultation, run, progress) -> counts``.
_PART_MODULES = {part: f"{__package__}.{part}" for part in PARTS}


class RunRefused(Exception):
    """Another run of this consultation is going on."""


def default_parameters() -> dict[str, Any]:
    """The analyses' settings, from the configuration (recorded with each run)."""
    config = current_app.config
    return {
        "copy_threshold": float(config["INSIGHT_COPY_THRESHOLD"]),
        "template_share": float(config["INSIGHT_TEMPLATE_SHARE"]),
        "max_themes": int(config["INSIGHT_MAX_THEMES"]),
        "max_groups": int(config["INSIGHT_MAX_GROUPS"]),
    }


def current_run(consultation: Consultation) -> InsightRun | None:
    return db.session.scalar(
        sa.select(InsightRun).where(
            InsightRun.consultation_id == consultation.id,
            InsightRun.status == RunStatus.RUNNING,
        )
    )


def latest_runs(consultation: Consultation, limit: int = 20) -> list[InsightRun]:
    return list(
        db.session.scalars(
            sa.select(InsightRun)
            .where(InsightRun.consultation_id == consultation.id)
            .order_by(InsightRun.started_at.desc(), InsightRun.id.desc())
            .limit(limit)
        )
    )


def _end_stale(consultation: Consultation) -> None:
    """A run silent for longer than INSIGHT_STALE_MINUTES died with its process: mark it."""
    limit = utcnow() - timedelta(minutes=current_app.config["INSIGHT_STALE_MINUTES"])
    db.session.execute(
        sa.update(InsightRun)
        .where(
            InsightRun.consultation_id == consultation.id,
            InsightRun.status == RunStatus.RUNNING,
            InsightRun.heartbeat_at < limit,
        )
        .values(status=RunStatus.FAILED, finished_at=utcnow(), error="stopped answering")
    )


def start_run(
    consultation: Consultation,
    parts: Iterable[str] = PARTS,
    actor: User | None = None,
    parameters: dict[str, Any] | None = None,
) -> InsightRun:
    """Record a new run as running (committed), or refuse while another one is."""
    parts = [p for p in PARTS if p in set(parts)]
    if not parts:
        raise ValueError(f"choose among {', '.join(PARTS)}")
    _end_stale(consultation)
    run = InsightRun(
        consultation_id=consultation.id,
        parts=",".join(parts),
        status=RunStatus.RUNNING,
        started_by_id=actor.id if actor else None,
        parameters={**default_parameters(), **(parameters or {})},
        counts={},
    )
    db.session.add(run)
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        raise RunRefused("another analysis of this consultation is running") from None
    return run


def report_progress(run_id: int, fraction: float, stage: str) -> None:
    """Write a run's progress and heartbeat through a connection of its own, committed now."""
    with db.engine.begin() as connection:
        connection.execute(
            sa.update(InsightRun)
            .where(InsightRun.id == run_id)
            .values(
                progress=max(0, min(100, round(fraction * 100))),
                stage=stage[:80],
                heartbeat_at=utcnow(),
            )
        )


def _finish(run_id: int, **values: Any) -> None:
    with db.engine.begin() as connection:
        connection.execute(
            sa.update(InsightRun)
            .where(InsightRun.id == run_id)
            .values(finished_at=utcnow(), heartbeat_at=utcnow(), **values)
        )


def execute(run_id: int, on_progress: Callable[[int, str], None] | None = None) -> InsightRun:
    """Run every part of a started run, in order; record its counts, or why it failed."""
    run = db.session.get(InsightRun, run_id)
    consultation = db.session.get(Consultation, run.consultation_id)
    parts = run.parts.split(",")
    counts: dict[str, Any] = {}
    started = time.perf_counter()
    try:
        for index, part in enumerate(parts):

            def progress(fraction: float, stage: str, index: int = index, part: str = part):
                overall = (index + max(0.0, min(1.0, fraction))) / len(parts)
                label = f"{part}: {stage}" if stage else part
                report_progress(run_id, overall, label)
                if on_progress is not None:
                    on_progress(round(overall * 100), label)

            progress(0.0, "")
            module = importlib.import_module(_PART_MODULES[part])
            counts.update(module.analyse(consultation, run, progress))
            progress(1.0, "done")
    except Exception as exc:  # a failed run is recorded, never left running
        db.session.rollback()
        current_app.logger.error("insight run %s failed:\n%s", run_id, traceback.format_exc())
        _finish(run_id, status=RunStatus.FAILED, error=f"{type(exc).__name__}: {exc}"[:2000])
    else:
        counts["seconds"] = round(time.perf_counter() - started, 2)
        _finish(run_id, status=RunStatus.DONE, progress=100, stage="done", counts=counts)
    db.session.expire_all()
    return db.session.get(InsightRun, run_id)


#: Background runs of this process, by run id (tests join them).
threads: dict[int, threading.Thread] = {}


def run_in_background(app: Flask, run_id: int) -> threading.Thread:
    """Run a started run on a thread of this process, with its own app context and session."""

    def work() -> None:
        with app.app_context():
            try:
                execute(run_id)
            finally:
                db.session.remove()
                threads.pop(run_id, None)

    thread = threading.Thread(target=work, name=f"insight-run-{run_id}", daemon=True)
    threads[run_id] = thread
    thread.start()
    return thread
