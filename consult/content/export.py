"""Write a stored consultation back out as a bundle (docs/content-bundles.md).

``bundle_files`` gives every file of the bundle, in the order a person reads them:
``consultation.yaml``, ``profile.yaml``, the population tables and one file per section.
YAML keys come in a fixed order, Markdown is written as stored (``*_md_*``), dates in the
consultation's time zone with their offset, and defaults are written out, so that
exporting, loading the export into another database and exporting again gives the same
bytes. ``bundle_zip`` packs them in a zip (one top folder named after the slug) with fixed
timestamps: the same consultation always gives the same zip.

What a bundle does not hold is not exported: responses, comments, reviewing, versions of
the draft other than the current one, the stage beyond preparation/running.
"""

from __future__ import annotations

import csv
import io
import zipfile
from datetime import datetime
from pathlib import Path
from typing import Any

import sqlalchemy as sa
import yaml

from ..extensions import db
from ..models import Consultation, Question, Section
from ..models.insight import ReferencePopulation
from ..models.profile import GROUPS_KEY
from ..models.vocab import Stage
from ..models.zones import in_zone

#: Every member of an exported zip carries this date: the same content, the same bytes.
ZIP_DATE = (2000, 1, 1, 0, 0, 0)


class _Dumper(yaml.SafeDumper):
    """Block style, lists indented under their key, Markdown as literal blocks."""

    def increase_indent(self, flow: bool = False, indentless: bool = False):
        return super().increase_indent(flow, False)

    def ignore_aliases(self, data: Any) -> bool:
        return True  # every value written out in full, never as &anchor / *alias


def _text(dumper: yaml.SafeDumper, value: str):
    # A next-line character (U+0085) is a line break to YAML: only escaped does it stay.
    style = '"' if "\x85" in value else "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


def _moment(dumper: yaml.SafeDumper, value: datetime):
    return dumper.represent_scalar("tag:yaml.org,2002:timestamp", value.isoformat())


_Dumper.add_representer(str, _text)
_Dumper.add_representer(datetime, _moment)


def dump_yaml(data: dict[str, Any]) -> bytes:
    text = yaml.dump(
        data,
        Dumper=_Dumper,
        sort_keys=False,
        allow_unicode=True,
        default_flow_style=False,
        width=10**6,
    )
    return text.encode("utf-8")


# ---------------------------------------------------------------- texts as read back


def _line(value: str) -> str:
    """A one-line text as the reader keeps it (stripped)."""
    return (value or "").strip()


def _markdown(value: str) -> str:
    """Markdown as stored, with the line ends and outer blank lines the reader keeps."""
    return (value or "").replace("\r\n", "\n").replace("\r", "\n").strip("\n")


def _pair(obj: Any, name: str, read=_line) -> dict[str, str]:
    return {lang: read(getattr(obj, f"{name}_{lang}") or "") for lang in ("es", "en")}


def _optional_pair(obj: Any, name: str, read=_line) -> dict[str, str] | None:
    pair = _pair(obj, name, read)
    return pair if any(pair.values()) else None


def _put(out: dict[str, Any], key: str, value: Any) -> None:
    if value is not None:
        out[key] = value


# ---------------------------------------------------------------- the files


def consultation_yaml(consultation: Consultation) -> dict[str, Any]:
    zone = consultation.time_zone
    # Analysis and outcome are decided over responses, which a bundle does not carry.
    stage = Stage.PREPARATION if consultation.stage is Stage.PREPARATION else Stage.RUNNING
    out: dict[str, Any] = {
        "slug": consultation.slug,
        "time_zone": zone,
        "stage": stage.value,
        "title": _pair(consultation, "title"),
        "organiser": _pair(consultation, "organiser"),
    }
    if _line(consultation.contact):
        out["contact"] = _line(consultation.contact)
    out["summary"] = _pair(consultation, "summary_md", _markdown)
    _put(out, "privacy", _optional_pair(consultation, "privacy_md", _markdown))
    out["opens"] = in_zone(consultation.opens_at, zone)
    out["closes"] = in_zone(consultation.closes_at, zone)
    out["share_base"] = consultation.share_base.value
    out["publication"] = bool(consultation.asks_publication)
    consent: dict[str, Any] = {
        # Without a controller of its own, the organiser controls the data.
        "controller": _optional_pair(consultation, "data_controller") or out["organiser"],
    }
    _put(consent, "law", _optional_pair(consultation, "data_law"))
    _put(consent, "text", _optional_pair(consultation, "consent"))
    out["consent"] = consent
    if consultation.contributions:
        out["contributions"] = [
            {"code": c["code"], "es": _line(c.get("es", "")), "en": _line(c.get("en", ""))}
            for c in consultation.contributions
        ]
    general = [_question(q) for q in consultation.questions if q.section_id is None]
    if general:
        out["questions"] = general
    return out


def _question(question: Question) -> dict[str, Any]:
    out: dict[str, Any] = {
        "key": question.key,
        "type": question.type.value,
        "required": bool(question.required),
        "prompt": _pair(question, "prompt"),
    }
    _put(out, "help", _optional_pair(question, "help"))
    if question.type.has_options:
        out["options"] = [
            {"code": o["code"], "es": _line(o.get("es", "")), "en": _line(o.get("en", ""))}
            for o in question.options
        ]
    return out


def section_yaml(section: Section) -> dict[str, Any]:
    out: dict[str, Any] = {"key": section.key, "number": _line(section.number)}
    if section.parent is not None:
        out["parent"] = section.parent.key
    out["title"] = _pair(section, "title")
    out["body"] = _pair(section, "body_md", _markdown)
    if not section.comments_enabled:
        out["comments"] = False
    _put(out, "gate", _optional_pair(section, "gate"))
    questions = sorted(section.questions, key=lambda q: q.position)
    if questions:
        out["questions"] = [_question(q) for q in questions]
    return out


def profile_yaml(consultation: Consultation) -> dict[str, Any]:
    groups: list[dict[str, Any]] = []
    fields: list[dict[str, Any]] = []
    for field in consultation.profile_fields:
        if field.key == GROUPS_KEY:
            groups = [_profile_option(field.key, o) for o in field.options]
            continue
        if not field.asked:
            continue
        out: dict[str, Any] = {"key": field.key, "required": bool(field.required)}
        _put(out, "prompt", _optional_pair(field, "prompt"))
        _put(out, "help", _optional_pair(field, "help"))
        if field.options:
            out["options"] = [_profile_option(field.key, o) for o in field.options]
        fields.append(out)
    return {"groups": groups, "fields": fields}


def _profile_option(field_key: str, option: Any) -> dict[str, Any]:
    out: dict[str, Any] = {"code": option.code}
    if field_key == "stakeholder_type":
        out["group"] = option.group
        _put(out, "only", option.only)
    if field_key == "region" and option.abroad:
        out["abroad"] = True
    out["es"] = _line(option.label_es)
    out["en"] = _line(option.label_en)
    return out


def population_csvs(consultation: Consultation) -> dict[str, bytes]:
    """One CSV per field compared: the first field of the profile in ``population.csv``,
    any other in ``population-<field>.csv``; rows in the order of the field's options."""
    rows = db.session.scalars(
        sa.select(ReferencePopulation).filter_by(consultation_id=consultation.id)
    ).all()
    by_field: dict[str, dict[str, ReferencePopulation]] = {}
    for row in rows:
        by_field.setdefault(row.field_key, {})[row.code] = row
    order = {f.key: [o.code for o in f.options] for f in consultation.profile_fields}
    files: dict[str, bytes] = {}
    for field in [f.key for f in consultation.profile_fields if f.key in by_field]:
        table = by_field[field]
        codes = [c for c in order[field] if c in table] + sorted(set(table) - set(order[field]))
        text = io.StringIO()
        writer = csv.writer(text, lineterminator="\n")
        writer.writerow([field, "population", "source_note"])
        for code in codes:
            row = table[code]
            writer.writerow([code, _number(row.population), row.source or ""])
        name = "population.csv" if not files else f"population-{field}.csv"
        files[name] = text.getvalue().encode("utf-8")
    return files


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def bundle_files(consultation: Consultation) -> dict[str, bytes]:
    """Every file of the consultation's bundle: path inside the folder -> its bytes."""
    files = {
        "consultation.yaml": dump_yaml(consultation_yaml(consultation)),
        "profile.yaml": dump_yaml(profile_yaml(consultation)),
        **population_csvs(consultation),
    }
    sections = sorted(consultation.sections, key=lambda s: s.position)
    width = max(2, len(str(len(sections))))
    for number, section in enumerate(sections, start=1):
        name = f"sections/{number:0{width}d}-{section.key}.yaml"
        files[name] = dump_yaml(section_yaml(section))
    return files


def write_folder(consultation: Consultation, folder: Path) -> Path:
    """Write the bundle into ``folder``, which must be new or empty (a file left there
    from another bundle would be read with it)."""
    if folder.exists() and any(folder.iterdir()):
        raise FileExistsError(f"{folder}: not empty")
    for name, data in bundle_files(consultation).items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return folder


def bundle_zip(consultation: Consultation) -> bytes:
    """The bundle zipped, in one top folder named after the slug."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in bundle_files(consultation).items():
            member = zipfile.ZipInfo(f"{consultation.slug}/{name}", date_time=ZIP_DATE)
            member.compress_type = zipfile.ZIP_DEFLATED
            member.external_attr = 0o644 << 16
            archive.writestr(member, data)
    return out.getvalue()


def zip_files(data: bytes) -> dict[str, bytes]:
    """The files of a zipped bundle by their path inside its top folder (for comparing)."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {
            name.split("/", 1)[1]: archive.read(name)
            for name in archive.namelist()
            if not name.endswith("/")
        }
