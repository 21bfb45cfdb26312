"""Every message the code and templates show is translated, and the compiled catalogs are fresh."""

import re
from html.parser import HTMLParser
from io import BytesIO
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import read_mo, write_mo
from babel.messages.pofile import read_po

from consult import config as default_config

ROOT = Path(__file__).resolve().parent.parent
CATALOGS = ROOT / "consult" / "translations"
TEMPLATES = ROOT / "templates"
#: Every catalog present is checked: a new language's catalog must be complete too.
CATALOG_LANGUAGES = sorted(p.name for p in CATALOGS.iterdir() if (p / "LC_MESSAGES").is_dir())
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


def test_every_offered_language_has_a_catalog():
    assert set(default_config.LANGUAGES) <= set(CATALOG_LANGUAGES)
    assert default_config.BABEL_DEFAULT_LOCALE in default_config.LANGUAGES


def _key(value):
    """A message id or string, hashable: plural ones come as lists or tuples."""
    return value if isinstance(value, str) else tuple(value)


def _singular(message_id) -> str:
    return message_id if isinstance(message_id, str) else message_id[0]


def _catalog(lang: str):
    with open(CATALOGS / lang / "LC_MESSAGES" / "messages.po", "rb") as handle:
        return read_po(handle)


@pytest.mark.parametrize("lang", CATALOG_LANGUAGES)
def test_every_message_is_in_the_catalog_and_translated(lang):
    catalog = _catalog(lang)
    extracted = _extracted_ids()
    assert {"Start your response", "Your consent is required to take part."} <= extracted
    missing = sorted(extracted - {_singular(m.id) for m in catalog if m.id})
    assert missing == [], f"run pybabel extract/update: {missing[:5]}"
    untranslated = [m.id for m in catalog if m.id and (m.fuzzy or not all(_key(m.string) or [""]))]
    assert untranslated == []


@pytest.mark.parametrize("lang", CATALOG_LANGUAGES)
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


#: Attributes a person reads or hears (a tooltip, an image's text, an accessible name).
READ_ATTRIBUTES = {"title", "alt", "placeholder", "aria-label", "aria-roledescription"}
_WORD = re.compile(r"[^\W\d_]{2,}")
_JINJA = re.compile(r"{#.*?#}|{%.*?%}|{{.*?}}", re.S)
#: A string printed as it is: {{ "text" }}.
_PRINTED_LITERAL = re.compile(r"""{{-?\s*(["'])([^"']*)\1\s*-?}}""")
#: Attributes written by a block or macro outside their tag, e.g. {% block x %} class="y".
_LOOSE_ATTRIBUTE = re.compile(r'[\w-]+="[^"]*"')


class _TextFinder(HTMLParser):
    """Words of a template once every Jinja tag is taken out: text no catalog will see."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.words: list[str] = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name in READ_ATTRIBUTES and value and _WORD.search(value):
                self.words.append(f"<{tag} {name}={value!r}>")

    def handle_data(self, data):
        if _WORD.search(_LOOSE_ATTRIBUTE.sub("", data)):
            self.words.append(" ".join(data.split()))


def text_outside_the_catalog(source: str) -> list[str]:
    found = [m.group(2) for m in _PRINTED_LITERAL.finditer(source) if _WORD.search(m.group(2))]
    finder = _TextFinder()
    finder.feed(_JINJA.sub(" ", source))
    finder.close()
    return found + finder.words


def test_the_template_check_finds_words_left_outside_the_catalog():
    assert text_outside_the_catalog('<p>Gracias</p><img alt="Gráfico" src="x">{{ "Hola" }}') == [
        "Hola",
        "Gracias",
        "<img alt='Gráfico'>",
    ]
    assert (
        text_outside_the_catalog(
            '{# Un comentario #}<p title="{{ _(\'Page\') }}">{{ _("Thanks") }} · 3 %</p>'
            '{% block attrs %} class="console"{% endblock %}'
        )
        == []
    )


@pytest.mark.parametrize(
    "template", sorted(TEMPLATES.rglob("*.html")), ids=lambda p: str(p.relative_to(TEMPLATES))
)
def test_templates_leave_no_text_outside_the_catalog(template):
    """Every word a template shows goes through _() (language names in their own tongue
    are data of the language switch, not text)."""
    assert text_outside_the_catalog(template.read_text(encoding="utf-8")) == []
