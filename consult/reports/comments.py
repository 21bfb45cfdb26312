"""Comments in the report: counts by section, group and contribution; themes; quotes; words."""

from __future__ import annotations

import heapq
import re
from collections import Counter
from itertools import chain

import pandas as pd
import sqlalchemy as sa
from stop_words import get_stop_words

from ..extensions import db
from ..models import Comment, Consultation, Response, Section, Theme, comment_theme
from ..models.vocab import ModerationState, Publication
from .filters import ReportFilters
from .grouping import code, with_overall

#: How many comment texts per section feed the word counts (the basis is printed).
TERMS_BASIS = 20_000
TOP_TERMS = 15


def _comment_conditions(filters: ReportFilters) -> list:
    return [Comment.moderation == filters.moderation] if filters.moderation else []


def comment_matrix(
    consultation: Consultation, counted: sa.CTE, filters: ReportFilters
) -> pd.DataFrame:
    """Comments per section × category of the breakdown × contribution (None where none
    is asked), those on the section as a whole and on its passages alike.

    ``respondents``, repeated on each row of a section and category, counts who
    commented there: a respondent may comment on the section and on each of its
    passages, so the comments are not the people, and the open report pools by people.
    """
    # Grouped by section id and named here: no section lookup per comment.
    sections = {s.id: s.key for s in consultation.sections}
    base = (
        sa.select()
        .select_from(Comment)
        .join(counted, counted.c.id == Comment.response_id)
        .where(*_comment_conditions(filters))
    )
    rows = db.session.execute(
        base.add_columns(
            Comment.section_id, counted.c.category, Comment.contribution, sa.func.count()
        ).group_by(Comment.section_id, counted.c.category, Comment.contribution)
    ).all()
    people = db.session.execute(
        base.add_columns(
            Comment.section_id,
            counted.c.category,
            sa.func.count(sa.distinct(Comment.response_id)),
        ).group_by(Comment.section_id, counted.c.category)
    ).all()
    rows = [(sections[i], t, c, n) for i, t, c, n in rows if i in sections]
    raw = pd.DataFrame(
        [(s, code(t), code(c), n) for s, t, c, n in rows],
        columns=["section", "category", "contribution", "n"],
    )
    commenters = pd.DataFrame(
        [(sections[i], code(t), n) for i, t, n in people if i in sections],
        columns=["section", "category", "respondents"],
    )
    counts = with_overall(raw, ["section", "contribution"], ["n"])
    commenters = with_overall(commenters, ["section"], ["respondents"])
    return counts.merge(commenters, on=["section", "group"], how="left")


def contribution_table(consultation: Consultation) -> pd.DataFrame:
    """What a comment may contribute to, with its labels; no rows where none is asked."""
    return pd.DataFrame(
        [(c["code"], c["es"], c.get("en") or c["es"]) for c in consultation.contributions],
        columns=["contribution", "label_es", "label_en"],
    )


def theme_matrix(
    consultation: Consultation, counted: sa.CTE, filters: ReportFilters
) -> pd.DataFrame:
    """Comments tagged with each theme, per category of the breakdown."""
    themes = dict(
        db.session.execute(
            sa.select(Theme.id, Theme.name).where(Theme.consultation_id == consultation.id)
        ).all()
    )
    if not themes:
        rows = []
    else:
        # Grouped by theme id and named here: a condition on the theme's consultation
        # would make SQLite loop over the themes first and look up each tagged comment
        # and its response at random.
        rows = db.session.execute(
            sa.select(comment_theme.c.theme_id, counted.c.category, sa.func.count())
            .select_from(comment_theme)
            .join(Comment, Comment.id == comment_theme.c.comment_id)
            .join(counted, counted.c.id == Comment.response_id)
            # A tag a suggestion left counts once a person confirms it.
            .where(~comment_theme.c.suggested, *_comment_conditions(filters))
            .group_by(comment_theme.c.theme_id, counted.c.category)
        ).all()
    rows = [(themes[i], t, n) for i, t, n in rows if i in themes]
    raw = pd.DataFrame(
        [(name, code(t), n) for name, t, n in rows],
        columns=["theme", "category", "n"],
    )
    return with_overall(raw, ["theme"], ["n"])


def quotes(
    consultation: Consultation, counted: sa.CTE, *, per_section: int | None = 50
) -> pd.DataFrame:
    """Published comments whose authors chose publication, as the public may read them.

    The text is the redacted one where redacted; the author is the published name for
    "named" and empty for "anonymous"; each names its author's reporting group and
    stakeholder type, whatever the report's breakdown. ``per_section=None`` returns them all.
    """
    stmt = (
        sa.select(
            Section.key,
            Comment.id,
            sa.func.coalesce(Comment.redacted_text, Comment.text),
            Comment.contribution,
            counted.c.stakeholder_type,
            sa.case((Response.publication == Publication.NAMED, Response.display_name), else_=None),
        )
        .select_from(Comment)
        .join(counted, counted.c.id == Comment.response_id)
        .join(Response, Response.id == Comment.response_id)
        .join(Section, Section.id == Comment.section_id)
        .where(
            Comment.moderation == ModerationState.PUBLISHED,
            Response.publication.in_([Publication.NAMED, Publication.ANONYMOUS]),
        )
        .order_by(Section.position, Comment.id)
    )
    if per_section is None:
        rows = db.session.execute(stmt).all()
    else:
        # The first quotes of each section, one small query per section: each reads the
        # section's published comments in id order and stops at the limit, where one
        # ROW_NUMBER() query would number every published comment of the consultation.
        rows = []
        for section in consultation.sections:
            rows += db.session.execute(
                stmt.where(Comment.section_id == section.id)
                .order_by(None)
                .order_by(Comment.id)
                .limit(per_section)
            ).all()
    group_of = consultation.profile.group_of
    frame = pd.DataFrame(
        [(s, i, text, code(c), group_of.get(t), t, a) for s, i, text, c, t, a in rows],
        columns=[
            "section",
            "comment",
            "text",
            "contribution",
            "group",
            "stakeholder_type",
            "author",
        ],
    )
    return frame


# ---------------------------------------------------------------- open text

_WORD = re.compile(r"[^\W\d_]{3,}", re.UNICODE)
_STOP = frozenset(get_stop_words("es")) | frozenset(get_stop_words("en"))


def words(text: str) -> list[str]:
    """Lower-cased words of three letters or more that are not Spanish or English stop words."""
    return [w for w in _WORD.findall(text.lower()) if w not in _STOP]


def _most_common(counter: Counter) -> list[tuple]:
    """The TOP_TERMS most frequent terms; ties in alphabetical order, so runs agree."""
    return heapq.nsmallest(TOP_TERMS, counter.items(), key=lambda item: (-item[1], item[0]))


def top_terms(
    consultation: Consultation,
    counted: sa.CTE,
    filters: ReportFilters,
    *,
    published_only: bool = False,
    basis: int = TERMS_BASIS,
) -> pd.DataFrame:
    """The most frequent words and two-word phrases of each section's comments.

    Counts how many comments use each term (not how often), over at most ``basis``
    comments per section, the first ones by time; the ``comments`` column says how many.
    ``published_only`` reads the published text of published comments whose authors chose
    publication, so no word of an unpublished, private or redacted-away text can reach an
    open output.
    """
    conditions = list(_comment_conditions(filters))
    column = Comment.text
    if published_only:
        conditions.append(Comment.moderation == ModerationState.PUBLISHED)
        conditions.append(Response.publication.in_([Publication.NAMED, Publication.ANONYMOUS]))
        column = sa.func.coalesce(Comment.redacted_text, Comment.text)
    out = []
    sections = db.session.execute(
        sa.select(Section.id, Section.key)
        .where(Section.consultation_id == consultation.id)
        .order_by(Section.position)
    ).all()
    for section_id, key in sections:
        texts = db.session.scalars(
            sa.select(column)
            .join(counted, counted.c.id == Comment.response_id)
            .join(Response, Response.id == Comment.response_id)
            .where(Comment.section_id == section_id, *conditions)
            .order_by(Comment.id)
            .limit(basis)
        ).all()
        unigrams: Counter[str] = Counter()
        bigrams: Counter[tuple[str, str]] = Counter()
        n = 0
        # At most ``basis`` texts, read at once: a server-side cursor made PostgreSQL plan
        # for the first rows and took longer. One Counter.update per batch of texts, not
        # two per text; each text counts once per term (hence the sets).
        for start in range(0, len(texts), 2000):
            batch = texts[start : start + 2000]
            tokens = [words(text) for text in batch]
            n += len(tokens)
            unigrams.update(chain.from_iterable(map(set, tokens)))
            bigrams.update(chain.from_iterable(set(zip(t, t[1:], strict=False)) for t in tokens))
        for term, count in _most_common(unigrams):
            out.append((key, "word", term, count, n))
        for (first, second), count in _most_common(bigrams):
            if count > 1:
                out.append((key, "phrase", f"{first} {second}", count, n))
    return pd.DataFrame(out, columns=["section", "kind", "term", "comments_using", "comments"])
