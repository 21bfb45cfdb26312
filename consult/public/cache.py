"""What the public pages reuse between requests, in each process.

When a consultation is on the news, thousands of people open the same few pages. Loading
a consultation with its sections and questions costs more than everything else a page
does, and most visitors have no draft yet, so they are all sent the same bytes. Each
process therefore keeps:

- **the consultation**, with its sections and questions, loaded once and shared read-only
  by every request and thread. Its objects belong to no database session and must never
  join one: writes refer to them by id, and a session that tries to take one in raises
  ``SharedObjectError`` (so a mistake fails loudly in the tests, never silently). Until
  the outcome is published its sections hold the text people were consulted on, not a
  revised draft loaded since (``outcome.versions.show_consulted_text``);
- **readers' pages**: the home and section pages as sent to a visitor with no draft and
  no message waiting, by address and language;
- **published comments**: each section's pages of them, as HTML, by language (the same
  for everyone, draft or not).

A change committed in this process to what those pages show (a consultation's text or
dates, a published comment, the response behind one) drops everything at once. A change
committed elsewhere (another worker, another machine, ``consult load-consultation``)
shows within ``PUBLIC_CACHE_SECONDS``. Whether a consultation is open is worked out from
its dates at every request, and a kept page expires when the window opens or closes, so
it opens and closes on time whatever is kept.
"""

from __future__ import annotations

import time
import weakref
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from functools import wraps
from typing import Any

import sqlalchemy as sa
from flask import abort, current_app, g, make_response, render_template, request, session
from flask_login import current_user
from markupsafe import Markup
from sqlalchemy import event
from sqlalchemy.orm import Session, selectinload

from ..content.passages import passages
from ..extensions import db
from ..models import (
    Comment,
    Consultation,
    ProfileField,
    Question,
    Response,
    Section,
    TextRevision,
)
from ..models.columns import current_language, utcnow
from ..models.vocab import ModerationState, ResponseStatus, Stage
from ..outcome.versions import show_consulted_text
from ..responding.changes import PUBLIC_PAGES as _EXTENSION
from ..responding.changes import note_public_change
from ..web.compression import KEPT_LEVEL, compress
from ..web.security import made_for_anyone, same_for_everyone
from .comments import published_comments
from .revisions import keep_last_changes

#: At most this many readers' pages per process (odd query strings cannot fill memory).
MAX_PAGES = 500
#: Objects of kept consultations; no session may take them in.
_SHARED: weakref.WeakSet = weakref.WeakSet()


class SharedObjectError(RuntimeError):
    """A kept (shared, read-only) consultation object was about to join a session."""


@dataclass
class _Kept:
    value: Any
    generation: int
    #: time.monotonic() after which it is stale.
    expires: float


@dataclass
class _Store:
    consultations: dict[str, _Kept] = field(default_factory=dict)
    pages: dict[tuple, _Kept] = field(default_factory=dict)

    def get(self, key: tuple) -> Any:
        kept = self.pages.get(key)
        if kept and kept.generation == _Generation.value and time.monotonic() < kept.expires:
            return kept.value
        return None

    def put(self, key: tuple, value: Any, generation: int, seconds: float) -> None:
        if len(self.pages) >= MAX_PAGES:
            self.pages.clear()
        self.pages[key] = _Kept(value, generation, time.monotonic() + seconds)


class _Generation:
    """Bumped after every commit that changes what public pages show; kept things die."""

    value = 0


def _store() -> _Store:
    return current_app.extensions.setdefault(_EXTENSION, _Store())


def _seconds() -> float:
    return float(current_app.config.get("PUBLIC_CACHE_SECONDS") or 0)


def forget_all() -> None:
    """Drop everything kept, in every app of this process."""
    _Generation.value += 1


# ---------------------------------------------------------------- the consultation


def shared_consultation(slug: str) -> Consultation:
    """The consultation with its sections and questions, shared read-only; or 404."""
    return public_or_404(kept_consultation(slug))


def kept_consultation(slug: str) -> Consultation:
    """The shared copy whatever its stage (404 if there is no such consultation): the
    caller decides who may see it (``public_or_404``; the JSON API shows no preview)."""
    store = _store()
    kept = store.consultations.get(slug)
    now = time.monotonic()
    if kept and kept.generation == _Generation.value and now < kept.expires:
        return kept.value
    loaded = g.setdefault("loaded_consultations", {})  # once a request, even if none is kept
    if slug in loaded:
        return loaded[slug]
    generation = _Generation.value
    consultation = _load(slug)
    if consultation is None:
        abort(404)
    loaded[slug] = consultation
    seconds = _seconds()
    if seconds > 0:
        store.consultations[slug] = _Kept(consultation, generation, now + seconds)
    return consultation


def previewing(consultation: Consultation) -> bool:
    """Whether a signed-in coordinator is looking at a consultation still in preparation."""
    return consultation.stage is Stage.PREPARATION and current_user.is_authenticated


def public_or_404(consultation: Consultation) -> Consultation:
    """The consultation, unless it is in preparation: then 404, but for coordinators."""
    if consultation.stage is Stage.PREPARATION:
        if not current_user.is_authenticated:
            abort(404)
        g.previewing = True  # its reply stays private (``web.security.made_for_anyone``)
    return consultation


def _revised() -> sa.ScalarSelect:
    """Every text revision of the consultation as "target:id@when,…", read with it in the
    same statement (the public "Last changed on" note, ``public.revisions``)."""
    return (
        sa.select(
            sa.func.aggregate_strings(
                TextRevision.target
                + ":"
                + sa.cast(TextRevision.target_id, sa.String)
                + "@"
                + sa.cast(TextRevision.changed_at, sa.String),
                ",",
            )
        )
        .where(TextRevision.consultation_id == Consultation.id)
        .scalar_subquery()
    )


def _load(slug: str) -> Consultation | None:
    """Load the whole graph in a session of its own, then let go of it."""
    with Session(db.engine) as loading:
        row = loading.execute(
            sa.select(Consultation, _revised())
            .where(Consultation.slug == slug)
            .options(
                selectinload(Consultation.sections).selectinload(Section.children),
                selectinload(Consultation.sections).selectinload(Section.questions),
                selectinload(Consultation.questions),
                selectinload(Consultation.profile_fields).joinedload(ProfileField.options),
            )
        ).first()
        if row is None:
            return None
        consultation, revised = row
        keep_last_changes(consultation, revised)
        # Many-to-one links come from the identity map, without SQL; read them now.
        for section in consultation.sections:
            _ = section.parent, section.consultation
        for question in consultation.questions:
            _ = question.section, question.consultation
        _ = consultation.profile  # built once, kept with the shared copy
        # Until the outcome is published, the text people were consulted on (one query).
        show_consulted_text(loading, consultation)
        loading.expunge_all()
    _SHARED.add(consultation)
    _SHARED.update(consultation.sections)
    _SHARED.update(consultation.questions)
    return consultation


@event.listens_for(Session, "before_attach")
def _refuse_shared(_session: Session, instance: object) -> None:
    if instance in _SHARED:
        raise SharedObjectError(
            f"{instance!r} is a shared consultation object: refer to it by id"
            " (consultation_id=, question_id=, section_id=) instead of linking it"
        )


# ---------------------------------------------------------------- readers' pages


def _for_readers(slug: str) -> bool:
    """Whether this request gets the page every visitor without a draft gets."""
    return (
        request.method in ("GET", "HEAD")
        and "_flashes" not in session
        # The draft tokens ``drafts`` keeps in the session, by slug (read here without
        # importing it: drafts imports this module).
        and not session.get("responses", {}).get(slug)
    )


def _next_change(consultation: Consultation) -> datetime | None:
    """When the consultation next opens or closes, if it still will."""
    now = utcnow()
    if now < consultation.opens_at:
        return consultation.opens_at
    if now < consultation.closes_at:
        return consultation.closes_at
    return None


def kept_for_readers(view):
    """Serve a page kept for visitors without a draft; keep it when it is made for one.

    The page is kept as sent, gzipped when the browser accepts it (``compression``), so a
    kept page is not compressed again on every request. Such a page goes without the
    private Cache-Control (``web.security.same_for_everyone``); a page of a person with a
    draft, or with a message or form token for them, keeps it, as every other reply does.
    """

    @wraps(view)
    def wrapper(slug: str, **kwargs):
        # A consultation in preparation is never kept: the public get 404, coordinators a preview.
        if not _for_readers(slug) or shared_consultation(slug).stage is Stage.PREPARATION:
            return view(slug, **kwargs)
        if _seconds() <= 0:  # nothing kept: the page is still the same for every reader
            response = make_response(view(slug, **kwargs))
            if response.status_code == 200 and made_for_anyone():
                same_for_everyone()
            return response
        store = _store()
        key = (
            "page",
            request.method,
            request.host,
            request.full_path,
            session.get("lang"),
            request.headers.get("Accept-Encoding", ""),
        )
        kept = store.get(key)
        if kept is not None:
            same_for_everyone()
            body, encoding = kept
            headers = [("Content-Type", "text/html; charset=utf-8"), ("Vary", "Accept-Encoding")]
            if encoding:
                headers.append(("Content-Encoding", encoding))
            return current_app.response_class(body, headers=headers)
        generation = _Generation.value
        response = make_response(view(slug, **kwargs))
        # A page that made a form token or left a message belongs to one visitor.
        if response.status_code == 200 and made_for_anyone():
            same_for_everyone()
            seconds = _seconds()
            change = _next_change(shared_consultation(slug))
            if change is not None:
                seconds = min(seconds, (change - utcnow()).total_seconds())
            compress(response, KEPT_LEVEL)
            kept = (response.get_data(), response.headers.get("Content-Encoding"))
            store.put(key, kept, generation, seconds)
        return response

    return wrapper


def kept_html(key: tuple, make: Callable[[], Markup]) -> Markup:
    """A part of a page that is everyone's (``make()``), kept like the pages are: rebuilt
    after a public change or once ``PUBLIC_CACHE_SECONDS`` have passed."""
    store = _store()
    key = (*key, request.host, current_language())
    html = store.get(key)
    if html is None:
        generation = _Generation.value
        html = make()
        if _seconds() > 0:
            store.put(key, html, generation, _seconds())
    return html


def published_comments_html(consultation: Consultation, section: Section, number: int) -> Markup:
    """One page of a section's published comments, as HTML (kept: it is everyone's)."""
    return kept_html(
        ("comments", section.id, number),
        lambda: Markup(
            render_template(
                "public/_published_comments.html",
                consultation=consultation,
                section=section,
                comments=published_comments(section, number),
                anchors={p.anchor for p in passages(section.body_md_es)},
            )
        ),
    )


# ---------------------------------------------------------------- what makes them stale


def _shows_publicly(comment: Comment) -> bool:
    """Whether a comment is, or was until this flush, published."""
    history = sa.inspect(comment).attrs.moderation.history
    return ModerationState.PUBLISHED in (*history.added, *history.unchanged, *history.deleted)


_SHOWN_OF_RESPONSE = ("status", "publication", "display_name", "stakeholder_type")


def _changes_shown_response(response: Response, deleted: bool) -> bool:
    """Whether a change to a response can change the published comments shown."""
    state = sa.inspect(response)
    changed = any(state.attrs[name].history.has_changes() for name in _SHOWN_OF_RESPONSE)
    if not deleted and not changed:
        return False
    if "comments" in state.unloaded:
        return response.status is not ResponseStatus.DRAFT or deleted
    return any(_shows_publicly(c) for c in response.comments)


def _changes_public_pages(session: Session) -> bool:
    for instance in (*session.new, *session.dirty, *session.deleted):
        if isinstance(instance, Consultation | Section | Question):
            return True
        if isinstance(instance, Comment) and _shows_publicly(instance):
            return True
        if isinstance(instance, Response) and _changes_shown_response(
            instance, instance in session.deleted
        ):
            return True
    return False


@event.listens_for(Session, "before_flush")
def _note_changes(session: Session, _context, _instances) -> None:
    if _changes_public_pages(session):
        note_public_change(session)


@event.listens_for(Session, "do_orm_execute")
def _note_bulk_changes(state) -> None:
    if (state.is_update or state.is_delete) and _table_of(state.statement) in _PUBLIC_TABLES:
        note_public_change(state.session)


_PUBLIC_TABLES = {"consultation", "section", "question", "comment", "response"}


def _table_of(statement) -> str | None:
    table = getattr(statement, "table", None)
    return getattr(table, "name", None)


@event.listens_for(Session, "after_commit")
def _forget_after_commit(session: Session) -> None:
    if session.info.pop(_EXTENSION, False):
        forget_all()


@event.listens_for(Session, "after_soft_rollback")
def _nothing_changed(session: Session, _previous) -> None:
    session.info.pop(_EXTENSION, None)
