"""A bundle's respondent profile (``profile.yaml``): read and check it, then write it.

The profile says who responds: the fields the form asks, which are required, each
field's options with codes and labels per language, and the reporting groups that
stakeholder types are counted in. See docs/content-bundles.md for the format.

Reloading matches fields by key and options by code, so responses keep their answers;
an option or field that stored responses use cannot leave the bundle.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import sqlalchemy as sa

from ..extensions import db
from ..models import Consultation, ProfileField, ProfileOption, RespondentTrait, Response
from ..models.profile import GROUPS_KEY, LISTED_FIELDS, STANDARD_FIELDS
from .checks import CODE, ContentError, assign, bilingual, key, read_yaml

#: Standard fields that take no options: their answers are fixed (individual or
#: organisation), free text (the organisation's name) or a country code.
_UNLISTED = ("responding_as", "organisation_name")
_ONLY = ("individual", "organisation")
#: Names reports already use for tables or columns of their own.
_RESERVED = ("day", "sections_covered", "all", "other_groups", "not_given")


def read_profile(folder: Path) -> dict:
    """Check ``profile.yaml`` and return {"groups": [...], "fields": [...]}."""
    path = folder / "profile.yaml"
    if not path.is_file():
        raise ContentError(
            f"{path}: missing; every bundle declares who responds (see docs/content-bundles.md)"
        )
    raw = read_yaml(path)
    where = str(path)

    def options(at: str, listed: Any, extra=()) -> list[dict]:
        if not isinstance(listed, list) or len(listed) < 2:
            raise ContentError(f"{at}.options: a list of 2 or more {{code, es, en}}")
        checked = []
        for i, opt in enumerate(listed):
            if not isinstance(opt, dict):
                raise ContentError(f"{at}.options[{i}]: expected {{code, es, en}}")
            unknown = set(opt) - {"code", "es", "en", *extra}
            if unknown:
                raise ContentError(f"{at}.options[{i}]: unknown keys {', '.join(sorted(unknown))}")
            labels = bilingual(f"{at}.options[{i}]", opt, max_len=300)
            checked.append(
                {
                    "code": key(f"{at}.options[{i}].code", str(opt.get("code", "")), CODE),
                    "label_es": labels["es"],
                    "label_en": labels["en"],
                    **{name: opt[name] for name in extra if name in opt},
                }
            )
        codes = [o["code"] for o in checked]
        if len(set(codes)) != len(codes):
            raise ContentError(f"{at}.options: codes repeat")
        return checked

    groups = options(f"{where}: groups", raw.get("groups"))
    group_codes = {g["code"] for g in groups}
    listed = raw.get("fields")
    if not isinstance(listed, list) or not listed:
        raise ContentError(f"{where}: fields: a list of the fields the form asks")
    fields: list[dict] = []
    for i, spec in enumerate(listed):
        at = f"{where}: fields[{i}]"
        if not isinstance(spec, dict):
            raise ContentError(f"{at}: expected a mapping")
        name = key(f"{at}.key", spec.get("key"), CODE)
        at = f"{at} ({name})"
        if name in (GROUPS_KEY, "country"):
            raise ContentError(
                f"{at}: {name!r} is not a field: groups are listed under `groups`; the"
                " country is asked when a region option has `abroad: true`"
            )
        if name in _RESERVED:
            raise ContentError(f"{at}: {name!r} is a name reports use; choose another key")
        required = spec.get("required", False)
        if not isinstance(required, bool):
            raise ContentError(f"{at}.required: true or false")
        standard = name in STANDARD_FIELDS
        prompt = bilingual(f"{at}.prompt", spec.get("prompt"), max_len=300, optional=standard)
        help_ = bilingual(f"{at}.help", spec.get("help"), max_len=1000, optional=True)
        if name in _UNLISTED:
            if spec.get("options"):
                raise ContentError(f"{at}.options: this field takes no options")
            checked: list[dict] = []
        elif name == "stakeholder_type":
            checked = options(at, spec.get("options"), extra=("group", "only"))
            for o in checked:
                if o.get("group") not in group_codes:
                    raise ContentError(
                        f"{at}: option {o['code']!r}: `group` must be one of the groups"
                        f" ({', '.join(sorted(group_codes))})"
                    )
                if o.get("only") not in (None, *_ONLY):
                    raise ContentError(
                        f"{at}: option {o['code']!r}: `only` is individual or organisation"
                    )
        elif name == "region":
            checked = options(at, spec.get("options"), extra=("abroad",))
            for o in checked:
                if not isinstance(o.get("abroad", False), bool):
                    raise ContentError(f"{at}: option {o['code']!r}: `abroad` is true or false")
        else:
            checked = options(at, spec.get("options"))
        fields.append(
            {
                "key": name,
                "required": required,
                "prompt_es": prompt["es"],
                "prompt_en": prompt["en"],
                "help_es": help_["es"],
                "help_en": help_["en"],
                "options": checked,
            }
        )
    keys = [f["key"] for f in fields]
    if len(set(keys)) != len(keys):
        raise ContentError(f"{where}: field keys repeat")
    if "stakeholder_type" not in keys:
        raise ContentError(
            f"{where}: fields: stakeholder_type is needed: reports count every group of it"
        )
    stakeholder = fields[keys.index("stakeholder_type")]
    if not stakeholder["required"]:
        raise ContentError(f"{where}: fields: stakeholder_type must be required")
    for organisational in ("organisation_name", "organisation_size"):
        if organisational in keys and "responding_as" not in keys:
            raise ContentError(f"{where}: fields: {organisational} needs responding_as to be asked")
    return {"groups": groups, "fields": fields}


def load_profile(consultation: Consultation, profile: dict, report: Any) -> None:
    """Write the profile's fields and options; refuse to drop what responses use."""
    session = db.session
    existing = {f.key: f for f in consultation.profile_fields}
    wanted = [
        {"key": GROUPS_KEY, "required": False, "asked": False, "options": profile["groups"]},
        *({**f, "asked": True} for f in profile["fields"]),
    ]
    for position, spec in enumerate(wanted):
        field = existing.pop(spec["key"], None)
        values = {k: v for k, v in spec.items() if k not in ("key", "options")}
        values["position"] = position
        if field is None:
            field = ProfileField(consultation=consultation, key=spec["key"])
            session.add(field)
            report.created.append(f"profile {spec['key']}")
            assign(field, values)
        elif assign(field, values):
            report.updated.append(f"profile {spec['key']}")
        _load_options(consultation, field, spec["options"], report)
    for name, field in existing.items():
        used = _uses(consultation, field, None)
        if used:
            raise _in_use(f"profile field {name}", used)
        session.delete(field)
        report.deleted.append(f"profile {name}")
    session.flush()
    consultation.forget_profile()


def _load_options(
    consultation: Consultation, field: ProfileField, specs: list[dict], report: Any
) -> None:
    existing = {o.code: o for o in field.options}
    for position, spec in enumerate(specs):
        option = existing.pop(spec["code"], None)
        values = {
            "position": position,
            "label_es": spec["label_es"],
            "label_en": spec["label_en"],
            "group": spec.get("group"),
            "only": spec.get("only"),
            "abroad": bool(spec.get("abroad", False)),
        }
        if option is None:
            field.options.append(ProfileOption(code=spec["code"], **values))
        elif assign(option, values):
            report.updated.append(f"profile {field.key}: {spec['code']}")
    for code, option in existing.items():
        used = _uses(consultation, field, code)
        if used:
            raise _in_use(f"option {code} of profile field {field.key}", used)
        field.options.remove(option)
        report.deleted.append(f"profile {field.key}: {code}")


def _uses(consultation: Consultation, field: ProfileField, code: str | None) -> int:
    """How many responses hold this field's answer (or this one code of it)."""
    if field.key in LISTED_FIELDS or field.key in _UNLISTED:
        column = getattr(Response, field.key)
        condition = column.is_not(None) if code is None else column == code
        return db.session.scalar(
            sa.select(sa.func.count())
            .select_from(Response)
            .where(Response.consultation_id == consultation.id, condition)
        )
    if field.key == GROUPS_KEY or field.id is None:
        return 0
    condition = RespondentTrait.field_id == field.id
    if code is not None:
        condition = sa.and_(condition, RespondentTrait.code == code)
    return db.session.scalar(
        sa.select(sa.func.count()).select_from(RespondentTrait).where(condition)
    )


def _in_use(what: str, used: int) -> ContentError:
    return ContentError(
        f"{what}: left the bundle, but {used} response(s) hold it; nothing was changed"
    )
