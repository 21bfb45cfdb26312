"""Load a consultation bundle (YAML + Markdown, see docs/content-bundles.md) into the models.

Loading is idempotent and matches sections and questions by key, so a reload that edits
text keeps every response attached to what it answered.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from ..extensions import db
from ..models import Answer, AnswerChoice, Comment, Consultation, Question, Section
from ..models.columns import utcnow
from ..models.vocab import QuestionType, ShareBase, Stage
from ..models.zones import DEFAULT_TIME_ZONE, zone_info
from .checks import CODE as _CODE
from .checks import LANGS, ContentError, allowing_gaps
from .checks import assign as _assign
from .checks import bilingual as _bilingual
from .checks import key as _key
from .checks import read_yaml as _read_yaml
from .checks import text as _text
from .markdown import render_markdown
from .population import load_population, read_population
from .profiles import load_profile, read_profile
from .versions import keep_current_in_step, refuse_if_versioned

BUNDLES_DIR = Path(__file__).resolve().parent


@dataclass
class LoadReport:
    """What a load did, for the command line."""

    slug: str
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated or self.deleted)


def bundle_path(name_or_path: str | Path) -> Path:
    """A bundle folder given as a path, or as the name of a bundle shipped with consult."""
    path = Path(name_or_path)
    if path.is_dir():
        return path
    shipped = BUNDLES_DIR / str(name_or_path)
    if shipped.is_dir():
        return shipped
    raise ContentError(f"{name_or_path}: no such bundle folder")


# ---------------------------------------------------------------- reading and checking


def _moment(where: str, value: Any, zone: str) -> datetime | None:
    """A bundle's date or date-time as naive UTC; without an offset, it is in ``zone``."""
    if value is None:
        return None
    if isinstance(value, datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=zone_info(zone))
        return _to_utc(value)
    if isinstance(value, date):
        return _moment(where, datetime.combine(value, time()), zone)
    if isinstance(value, str):
        try:
            return _moment(where, datetime.fromisoformat(value), zone)
        except ValueError:
            pass
    raise ContentError(f"{where}: {value!r} is not a date or date-time")


def _to_utc(value: datetime) -> datetime:
    return (value - value.utcoffset()).replace(tzinfo=None)


def _time_zone(where: str, value: Any) -> str:
    """The consultation's time zone: an IANA name the zone database knows."""
    try:
        return zone_info(value).key
    except ValueError as exc:
        raise ContentError(
            f"{where}: {value!r} is not a time zone; write an IANA name such as America/Lima,"
            " America/Santiago or America/Bogota"
        ) from exc


def _question(where: str, raw: Any) -> dict[str, Any]:
    if not isinstance(raw, dict):
        raise ContentError(f"{where}: expected a mapping")
    key = _key(f"{where}.key", raw.get("key"))
    where = f"{where} ({key})"
    try:
        qtype = QuestionType(raw.get("type"))
    except ValueError as exc:
        kinds = ", ".join(t.value for t in QuestionType)
        raise ContentError(f"{where}.type: {raw.get('type')!r} is not one of {kinds}") from exc
    options = raw.get("options") or []
    if qtype.has_options:
        if not isinstance(options, list) or len(options) < 2:
            raise ContentError(f"{where}.options: a {qtype.value} question needs 2 or more")
        checked = []
        for i, opt in enumerate(options):
            if not isinstance(opt, dict):
                raise ContentError(f"{where}.options[{i}]: expected {{code, es, en}}")
            code = _key(f"{where}.options[{i}].code", str(opt.get("code", "")), _CODE)
            labels = _bilingual(f"{where}.options[{i}]", opt, max_len=300)
            checked.append({"code": code, **labels})
        codes = [o["code"] for o in checked]
        if len(set(codes)) != len(codes):
            raise ContentError(f"{where}.options: codes repeat")
        options = checked
    elif options:
        raise ContentError(f"{where}.options: a {qtype.value} question takes no options")
    required = raw.get("required", False)
    if not isinstance(required, bool):
        raise ContentError(f"{where}.required: true or false")
    prompt = _bilingual(f"{where}.prompt", raw.get("prompt"), max_len=2000)
    help_ = _bilingual(f"{where}.help", raw.get("help"), max_len=2000, optional=True)
    return {
        "key": key,
        "type": qtype,
        "required": required,
        "prompt_es": prompt["es"],
        "prompt_en": prompt["en"],
        "help_es": help_["es"],
        "help_en": help_["en"],
        "options": options,
    }


def _consent(where: str, meta: dict[str, Any]) -> dict[str, Any]:
    """Whether publication is asked, and the consent: controller, law, own wording."""
    asks = meta.get("publication", True)
    if not isinstance(asks, bool):
        raise ContentError(f"{where}: publication: true (asked) or false (nothing published)")
    consent = meta.get("consent") or {}
    if not isinstance(consent, dict) or set(consent) - {"controller", "law", "text"}:
        raise ContentError(f"{where}: consent: a mapping of controller, law and text")
    values: dict[str, Any] = {"asks_publication": asks}
    controller = consent.get("controller") or meta.get("organiser")
    parts = {
        "data_controller": _bilingual(f"{where}: consent.controller", controller, max_len=300),
        "data_law": _bilingual(
            f"{where}: consent.law", consent.get("law"), max_len=300, optional=True
        ),
        "consent": _bilingual(
            f"{where}: consent.text", consent.get("text"), max_len=2000, optional=True
        ),
    }
    for name, texts in parts.items():
        values.update({f"{name}_{lang}": text for lang, text in texts.items()})
    return values


def _contact_and_privacy(where: str, meta: dict[str, Any]) -> dict[str, Any]:
    """How people reach the organiser (one line) and the privacy notice (Markdown per
    language); both optional, empty when absent."""
    contact = meta.get("contact")
    if contact is None:
        contact = ""
    elif isinstance(contact, str) and contact.strip():
        contact = _text(f"{where}: contact", contact, max_len=300)
    else:
        raise ContentError(f"{where}: contact: one line of text (an email address, a phone)")
    privacy = _bilingual(f"{where}: privacy", meta.get("privacy"), multiline=True, optional=True)
    return {
        "contact": contact,
        "privacy_md_es": privacy["es"],
        "privacy_md_en": privacy["en"],
    }


def read_bundle(folder: Path) -> dict[str, Any]:
    """Read and check a whole bundle before anything is written."""
    meta = _read_yaml(folder / "consultation.yaml")
    where = f"{folder / 'consultation.yaml'}"
    zone = _time_zone(f"{where}: time_zone", meta.get("time_zone", DEFAULT_TIME_ZONE))
    bundle: dict[str, Any] = {
        "slug": _key(f"{where}: slug", meta.get("slug")),
        "opens": _moment(f"{where}: opens", meta.get("opens"), zone),
        "closes": _moment(f"{where}: closes", meta.get("closes"), zone),
        "time_zone": zone,
    }
    share_base = meta.get("share_base", ShareBase.VALID.value)
    if share_base not in [b.value for b in ShareBase]:
        choices = " or ".join(b.value for b in ShareBase)
        raise ContentError(f"{where}: share_base must be {choices}, not {share_base!r}")
    bundle["share_base"] = ShareBase(share_base)
    # A new consultation may start in preparation (not public); reloading never moves one.
    stage = meta.get("stage", Stage.RUNNING.value)
    if stage not in (Stage.PREPARATION.value, Stage.RUNNING.value):
        raise ContentError(f"{where}: stage must be preparation or running, not {stage!r}")
    bundle["stage"] = Stage(stage)
    if bundle["stage"] is Stage.PREPARATION:
        # Written and translated as it goes: a text may still lack a language.
        with allowing_gaps() as gaps:
            _read_content(folder, meta, where, bundle)
        bundle["gaps"] = [gap.replace(f"{folder}/", "") for gap in gaps]
    else:
        _read_content(folder, meta, where, bundle)
        bundle["gaps"] = []
    return bundle


def _read_content(folder: Path, meta: dict[str, Any], where: str, bundle: dict[str, Any]) -> None:
    """Everything but the address, dates and settings: texts, profile, sections, questions."""
    for name, max_len in (("title", 300), ("organiser", 300)):
        for lang, text in _bilingual(f"{where}: {name}", meta.get(name), max_len=max_len).items():
            bundle[f"{name}_{lang}"] = text
    for lang, text in _bilingual(f"{where}: summary", meta.get("summary"), multiline=True).items():
        bundle[f"summary_md_{lang}"] = text
    bundle.update(_consent(where, meta))
    bundle.update(_contact_and_privacy(where, meta))
    bundle["profile"] = read_profile(folder)
    bundle["population"] = read_population(folder, bundle["profile"])
    questions = meta.get("questions") or []
    if not isinstance(questions, list):
        raise ContentError(f"{where}: questions must be a list")
    bundle["questions"] = [
        _question(f"{where}: questions[{i}]", q) for i, q in enumerate(questions)
    ]

    files = sorted((folder / "sections").glob("*.yaml"))
    if not files and bundle["stage"] is not Stage.PREPARATION:
        raise ContentError(f"{folder / 'sections'}: no section files (*.yaml)")
    sections = []
    for path in files:
        raw = _read_yaml(path)
        key = _key(f"{path}: key", raw.get("key"))
        title = _bilingual(f"{path}: title", raw.get("title"), max_len=300)
        body = _bilingual(f"{path}: body", raw.get("body"), multiline=True)
        raw_questions = raw.get("questions") or []
        if not isinstance(raw_questions, list):
            raise ContentError(f"{path}: questions must be a list")
        parent = raw.get("parent")
        gate = _bilingual(f"{path}: gate", raw.get("gate"), max_len=500, optional=True)
        sections.append(
            {
                "key": key,
                "number": _text(f"{path}: number", str(raw.get("number", "")), max_len=16),
                "parent": None if parent is None else _key(f"{path}: parent", str(parent)),
                "title_es": title["es"],
                "title_en": title["en"],
                "body_md_es": body["es"],
                "body_md_en": body["en"],
                "comments_enabled": _comments_enabled(path, raw.get("comments", True)),
                "gate_es": gate["es"],
                "gate_en": gate["en"],
                "questions": [
                    _question(f"{path}: questions[{i}]", q) for i, q in enumerate(raw_questions)
                ],
                "file": path,
            }
        )
    bundle["contributions"] = _contributions(f"{where}: contributions", meta.get("contributions"))
    _check_structure(where, bundle["questions"], sections)
    bundle["sections"] = sections


def unfinished(bundle: dict[str, Any]) -> str | None:
    """What a bundle in preparation still lacks (texts in a language, any section), said
    in English; None if nothing."""
    missing = []
    if bundle["gaps"]:
        shown = ", ".join(bundle["gaps"][:5]) + (" …" if len(bundle["gaps"]) > 5 else "")
        missing.append(f"{len(bundle['gaps'])} text(s) lack a language ({shown})")
    if not bundle["sections"]:
        missing.append("it has no section")
    return "; ".join(missing) or None


def refuse_unfinished(bundle: dict[str, Any]) -> None:
    """Only a consultation in preparation may lack a language or have no section."""
    missing = unfinished(bundle)
    if missing:
        raise ContentError(
            f"{missing}: only a consultation in preparation may be loaded unfinished,"
            " and this one is past it; nothing was changed"
        )


def _check_structure(meta_file: str, general: list[dict], sections: list[dict]) -> None:
    seen: dict[str, dict] = {}
    for section in sections:
        if section["key"] in seen:
            raise ContentError(f"{section['file']}: section key {section['key']!r} repeats")
        parent = section["parent"]
        if parent is not None:
            if parent not in seen:
                raise ContentError(
                    f"{section['file']}: parent {parent!r} must be a section listed before it"
                )
            if seen[parent]["parent"] is not None:
                raise ContentError(f"{section['file']}: sections nest one level only")
        seen[section["key"]] = section
    files: dict[str, list[str]] = {}  # question key -> the files it is in
    placed = [(meta_file, general)] + [(str(s["file"]), s["questions"]) for s in sections]
    for file, questions in placed:
        for q in questions:
            files.setdefault(q["key"], []).append(file)
    repeated = [f"{k!r} in {', '.join(where)}" for k, where in files.items() if len(where) > 1]
    if repeated:
        raise ContentError(f"question keys repeat: {'; '.join(repeated)}")


# ---------------------------------------------------------------- writing


def _rendered(values: dict[str, Any], md_prefix: str, html_prefix: str) -> dict[str, Any]:
    out = dict(values)
    for lang in LANGS:
        out[f"{html_prefix}_{lang}"] = render_markdown(values[f"{md_prefix}_{lang}"])
    return out


def load_bundle(
    folder: str | Path,
    *,
    opens: datetime | None = None,
    closes: datetime | None = None,
    window_days: int = 60,
) -> LoadReport:
    """Create or update a consultation from a bundle in one transaction."""
    bundle = read_bundle(bundle_path(folder))
    try:
        report = write_bundle(bundle, opens=opens, closes=closes, window_days=window_days)
        consultation = db.session.scalar(sa.select(Consultation).filter_by(slug=report.slug))
        keep_current_in_step(consultation)
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return report


def write_bundle(
    bundle: dict[str, Any],
    *,
    opens: datetime | None = None,
    closes: datetime | None = None,
    window_days: int = 60,
) -> LoadReport:
    """Write a read bundle into the session, without committing (the caller does)."""
    slug = bundle["slug"]
    report = LoadReport(slug)
    session = db.session
    consultation = session.scalar(sa.select(Consultation).filter_by(slug=slug))
    opens = opens or bundle["opens"]
    closes = closes or bundle["closes"]
    if consultation is not None and consultation.stage is not Stage.PREPARATION:
        refuse_unfinished(bundle)
    if consultation is None:
        opens = opens or utcnow().replace(microsecond=0)
        closes = closes or opens + timedelta(days=window_days)
        consultation = Consultation(
            slug=slug, opens_at=opens, closes_at=closes, stage=bundle["stage"]
        )
        session.add(consultation)
        report.created.append(f"consultation {slug}")
    window = {}
    if opens:
        window["opens_at"] = opens
    if closes:
        window["closes_at"] = closes
    fields = {k: bundle[k] for k in bundle if k.endswith(("_es", "_en"))}
    fields["time_zone"] = bundle["time_zone"]
    fields["asks_publication"] = bundle["asks_publication"]
    fields["share_base"] = bundle["share_base"]
    fields["contact"] = bundle["contact"]
    fields = _rendered(fields, "summary_md", "summary_html")
    fields = _rendered(fields, "privacy_md", "privacy_html")
    if _assign(consultation, {**fields, **window}) and consultation.id is not None:
        report.updated.append(f"consultation {slug}")
    if consultation.closes_at <= consultation.opens_at:
        raise ContentError("the consultation must close after it opens")
    session.flush()
    load_profile(consultation, bundle["profile"], report)
    load_population(consultation, bundle["population"], report)
    _load_sections(consultation, bundle, report)
    _load_contributions(consultation, bundle["contributions"], report)
    return report


def _load_sections(consultation: Consultation, bundle: dict, report: LoadReport) -> None:
    session = db.session
    existing = {s.key: s for s in consultation.sections}
    wanted = {s["key"] for s in bundle["sections"]}
    # A reorganised hierarchy (a chapter moved under its former sub-section) cannot be
    # written in one flush: the ORM sees a cycle. Detach the sections that move first.
    new_parent = {s["key"]: s["parent"] for s in bundle["sections"]}
    moved = {
        key
        for key, section in existing.items()
        if section.parent is not None and new_parent.get(key) != section.parent.key
    }
    if moved:
        for key in moved:
            existing[key].parent = None
        session.flush()
    by_key: dict[str, Section] = {}
    for position, spec in enumerate(bundle["sections"]):
        section = existing.get(spec["key"])
        values = _rendered(
            {k: v for k, v in spec.items() if k not in ("key", "parent", "questions", "file")},
            "body_md",
            "body_html",
        )
        values["position"] = position
        values["parent"] = by_key[spec["parent"]] if spec["parent"] else None
        if section is None:
            section = Section(consultation=consultation, key=spec["key"])
            session.add(section)
            _assign(section, values)
            report.created.append(f"section {spec['key']}")
        elif _assign(section, values) or spec["key"] in moved:
            report.updated.append(f"section {spec['key']}")
        by_key[spec["key"]] = section
    session.flush()

    placed = [(None, q) for q in bundle["questions"]]
    placed += [(by_key[s["key"]], q) for s in bundle["sections"] for q in s["questions"]]
    _load_questions(consultation, placed, report)

    for key, section in existing.items():
        if key not in wanted:
            _refuse_if_used(f"section {key}", Comment, Comment.section_id == section.id)
            refuse_if_versioned(section)
            section.parent = None
            session.flush()
            session.delete(section)
            report.deleted.append(f"section {key}")
    session.flush()


def _load_questions(
    consultation: Consultation, placed: list[tuple[Section | None, dict]], report: LoadReport
) -> None:
    session = db.session
    existing = {q.key: q for q in consultation.questions}
    for position, (section, spec) in enumerate(placed):
        question = existing.pop(spec["key"], None)
        values = {k: v for k, v in spec.items() if k != "key"}
        values.update(position=position, section=section)
        if question is None:
            question = Question(consultation=consultation, key=spec["key"])
            session.add(question)
            _assign(question, values)
            report.created.append(f"question {spec['key']}")
            continue
        if question.type != spec["type"]:
            _refuse_if_used(
                f"question {spec['key']} (its type cannot change)",
                Answer,
                Answer.question_id == question.id,
            )
        removed = set(question.option_codes()) - {o["code"] for o in spec["options"]}
        if removed:
            _refuse_if_used(
                f"options {', '.join(sorted(removed))} of question {spec['key']}",
                Answer,
                sa.and_(
                    Answer.question_id == question.id,
                    sa.or_(
                        Answer.value.in_(removed),
                        Answer.id.in_(
                            sa.select(AnswerChoice.answer_id).where(
                                AnswerChoice.option.in_(removed)
                            )
                        ),
                    ),
                ),
            )
        if _assign(question, values):
            report.updated.append(f"question {spec['key']}")
    for key, question in existing.items():
        _refuse_if_used(f"question {key}", Answer, Answer.question_id == question.id)
        session.delete(question)
        report.deleted.append(f"question {key}")
    session.flush()


def _refuse_if_used(what: str, table: type, condition: Any) -> None:
    """Removing content that people answered would lose their answers: refuse instead."""
    used = db.session.scalar(sa.select(sa.func.count()).select_from(table).where(condition))
    if used:
        raise ContentError(
            f"{what}: left the bundle or changed, but {used} answer(s) or comment(s) refer to it;"
            " nothing was changed"
        )


# ---------------------------------------------------------------- optional parts


def _comments_enabled(where: Path, value: Any) -> bool:
    """A section's ``comments``: true (the default, a comment box) or false (none)."""
    if not isinstance(value, bool):
        raise ContentError(f"{where}: comments: true (a comment box) or false (none)")
    return value


def _contributions(where: str, raw: Any) -> list[dict[str, str]]:
    """What a comment may say it contributes to: [{code, es, en}]; absent or empty: not asked."""
    if raw is None:
        return []
    if not isinstance(raw, list) or len(raw) == 1:
        raise ContentError(f"{where}: a list of 2 or more {{code, es, en}}, or none")
    checked = []
    for i, choice in enumerate(raw):
        if not isinstance(choice, dict):
            raise ContentError(f"{where}[{i}]: expected {{code, es, en}}")
        code = _key(f"{where}[{i}].code", str(choice.get("code", "")), _CODE)
        checked.append({"code": code, **_bilingual(f"{where}[{i}]", choice, max_len=300)})
    codes = [c["code"] for c in checked]
    if len(set(codes)) != len(codes):
        raise ContentError(f"{where}: codes repeat")
    return checked


def _load_contributions(
    consultation: Consultation, wanted: list[dict[str, str]], report: LoadReport
) -> None:
    """Give the consultation the bundle's contribution choices; a code that stored
    comments use cannot leave (their contribution would name nothing)."""
    current = consultation.contributions or []
    removed = {c["code"] for c in current} - {c["code"] for c in wanted}
    if removed:
        _refuse_if_used(
            f"contributions {', '.join(sorted(removed))}",
            Comment,
            sa.and_(
                Comment.contribution.in_(removed),
                Comment.section_id.in_(
                    sa.select(Section.id).where(Section.consultation_id == consultation.id)
                ),
            ),
        )
    if current != wanted:
        consultation.contributions = wanted
        if f"consultation {consultation.slug}" not in report.created:
            report.updated.append(f"contributions of {consultation.slug}")
        db.session.flush()
