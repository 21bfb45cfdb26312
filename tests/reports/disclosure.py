"""The disclosure auditor: what an outsider can work out from one open output.

Input: an open output parsed back — the JSON document as a dict, or an XLSX read into the
same shape (``disclosure_xlsx``). Output: the leaks found, as sentences; none means safe.

Every breakdown (a table whose rows are kinds of respondents) is turned into unknowns, one
per finest kind of the vocabulary (an *atom*: a stakeholder type, a reporting group, a
region …) and count column, and into every linear relation an outsider can use inside the
output: each published count (a kind's own row; ``other_groups`` as the sum over the atoms
not shown; ``all`` as the sum over every atom; old-format "<K" as 1…K−1 and null as ≥ 0),
the sums a row implies (n = valid + don't know, valid = points 1–5), shares × bases (a
likert row's ``share_base``: valid, or answered = n) and
means × bases, single choices adding up to respondents, each group's respondents to a
question at most its participants, participation tables adding up to the responses
counted and types adding up to their group. ``disclosure_lp`` bounds any unknown over all
of them. The findings, by the issue's rule (K = ``meta.min_cell``):

(a) a table's total minus its shown rows leaves 1…K−1 respondents;
(b) a kind shown on its own counts 1…K−1 respondents (known, or bounded into that range);
(c) a kind not shown on its own (pooled, or absent) has its respondents bounded into
    1…K−1; or it counts fewer than K there (as the unprotected report given as ``truth``
    says, or possibly, without one) and one of its counts has a lower bound ≥ 1 (it is
    known to have chosen something); an old-format "<K" is bounded more tightly than
    1…K−1, or a withheld count is pinned to one value.

Quotes may name a group only when the group is shown on its own (with K or more), and words
must be used by K or more comments. Nothing here needs Flask: the auditor reads data only.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from consult.models.vocab import QuestionType

from .disclosure_lp import INF, OTHER, Inconsistent, Terms, combine, hidden, judge, meaning
from .disclosure_people import ENIA, Lists, Who, participation

ALL = "all"
#: A quote's group where its author's group is not shown on its own.
OTHER_ACTOR = "other_actor"
POINTS = ["1", "2", "3", "4", "5"]
LIKERT = [*POINTS, "dk"]


@dataclass(frozen=True)
class Leak:
    """One thing an outsider learns about fewer than K respondents."""

    table: str
    row: str
    what: str

    def __str__(self) -> str:
        return f"{self.table} · {self.row}: {self.what}"


def figure(value) -> float | None:
    """A derived figure (share, mean) as a number, or None where none is printed."""
    if value is None or isinstance(value, str) or (isinstance(value, float) and value != value):
        return None
    return float(value)


@dataclass
class Breakdown:
    """One table by group (a question, a section, a theme): its cells and relations."""

    title: str
    measures: list[str]
    #: Respondents of a kind, as a combination of its counts.
    size: dict[str, float]
    #: Counts whose lower bound ≥ 1 says a kind chose something.
    answers: list[str]
    #: (group, column as printed, combination of counts, value as printed).
    cells: list[tuple[str, str, dict[str, float], object]] = field(default_factory=list)
    #: (group, combination of counts) equal to 0: shares × bases, means × bases.
    relations: list[tuple[str, dict[str, float]]] = field(default_factory=list)
    #: Constraints every kind's counts obey: (combination, lower, upper).
    per_atom: list[tuple[dict[str, float], float, float]] = field(default_factory=list)
    #: Respondents per kind are at most ``cap`` × the kind's participants.
    cap: float = 1.0


#: The frames broken down by the report's breakdown (named after its field, unless groups).
BROKEN_DOWN = ("likert", "choices", "ranking", "comments", "passages", "themes", "gates")


def as_groups(document: dict, by: str) -> dict:
    """The document with its broken-down frames' category column called ``group``."""
    if by == "group":
        return document
    renamed = {
        name: [{("group" if c == by else c): v for c, v in row.items()} for row in rows]
        for name, rows in document.items()
        if name in BROKEN_DOWN
    }
    return {**document, **renamed}


def audit(
    document: dict,
    *,
    truth: dict | None = None,
    withheld_at_least: int = 0,
    lists: Lists = ENIA,
    by: str | None = None,
) -> list[Leak]:
    """Every leak of one open output (a parsed JSON document or its XLSX read back).

    ``truth``, the same report unprotected (every group its own row), tells which kinds
    really count fewer than K in a table: what an outsider learns of a pooled kind's
    answers is a leak only about those. Without it, every kind that might count fewer
    than K is taken to. ``lists`` are the consultation's published lists; ``by`` the
    breakdown of its results tables (the document's own, else the groups).
    """
    k = int(document["meta"]["min_cell"])
    by = by or (document["meta"].get("filters") or {}).get("by") or "group"
    document = as_groups(document, by)
    truth = as_groups(truth, by) if truth is not None else None
    who = participation(document, k, withheld_at_least, lists=lists, by=by)
    leaks = [Leak(*finding) for finding in who.leaks]
    tables = list(breakdowns(document))
    # Cell by cell (the old open report), every kind with counts has its own row.
    by_cell = any(hidden(cell[3]) for table in tables for cell in table.cells)
    actual = sizes(truth) if truth is not None else {}
    for breakdown in tables:
        leaks += _audit_breakdown(
            who, breakdown, k, withheld_at_least, by_cell, actual.get(breakdown.title)
        )
    leaks += _quotes_and_words(document, who, k)
    return leaks


def sizes(document: dict) -> dict[str, dict[str, float]]:
    """Each table's respondents per kind, read off an unprotected report."""
    out: dict[str, dict[str, float]] = {}
    for table in breakdowns(document):
        counted: dict[tuple[str, str], float] = {}  # a count printed on several rows once
        for group, _label, combination, value in table.cells:
            if len(combination) == 1 and (measure := next(iter(combination))) in table.size:
                counted.setdefault((group, measure), value * table.size[measure])
        out[table.title] = {}
        for (group, _measure), value in counted.items():
            out[table.title][group] = out[table.title].get(group, 0) + value
    return out


def breakdowns(document: dict) -> Iterator[Breakdown]:
    """Each question, section and theme table of the document, by group."""
    types = {q["question"]: q["type"] for q in document.get("questions", [])}
    options: dict[str, list[str]] = {}
    for row in document.get("options", []):
        options.setdefault(row["question"], []).append(row["option"])
    yield from _likert(document.get("likert", []))
    for question, rows in _by(document.get("choices", []), "question"):
        single = types.get(question) == QuestionType.SINGLE_CHOICE.value
        yield _choices(question, rows, options.get(question, []), single)
    for question, rows in _by(document.get("ranking", []), "question"):
        yield _ranking(question, rows, options.get(question, []))
    for section, rows in _by(document.get("comments", []), "section"):
        yield _comments(section, rows)
    for passage, rows in _by(document.get("passages", []), "anchor"):
        yield _passage(passage, rows)
    sections = max(1, len(document.get("sections", [])))
    for theme, rows in _by(document.get("themes", []), "theme"):
        cells = [(r["group"], "n", {"n": 1}, r["n"]) for r in rows]
        yield Breakdown(f"themes {theme}", ["n"], {"n": 1}, [], cells, cap=sections)


def _by(rows: list[dict], key: str) -> Iterator[tuple[str, list[dict]]]:
    grouped: dict[str, list[dict]] = {}
    for row in rows:
        grouped.setdefault(str(row[key]), []).append(row)
    yield from grouped.items()


def _ratio(numerator: dict[str, float], base: dict[str, float], value) -> dict[str, float] | None:
    """``numerator − value × base`` (= 0), or None where no figure is printed."""
    number = figure(value)
    if number is None:
        return None
    out = dict(numerator)
    for measure, coef in base.items():
        out[measure] = out.get(measure, 0.0) - number * coef
    return out


def _likert(rows: list[dict]) -> Iterator[Breakdown]:
    every, valid = dict.fromkeys(LIKERT, 1.0), dict.fromkeys(POINTS, 1.0)
    agree, disagree = {"4": 1.0, "5": 1.0}, {"1": 1.0, "2": 1.0}
    for question, table in _by(rows, "question"):
        out = Breakdown(f"likert {question}", LIKERT, every, LIKERT)
        for row in table:
            group = row["group"]
            out.cells += [(group, m, {m: 1.0}, row.get(m)) for m in LIKERT]
            out.cells += [
                (group, "n", every, row.get("n")),
                (group, "valid", valid, row.get("valid")),
            ]
            points = {p: float(p) for p in POINTS}
            # Shares divide by the row's share base; the mean is always over valid answers.
            over = every if row.get("share_base") == "answered" else valid
            figures = [(f"share_{p}", {p: 1.0}, over) for p in POINTS]
            figures += [("mean", points, valid), ("agree", agree, over)]
            figures += [("disagree", disagree, over), ("dk_share", {"dk": 1.0}, every)]
            figures.append(("net", {**agree, "1": -1.0, "2": -1.0}, over))
            for name, numerator, base in figures:
                relation = _ratio(numerator, base, row.get(name))
                if relation is not None:
                    out.relations.append((group, relation))
        yield out


def _options(rows: list[dict], known: list[str]) -> list[str]:
    return list(dict.fromkeys([*known, *(str(r["option"]) for r in rows)]))


def _per_group(out: Breakdown, rows: list[dict], options: list[str], counts: list[str]) -> None:
    """Cells of option rows; an option without a row, in a group that has rows, counts 0."""
    seen: dict[str, set[str]] = {}
    for row in rows:
        group, option = row["group"], str(row["option"])
        seen.setdefault(group, set()).add(option)
        out.cells += [(group, f"{c}[{option}]", {f"{c}[{option}]": 1.0}, row[c]) for c in counts]
        out.cells.append((group, "respondents", {"respondents": 1.0}, row.get("respondents")))
    for group, chosen in seen.items():
        for option in options:
            if option not in chosen:
                out.cells += [(group, f"{c}[{option}]", {f"{c}[{option}]": 1.0}, 0) for c in counts]


def _choices(question: str, rows: list[dict], known: list[str], single: bool) -> Breakdown:
    options = _options(rows, known)
    chosen = [f"n[{o}]" for o in options]
    out = Breakdown(
        f"choices {question}", ["respondents", *chosen], {"respondents": 1.0}, chosen
    )  # fmt: skip
    _per_group(out, rows, options, ["n"])
    for row in rows:
        share = _ratio({f"n[{row['option']}]": 1.0}, {"respondents": 1.0}, row.get("share"))
        if share is not None:
            out.relations.append((row["group"], share))
    out.per_atom += [({n: 1.0, "respondents": -1.0}, -INF, 0.0) for n in chosen]
    if single:  # one answer each: the options add up to the respondents
        out.per_atom.append(({**dict.fromkeys(chosen, 1.0), "respondents": -1.0}, 0.0, 0.0))
    return out


def _ranking(question: str, rows: list[dict], known: list[str]) -> Breakdown:
    """Ranked counts, top-3 counts and rank sums (mean rank × n; Borda gives them too)."""
    options = _options(rows, known)
    m = float(len(options))
    ranked = [f"{c}[{o}]" for o in options for c in ("n", "top3")]
    sums = [f"rank[{o}]" for o in options]
    out = Breakdown(
        f"ranking {question}", ["respondents", *ranked, *sums], {"respondents": 1.0}, ranked
    )  # fmt: skip
    _per_group(out, rows, options, ["n", "top3"])
    for row in rows:
        o = row["option"]
        n, top3, rank, r = f"n[{o}]", f"top3[{o}]", f"rank[{o}]", "respondents"
        for relation in (
            _ratio({rank: 1.0}, {n: 1.0}, row.get("mean_rank")),
            _ratio({n: m + 1, rank: -1.0}, {r: 1.0}, row.get("borda")),
            _ratio({top3: 1.0}, {r: 1.0}, row.get("top3_share")),
        ):
            if relation is not None:
                out.relations.append((row["group"], relation))
    for o in options:
        n, top3, rank = f"n[{o}]", f"top3[{o}]", f"rank[{o}]"
        out.per_atom += [
            ({top3: 1.0, n: -1.0}, -INF, 0.0),
            ({n: 1.0, "respondents": -1.0}, -INF, 0.0),
            ({n: 1.0, rank: -1.0}, -INF, 0.0),
            ({rank: 1.0, n: -m}, -INF, 0.0),
        ]
    return out


#: The contribution codes of the consultations these audits read (the ENIA's).
CONTRIBUTIONS = ("problem_definition", "objective_formulation", "other")


def _comments(section: str, rows: list[dict]) -> Breakdown:
    """Comments per contribution and the section's commenters (``respondents``, on each
    row): one may comment on the section and on each of its passages, so each commenter
    made at least one comment and the comments bound no one. A document without
    ``respondents`` (one comment per person and section) has them add up to commenters."""
    kinds = list(dict.fromkeys([*CONTRIBUTIONS, *(r["contribution"] for r in rows)]))
    measures = [f"n[{c}]" for c in kinds]
    if rows and all("respondents" not in r for r in rows):
        out = Breakdown(f"comments {section}", measures, dict.fromkeys(measures, 1.0), measures)
    else:
        out = Breakdown(
            f"comments {section}", [*measures, "respondents"], {"respondents": 1.0},
            [*measures, "respondents"],
        )  # fmt: skip
        out.per_atom.append(({"respondents": 1.0, **dict.fromkeys(measures, -1.0)}, -INF, 0))
    seen: dict[str, set[str]] = {}
    for row in rows:
        seen.setdefault(row["group"], set()).add(row["contribution"])
        measure = f"n[{row['contribution']}]"
        out.cells.append((row["group"], measure, {measure: 1.0}, row["n"]))
        if "respondents" in row:
            out.cells.append((row["group"], "respondents", {"respondents": 1.0},
                              row["respondents"]))  # fmt: skip
    for group, present in seen.items():
        out.cells += [(group, f"n[{c}]", {f"n[{c}]": 1.0}, 0) for c in kinds if c not in present]
    return out


def _passage(anchor: str, rows: list[dict]) -> Breakdown:
    """Comments on one passage and those proposing wording: one per person and passage,
    so the comments are the passage's commenters and the proposals at most as many."""
    section = rows[0]["section"] if rows else ""
    out = Breakdown(f"passages {section} {anchor}", ["n", "proposals"], {"n": 1.0}, ["n"])
    for row in rows:
        out.cells.append((row["group"], "n", {"n": 1.0}, row["n"]))
        out.cells.append((row["group"], "proposals", {"proposals": 1.0}, row["proposals"]))
    out.per_atom.append(({"proposals": 1.0, "n": -1.0}, -INF, 0))
    return out


def _audit_breakdown(
    who: Who, breakdown: Breakdown, k: int, withheld: int, by_cell: bool, actual: dict | None
) -> list[Leak]:
    entities = list(dict.fromkeys(cell[0] for cell in breakdown.cells))
    atoms = list(dict.fromkeys([*who.groups, *(e for e in entities if e not in (ALL, OTHER))]))
    shown = [a for a in atoms if a in entities]
    rest = [a for a in atoms if a not in shown]
    program = who.program.copy()
    x = {(a, m): program.variable(f"{a}:{m}") for a in atoms for m in breakdown.measures}
    members = {ALL: atoms, OTHER: rest, **{a: [a] for a in shown}}

    def terms(entity: str, combination: dict[str, float]) -> Terms:
        return {x[a, m]: c for a in members[entity] for m, c in combination.items()}

    def size(atom: str) -> Terms:
        return {x[atom, m]: c for m, c in breakdown.size.items()}

    try:
        if by_cell and shown and OTHER not in entities:  # a kind without a row counted 0
            for atom in rest:  # (but may have answered a choice question, choosing none)
                for measure in set(breakdown.measures) - {"respondents"}:
                    program.equal({x[atom, measure]: 1.0}, 0)
        for entity, _label, combination, value in breakdown.cells:
            program.constrain(terms(entity, combination), *meaning(value, withheld))
        for entity, combination in breakdown.relations:
            program.equal(terms(entity, combination), 0)
        for atom in atoms:
            for combination, lower, upper in breakdown.per_atom:
                program.constrain({x[atom, m]: c for m, c in combination.items()}, lower, upper)
            if atom in who.groups:
                cap = combine(who.groups[atom], scale=-breakdown.cap)
                program.constrain(combine(size(atom), cap), -INF, 0)
        answers = {a: {m: {x[a, m]: 1.0} for m in breakdown.answers} for a in rest}
        cells = {
            (e, label): (terms(e, combination), value)
            for e, label, combination, value in breakdown.cells
            if hidden(value)
        }
        return [
            Leak(breakdown.title, row, what)
            for row, what in judge(
                program, k, {a: size(a) for a in shown}, {a: size(a) for a in rest},
                answers, cells, residual=combine(*(size(a) for a in rest)) if rest else None,
                actual=actual,
            )
        ]  # fmt: skip
    except Inconsistent as error:
        return [Leak(breakdown.title, "-", f"inconsistent figures ({error})")]


def _quotes_and_words(document: dict, who: Who, k: int) -> list[Leak]:
    """Quotes name only groups and types shown on their own; words need K comments."""
    leaks = []
    for row in document.get("quotes", []):
        for column, safe in (("group", who.safe_groups), ("stakeholder_type", who.safe_types)):
            value = row.get(column)
            if value not in (None, OTHER_ACTOR) and value not in safe:
                what = f"names {column} {value!r}, not shown on its own with {k} or more"
                leaks.append(Leak("quotes", str(row.get("comment", "?")), what))
    for row in document.get("terms", []):
        if row["comments_using"] < k:
            what = f"{row['term']!r} is used by {row['comments_using']} comments"
            leaks.append(Leak("terms", str(row["section"]), what))
    return leaks


__all__ = ["Leak", "audit", "meaning"]
