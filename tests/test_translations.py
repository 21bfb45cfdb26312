"""Every message the code and templates show is translated, and the compiled catalogs are fresh."""

from io import BytesIO
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import read_mo, write_mo
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
CATALOGS = ROOT / "consult" / "translations"
KEYWORDS = {"_": None, "gettext": None, "_l": None, "lazy_gettext": None, "ngettext": (1, 2)}


def _extracted_ids() -> set[str]:
    ids: set[str] = set()
    for folder, method in (("consult", "python"), ("templates", "jinja2")):
        pattern = "**.py" if method == "python" else "**.html"
        for _file, _line, message, _comments, _ctx in extract_from_dir(
            ROOT / folder, method_map=[(pattern, method)], keywords=KEYWORDS
        ):
            ids.add(message if isinstance(message, str) else message[0])
    return ids


def _key(value):
    """A message id or string, hashable: plural ones come as lists or tuples."""
    return value if isinstance(value, str) else tuple(value)


def _singular(message_id) -> str:
    return message_id if isinstance(message_id, str) else message_id[0]


def _catalog(lang: str):
    with open(CATALOGS / lang / "LC_MESSAGES" / "messages.po", "rb") as handle:
        return read_po(handle)


@pytest.mark.parametrize("lang", ["es", "en"])
def test_every_message_is_in_the_catalog_and_translated(lang):
    catalog = _catalog(lang)
    extracted = _extracted_ids()
    assert {"Start your response", "Your consent is required to take part."} <= extracted
    missing = sorted(extracted - {_singular(m.id) for m in catalog if m.id})
    assert missing == [], f"run pybabel extract/update: {missing[:5]}"
    untranslated = [m.id for m in catalog if m.id and (m.fuzzy or not all(_key(m.string) or [""]))]
    assert untranslated == []


@pytest.mark.parametrize("lang", ["es", "en"])
def test_compiled_catalog_matches_its_source(lang):
    fresh = BytesIO()
    write_mo(fresh, _catalog(lang))
    fresh.seek(0)
    with open(CATALOGS / lang / "LC_MESSAGES" / "messages.mo", "rb") as handle:
        shipped = read_mo(handle)
    expected = read_mo(fresh)
    assert {_key(m.id): _key(m.string) for m in shipped if m.id} == {
        _key(m.id): _key(m.string) for m in expected if m.id
    }
