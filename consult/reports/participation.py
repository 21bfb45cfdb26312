"""Who took part: counts of the responses a report counts, by each field of the profile.

The fields are the consultation's own (``Consultation.profile``): every field its form
asks from a list, in its order, further questions (education, sector …) included; a
field it does not ask has no table. The reporting groups come first.
"""

from __future__ import annotations

import pandas as pd
import sqlalchemy as sa

from ..extensions import db
from ..models import Answer, Comment, Question, RespondentTrait, Response, ResponseImport
from ..models.profile import Field, Profile
from ..models.vocab import Channel
from .filters import local_day
from .grouping import GROUPS_KEY, NOT_GIVEN, field_codes

#: Frames of the participation that are not profile fields.
NOT_PROFILE = ("day", "sections_covered", "channel")


def _column_counts(counted: sa.CTE, fields: list[Field]) -> tuple[int, dict[str, dict[str, int]]]:
    """The responses counted, and per stored code ("not_given" for none) of each standard
    field, a response column.

    One pass over the counted responses with a conditional count per code: no GROUP BY,
    so no sort of a million rows, and one pass for every field. A field holding a code
    outside the consultation's list (the write path refuses one) is counted again with a
    GROUP BY, so nothing can go missing.
    """
    cells, counts = [], []
    for field in fields:
        column = getattr(Response, field.key)
        for code in field_codes(field):
            cells.append((field.key, code))
            counts.append(sa.func.count().filter(column == code))
        cells.append((field.key, NOT_GIVEN))
        counts.append(sa.func.count().filter(column.is_(None)))
    total, *values = db.session.execute(
        sa.select(sa.func.count(), *counts)
        .select_from(Response)
        .join(counted, counted.c.id == Response.id)
    ).one()
    found: dict[str, dict[str, int]] = {field.key: {} for field in fields}
    for (name, code), n in zip(cells, values, strict=True):
        if n:
            found[name][code] = n
    for field in fields:
        if sum(found[field.key].values()) != total:
            column = getattr(Response, field.key)
            rows = db.session.execute(
                sa.select(column, sa.func.count())
                .select_from(Response)
                .join(counted, counted.c.id == Response.id)
                .group_by(column)
            ).all()
            found[field.key] = {_code(v): n for v, n in rows}
    return total, found


def _trait_counts(counted: sa.CTE, fields: list[Field], total: int) -> dict[str, dict[str, int]]:
    """Per further question, the counted responses per answer ("not_given": the rest).

    One GROUP BY over the traits of the counted responses, all questions at once.
    """
    if not fields:
        return {}
    keys = {field.id: field.key for field in fields}
    rows = db.session.execute(
        sa.select(RespondentTrait.field_id, RespondentTrait.code, sa.func.count())
        .join(counted, counted.c.id == RespondentTrait.response_id)
        .where(RespondentTrait.field_id.in_(list(keys)))
        .group_by(RespondentTrait.field_id, RespondentTrait.code)
    ).all()
    found: dict[str, dict[str, int]] = {key: {} for key in keys.values()}
    for field_id, code, n in rows:
        found[keys[field_id]][code] = n
    for counts in found.values():
        if total - sum(counts.values()):
            counts[NOT_GIVEN] = total - sum(counts.values())
    return found


def _code(value) -> str:
    return str(value.value) if hasattr(value, "value") else (value or NOT_GIVEN)


def _count_by(found: dict[str, int], codes: list[str], name: str) -> pd.DataFrame:
    frame = pd.DataFrame({name: codes, "responses": [found.get(code, 0) for code in codes]})
    extra = [code for code in found if code not in codes]
    if extra:
        frame = pd.concat(
            [frame, pd.DataFrame({name: extra, "responses": [found[c] for c in extra]})],
            ignore_index=True,
        )
    return frame


def _field_frame(field: Field, found: dict[str, int]) -> pd.DataFrame:
    """One field's counts in the consultation's order; an optional field's "not_given"
    row always (0 included); organisations' sizes without the individuals."""
    codes = field_codes(field)
    if not field.required and field.key != "organisation_size":
        codes = [*codes, NOT_GIVEN]
    frame = _count_by(found, codes, field.key)
    if field.key == "organisation_size":
        frame = frame[frame[field.key] != NOT_GIVEN].reset_index(drop=True)
    return frame


def participation(counted: sa.CTE, profile: Profile, time_zone: str) -> dict[str, pd.DataFrame]:
    """Who took part: by reporting group, then by each field of the consultation's profile
    asked from a list (its own order and categories); per day (and cumulative; days in
    ``time_zone``); how many sections each response covered."""
    fields = profile.categorical
    standard = [f for f in fields if f.standard]
    total, counts = _column_counts(counted, standard)
    counts |= _trait_counts(counted, [f for f in fields if not f.standard], total)
    frames = {f.key: _field_frame(f, counts[f.key]) for f in fields}
    by_type = frames["stakeholder_type"]  # every profile asks it (content.profiles)
    by_group = (
        by_type.assign(group=by_type["stakeholder_type"].map(profile.group_of))
        .groupby("group", sort=False)["responses"]
        .sum()
        .reindex(profile.group_codes, fill_value=0)
        .reset_index()
    )
    day = local_day(Response.submitted_at, time_zone)
    days = db.session.execute(
        sa.select(day, sa.func.count())
        .select_from(Response)
        .join(counted, counted.c.id == Response.id)
        .group_by(day)
        .order_by(day)
    ).all()
    by_day = pd.DataFrame({"day": [str(d) for d, _ in days], "responses": [n for _, n in days]})
    by_day["cumulative"] = by_day["responses"].cumsum()
    return {
        GROUPS_KEY: by_group,
        **frames,
        "day": by_day,
        "sections_covered": sections_covered(counted),
    }


def by_channel(counted: sa.CTE, *, files: bool = True) -> pd.DataFrame:
    """How the counted responses reached consult: ``online``, ``paper``, and ``import:
    <file name>`` per imported file (``files``) or ``import`` for them all.

    The open report asks without the files: a file's name is the organiser's, and may
    name a person or an office; the kinds are then pooled by the K rule like any count.
    """
    rows = db.session.execute(
        sa.select(Response.channel, ResponseImport.file_name, sa.func.count())
        .select_from(Response)
        .join(counted, counted.c.id == Response.id)
        .outerjoin(ResponseImport, ResponseImport.id == Response.import_id)
        .group_by(Response.channel, ResponseImport.id, ResponseImport.file_name)
        .order_by(Response.channel, sa.func.min(Response.id))
    ).all()
    found: dict[str, int] = {}
    order = {Channel.ONLINE.value: 0, Channel.IMPORT.value: 1, Channel.PAPER.value: 2}
    for channel, file_name, n in sorted(rows, key=lambda r: order.get(_code(r[0]), 3)):
        kind = _code(channel)
        key = f"{kind}: {file_name}" if files and kind == "import" and file_name else kind
        found[key] = found.get(key, 0) + n
    return pd.DataFrame({"channel": list(found), "responses": list(found.values())})


def sections_covered(counted: sa.CTE) -> pd.DataFrame:
    """How many responses covered 0, 1, 2 … sections (an answer or a comment in it).

    Each response's sections are read from its own few answers and comments (index
    lookups by response), never by a UNION of every answer and comment of the database.
    """
    answered = (
        sa.select(Question.section_id.label("section_id"))
        .join(Answer, Answer.question_id == Question.id)
        .where(Answer.response_id == counted.c.id)
        .correlate(counted)
    )
    commented = (
        sa.select(Comment.section_id).where(Comment.response_id == counted.c.id).correlate(counted)
    )
    # COUNT(DISTINCT) over UNION ALL (NULL sections, of general questions, do not count):
    # cheaper per response than a UNION, which builds a temporary table each time.
    touched = sa.union_all(answered, commented).subquery()
    per_response = (
        sa.select(
            sa.select(sa.func.count(sa.distinct(touched.c.section_id)))
            .scalar_subquery()
            .label("sections")
        )
        .select_from(counted)
        # OFFSET 0 keeps the subquery whole: flattened, SQLite would run the per-response
        # count twice (once for GROUP BY, once for the result).
        .offset(0)
        .subquery()
    )
    rows = db.session.execute(
        sa.select(per_response.c.sections, sa.func.count())
        .group_by(per_response.c.sections)
        .order_by(per_response.c.sections)
    ).all()
    return pd.DataFrame({"sections": [s for s, _ in rows], "responses": [n for _, n in rows]})
