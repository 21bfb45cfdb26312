"""The options of radio groups, check boxes and selects, rendered once per language.

A form's choices are the same for everyone: the profile page lists every region and some
250 countries, each label a translated string. Rendering them in Jinja on every request
(escaping each, translating each lazy label) cost half of that page. Here each field's
options are rendered once per field, language and set of values, and only the marks of
what this person chose (``checked``, ``selected``) are put in per request.
"""

from __future__ import annotations

from collections.abc import Iterable

from markupsafe import Markup, escape
from wtforms import Field

from ..models.columns import current_language

#: Rendered options by (kind, field id, field name, language, values): at most this many.
MAX_KEPT = 512
_kept: dict[tuple, tuple[tuple[str, str, str], ...]] = {}

_INPUT = (
    '<div class="option">\n<input type="{kind}" name="{name}" id="{id}-{n}" value="{value}"',
    '>\n<label for="{id}-{n}">{label}</label>\n</div>\n',
)
_OPTION = ('<option value="{value}"', ">{label}</option>\n")


def _chosen(field: Field) -> set[str]:
    data = field.data
    if isinstance(data, Iterable) and not isinstance(data, str):
        return {str(v) for v in data}
    return set() if data is None else {str(data)}


def _parts(kind: str, field: Field) -> tuple[tuple[str, str, str], ...]:
    """(value, markup before the mark, markup after it) for each option, kept."""
    choices = field.choices
    # Labels belong in the key: two consultations may give one code different labels
    # (their own regions, say), and a reloaded bundle may relabel an option.
    labelled = tuple((c.value, str(c.label)) for c in choices)
    key = (kind, field.id, field.name, current_language(), labelled)
    parts = _kept.get(key)
    if parts is None:
        before, after = _OPTION if kind == "option" else _INPUT
        rendered = []
        for n, choice in enumerate(choices, start=1):
            values = {
                "kind": kind,
                "name": escape(field.name),
                "id": escape(field.id),
                "n": n,
                "value": escape(choice.value),
                "label": escape(str(choice.label)),
            }
            rendered.append((str(choice.value), before.format(**values), after.format(**values)))
        parts = tuple(rendered)
        if len(_kept) >= MAX_KEPT:
            _kept.clear()
        _kept[key] = parts
    return parts


def choice_inputs(field: Field, kind: str = "radio") -> Markup:
    """The radio buttons or check boxes of a field, with this person's choices checked."""
    chosen = _chosen(field)
    return Markup(
        "".join(
            before + (" checked" if value in chosen else "") + after
            for value, before, after in _parts(kind, field)
        )
    )


def select_options(field: Field) -> Markup:
    """The ``<option>`` tags of a select, with this person's choice selected."""
    chosen = _chosen(field)
    return Markup(
        "".join(
            before + (" selected" if value in chosen else "") + after
            for value, before, after in _parts("option", field)
        )
    )
