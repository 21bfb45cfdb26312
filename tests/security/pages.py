"""Read pages as a browser does: the forms on them, and whether anything in them could run.

``forms_on`` turns every ``<form>`` of a page into an ``HtmlForm`` (its action, method and
fields with the values a browser would offer), so the tests post what the page really
asks for, including hidden fields a defence adds later. ``active_content`` lists whatever
in a page could execute script: a test passes a page only when it holds none.
"""

from __future__ import annotations

from base64 import b64decode
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

#: Attributes whose value a browser follows as a URL.
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "poster", "data"}
#: Elements that run or embed active content; consult's pages need none of them.
ACTIVE_ELEMENTS = {"script", "iframe", "object", "embed", "applet", "base", "frame", "svg"}


@dataclass
class HtmlField:
    """One named control: its kind and the values the page offers for it."""

    name: str
    kind: str
    #: Values of the options (radios, checkboxes, select options, submit buttons).
    options: list[str] = field(default_factory=list)
    #: What a browser sends when nobody touches it ("" for an empty text box).
    default: list[str] = field(default_factory=list)
    #: How many controls share the name (a ranking has one select per item).
    count: int = 0

    @property
    def is_text(self) -> bool:
        return self.kind in {"text", "textarea", "email", "search", "password", "url", "tel"}

    @property
    def is_choice(self) -> bool:
        return self.kind in {"radio", "checkbox", "select", "submit"}


@dataclass
class HtmlForm:
    """A form as the page defines it."""

    page: str
    action: str
    method: str
    fields: dict[str, HtmlField] = field(default_factory=dict)

    def defaults(self) -> dict[str, list[str]]:
        """What the browser sends if the person presses the first button."""
        data = {name: list(f.default) for name, f in self.fields.items() if f.kind != "submit"}
        buttons = [f for f in self.fields.values() if f.kind == "submit" and f.options]
        for button in buttons[:1]:
            data[button.name] = [button.options[0]]
        return {name: values for name, values in data.items() if values}

    @property
    def path(self) -> str:
        return urlsplit(self.action).path


class _FormParser(HTMLParser):
    def __init__(self, page: str) -> None:
        super().__init__(convert_charrefs=True)
        self.page = page
        self.forms: list[HtmlForm] = []
        self._form: HtmlForm | None = None
        self._select: HtmlField | None = None
        self._chosen: str | None = None
        self._first: str | None = None
        self._option_value: str | None = None
        self._option_selected = False
        self._option_text: list[str] = []
        self._textarea: HtmlField | None = None
        self._text: list[str] = []

    def _field(self, name: str, kind: str) -> HtmlField:
        assert self._form is not None
        return self._form.fields.setdefault(name, HtmlField(name, kind))

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            action = urljoin(self.page, a.get("action") or self.page)
            self._form = HtmlForm(self.page, action, (a.get("method") or "get").upper())
            self.forms.append(self._form)
            return
        if self._form is None or "disabled" in a:
            return
        name = a.get("name")
        if tag in ("input", "button") and name:
            kind = (a.get("type") or ("submit" if tag == "button" else "text")).lower()
            control = self._field(name, kind)
            control.count += 1
            value = a.get("value", "on" if kind in ("radio", "checkbox") else "")
            if kind in ("radio", "checkbox", "submit"):
                control.options.append(value)
                if "checked" in a:
                    control.default.append(value)
            elif kind not in ("file", "image", "reset"):
                control.default.append(value)
        elif tag == "select" and name:
            self._select = self._field(name, "select")
            self._select.count += 1
            self._chosen = self._first = None
        elif tag == "option" and self._select is not None:
            self._option_value = a.get("value")
            self._option_selected = "selected" in a
            self._option_text = []
        elif tag == "textarea" and name:
            self._textarea = self._field(name, "textarea")
            self._textarea.count += 1
            self._text = []

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self._text.append(data)
        if self._option_value is None and self._select is not None:
            self._option_text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._form = None
        elif tag == "option" and self._select is not None:
            value = self._option_value
            if value is None:
                value = "".join(self._option_text).strip()
            if value not in self._select.options:
                self._select.options.append(value)
            if self._first is None:
                self._first = value
            if self._option_selected:
                self._chosen = value
            self._option_value = None
        elif tag == "select" and self._select is not None:
            chosen = self._chosen if self._chosen is not None else self._first
            if chosen is not None:
                self._select.default.append(chosen)
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            text = "".join(self._text)
            self._textarea.default.append(text[1:] if text.startswith("\n") else text)
            self._textarea = None


def forms_on(url: str, html: str) -> list[HtmlForm]:
    """Every form of the page at ``url`` (a path), with absolute-path actions."""
    parser = _FormParser(url)
    parser.feed(html)
    parser.close()
    return parser.forms


class _ActiveContent(HTMLParser):
    def __init__(self, allowed: frozenset[str] = frozenset()) -> None:
        super().__init__(convert_charrefs=True)
        self.allowed = allowed
        self.found: list[str] = []
        self.text: list[str] = []
        self.images: list[str] = []
        self.values: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "input":
            self.values += [value or "" for name, value in attrs if name == "value"]
        if tag in ACTIVE_ELEMENTS - self.allowed:
            self.found.append(f"<{tag}>")
        for name, value in attrs:
            value = (value or "").strip()
            if name.startswith("on"):
                self.found.append(f"<{tag} {name}=…>")
            elif tag == "img" and name == "src" and value.startswith(IMAGE_DATA):
                self.images.append(value)
            elif name in URL_ATTRIBUTES and _runs_script(value):
                self.found.append(f"<{tag} {name}={value[:40]!r}>")
            elif name == "style" and "expression(" in value.lower():
                self.found.append(f"<{tag} style=expression>")
            elif tag == "meta" and name == "http-equiv" and value.lower() == "refresh":
                self.found.append("<meta http-equiv=refresh>")

    handle_startendtag = handle_starttag

    def handle_data(self, data: str) -> None:
        self.text.append(data)


#: Charts are shown as images of SVG (or PNG) data: a separate document that runs nothing.
IMAGE_DATA = ("data:image/svg+xml;base64,", "data:image/png;base64,")


def _runs_script(url: str) -> bool:
    """Whether a browser following ``url`` would run it (tabs and newlines in the scheme
    are ignored by browsers, so they are here)."""
    if ":" not in url:
        return False
    scheme = "".join(ch for ch in url.split(":", 1)[0] if ch.isprintable() and not ch.isspace())
    return scheme.lower() in {"javascript", "vbscript", "data"}


def active_content(html: str, allowed: frozenset[str] = frozenset()) -> list[str]:
    """What in ``html`` could run script: none on a safe page.

    ``allowed`` names elements that belong there (an SVG document's own ``<svg>``).
    Chart images are SVG documents of their own; they are opened and checked too.
    """
    parser = _ActiveContent(allowed)
    parser.feed(html)
    parser.close()
    found = list(parser.found)
    for image in parser.images:
        if image.startswith(IMAGE_DATA[0]):
            svg = b64decode(image.removeprefix(IMAGE_DATA[0])).decode("utf-8")
            inner = _ActiveContent(allowed=frozenset({"svg"}))
            inner.feed(svg)
            inner.close()
            found += [f"chart image: {item}" for item in inner.found]
    return found


def visible_text(html: str) -> str:
    """The page's text as a reader sees it (entities decoded, markup dropped), then the
    values of its text boxes, one a line."""
    parser = _ActiveContent()
    parser.feed(html)
    parser.close()
    return "".join(parser.text) + "\n" + "\n".join(parser.values)


def post_through(client, page: str, values: dict, *, action: str | None = None):
    """Fill in a form of ``page`` as a person would and send it: the page's own hidden and
    preset values, then ``values``. The form is the one posting to a path ending with
    ``action``, or else the first whose fields hold every name in ``values``."""
    reply = client.get(page)
    assert reply.status_code == 200, (page, reply.status_code)
    forms = [f for f in forms_on(page, reply.get_data(as_text=True)) if f.method == "POST"]
    if action is not None:
        chosen = [f for f in forms if f.path.endswith(action)]
    else:
        chosen = [f for f in forms if set(values) <= set(f.fields)]
    assert chosen, f"no form on {page} for {action or sorted(values)}"
    data = {**chosen[0].defaults(), **values}
    return client.post(chosen[0].action, data=data)
