"""Who took part, as an outsider can bound it from the participation tables of one output.

Unknowns: the responses counted, the respondents of each stakeholder type (a reporting
group is the sum of its types), and of each category of every other profile question.
Relations: each table's published rows (a pool as the sum over the categories not shown),
every table adding up to the responses counted (organisations by size, "not given"
included, to the organisations), and each day's running total. The question, section
and theme tables reuse the program: a category's respondents there (a group's, or a
region's when the report is broken down by region) are at most its participants here.

The outsider knows the consultation's published lists (``Lists``): the ENIA's by default,
read from its bundle, or any consultation's profile.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from consult.content.bundles import BUNDLES_DIR
from consult.content.profiles import read_profile
from consult.models.profile import Field, Option, Profile
from consult.models.vocab import Channel, RespondingAs

from .disclosure_lp import OTHER, Inconsistent, Program, Terms, combine, hidden, judge, meaning


@dataclass(frozen=True)
class Lists:
    """What an outsider knows of a consultation's profile: the lists its form publishes."""

    types: list[str]
    group_of: dict[str, str]
    groups: list[str]
    #: The categories of every other field asked from a list ("not_given" where it may be).
    vocabulary: dict[str, list[str]]

    @classmethod
    def of(cls, profile: Profile) -> Lists:
        vocabulary = {}
        for f in profile.categorical:
            if f.key == "stakeholder_type":
                continue
            codes = [r.value for r in RespondingAs] if f.key == "responding_as" else f.codes
            optional = not f.required or f.key == "organisation_size"
            vocabulary[f.key] = codes + (["not_given"] if optional else [])
        # How each response came (a partition of them all, as a field asked of everyone).
        vocabulary["channel"] = [c.value for c in Channel]
        types = profile["stakeholder_type"]
        return cls(types.codes if types else [], profile.group_of, profile.group_codes, vocabulary)


def bundle_profile(name: str) -> Profile:
    """A shipped bundle's profile, read from its ``profile.yaml`` (no database)."""
    raw = read_profile(BUNDLES_DIR / name)

    def options(specs: list[dict]) -> tuple[Option, ...]:
        return tuple(
            Option(o["code"], {"es": o["label_es"], "en": o["label_en"]}, o.get("group"))
            for o in specs
        )

    fields = tuple(
        Field(f["key"], required=f["required"], options=options(f["options"]))
        for f in raw["fields"]
    )
    return Profile(fields=fields, groups=options(raw["groups"]))


#: The ENIA consultation's lists, which the audits of its reports read.
ENIA = Lists.of(bundle_profile("enia-2021"))


@dataclass
class Who:
    program: Program
    #: Each category's participants, over the program's unknowns, for the report's
    #: breakdown (the reporting groups by default).
    groups: dict[str, Terms]
    #: Groups and types that quotes may name: shown on their own with K or more.
    safe_groups: set[str] = field(default_factory=set)
    safe_types: set[str] = field(default_factory=set)
    #: (table, row, what) of every leak found in participation.
    leaks: list[tuple[str, str, str]] = field(default_factory=list)


def _key(rows: list[dict]) -> str:
    return next(c for c in rows[0] if c not in ("responses", "cumulative", "since"))


def participation(
    document: dict, k: int, withheld: int = 0, *, lists: Lists = ENIA, by: str = "group"
) -> Who:
    """The participation program of a document, with the leaks of its tables; ``by``
    names the table whose categories bound the results tables' (``Who.groups``)."""
    tables: dict[str, list[dict]] = document.get("participation", {})
    program = Program()
    total = {program.variable("responses"): 1.0}
    try:
        program.constrain(total, *meaning(document["meta"]["responses"], withheld))
    except Inconsistent as error:
        return Who(program, {}, leaks=[("meta", "responses", f"inconsistent ({error})")])
    seen = {name: [str(r[_key(rows)]) for r in rows] for name, rows in tables.items() if rows}
    types = {t: program.variable(f"type:{t}") for t in lists.types}
    for extra in seen.get("stakeholder_type", []):
        if extra not in types and extra != OTHER:
            types[extra] = program.variable(f"type:{extra}")
    atoms: dict[str, dict[str, Terms]] = {
        "stakeholder_type": {t: {v: 1.0} for t, v in types.items()},
        "group": {
            g: {types[t]: 1.0 for t in lists.types if lists.group_of[t] == g} for g in lists.groups
        },
    }
    sections = [str(n) for n in range(len(document.get("sections", [])) + 1)]
    for name, known in {**lists.vocabulary, "sections_covered": sections}.items():
        atoms[name] = {c: {program.variable(f"{name}:{c}"): 1.0} for c in known}
    for name, codes in seen.items():
        for extra in codes:
            if name in atoms and extra not in atoms[name] and extra != OTHER:
                atoms[name][extra] = {program.variable(f"{name}:{extra}"): 1.0}
    organisations = atoms["responding_as"].get("organisation", {})
    for name, categories in atoms.items():
        whole = organisations if name == "organisation_size" else total
        if name != "group":  # the groups add up their types
            program.equal(combine(*categories.values(), _minus(whole)), 0.0)
    who = Who(program, atoms.get(by, {}))
    try:
        views = [_table(program, n, tables.get(n, []), atoms[n], withheld) for n in atoms]
        days = _days(program, tables.get("day", []), total, withheld)
    except Inconsistent as error:
        who.leaks.append(("participation", "-", f"inconsistent figures ({error})"))
        return who
    for name, view in [v for v in (*views, days) if v is not None]:
        shown, unknown, cells, residual = view
        for row, what in judge(program, k, shown, unknown, {}, cells, residual):
            who.leaks.append((f"participation {name}", row, what))
        if name in ("group", "stakeholder_type"):
            safe = {a for a, terms in shown.items() if program.bounds(terms)[0] >= k}
            (who.safe_groups if name == "group" else who.safe_types).update(safe)
    return who


def _minus(terms: Terms) -> Terms:
    return {v: -c for v, c in terms.items()}


def _table(program: Program, name: str, rows: list[dict], atoms: dict[str, Terms], withheld):
    """Constrain one table by its rows; what ``judge`` needs to read it (None if empty)."""
    if not rows or name == "day":
        return None
    key = _key(rows)
    values = {str(r[key]): r["responses"] for r in rows}
    shown = [a for a in atoms if a in values]
    rest = [a for a in atoms if a not in values]

    def terms(code: str) -> Terms:
        return combine(*(atoms[a] for a in rest)) if code == OTHER else atoms[code]

    for code, value in values.items():
        program.constrain(terms(code), *meaning(value, withheld))
    cells = {(c, "responses"): (terms(c), v) for c, v in values.items() if hidden(v)}
    residual = combine(*(atoms[a] for a in rest)) if rest else None
    return name, ({a: atoms[a] for a in shown}, {a: atoms[a] for a in rest}, cells, residual)


def _days(program: Program, rows: list[dict], total: Terms, withheld):
    """Each row's responses and running total: the running totals add up the days."""
    if not rows:
        return None
    shown, cells, previous = {}, {}, None
    for row in rows:
        since = row.get("since") or row["day"]
        day = str(row["day"]) if since == row["day"] else f"{since} – {row['day']}"
        count = {program.variable(f"day:{day}"): 1.0}
        running = {program.variable(f"cumulative:{day}"): 1.0}
        program.constrain(count, *meaning(row["responses"], withheld))
        program.constrain(running, *meaning(row["cumulative"], withheld))
        program.equal(combine(running, _minus(count), _minus(previous or {})), 0.0)
        shown[day], previous = count, running
        for column, terms in (("responses", count), ("cumulative", running)):
            if hidden(row[column]):
                cells[day, column] = (terms, row[column])
    program.equal(combine(previous, _minus(total)), 0.0)
    return "day", (shown, {}, cells, None)
