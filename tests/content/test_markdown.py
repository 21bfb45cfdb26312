"""Markdown written by coordinators comes out as safe HTML, on its own and on the pages."""

from __future__ import annotations

import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest

from consult.content import load_bundle
from consult.content.markdown import render_markdown
from tests.conftest import SMALL_BUNDLE

PAYLOADS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    '<a href="javascript:alert(1)">raw link</a>',
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "[click](&#106;avascript:alert(1))",
    "[click](vbscript:msgbox(1))",
    "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "<javascript:alert(1)>",
    '[title](https://example.org "x\\" onmouseover=\\"alert(1)")',
    '![pic](x" onerror="alert(1))',
    "![pic](javascript:alert(1))",
    '<svg onload="alert(1)"><circle/></svg>',
    '<iframe src="https://example.org"></iframe>',
    '<p style="background:url(javascript:alert(1))">styled</p>',
    "| a | b |\n|---|:-:|\n| <script>x</script> | [c](javascript:alert(1)) |",
    "<details open ontoggle=alert(1)>",
    '<form action="https://example.org"><input name=x></form>',
]


class Elements(HTMLParser):
    """Every start tag with its attributes, as a browser would build them."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag, attrs):
        self.found.append((tag, dict(attrs)))


def dangers(html: str) -> list[str]:
    """What in this HTML could run script, load something or restyle the page."""
    parser = Elements()
    parser.feed(html)
    found = []
    for tag, attrs in parser.found:
        if tag in {"script", "style", "img", "svg", "iframe", "object", "form", "input", "details"}:
            found.append(tag)
        for name, value in attrs.items():
            if name.startswith("on") or name in {"style", "src"}:
                found.append(f"{tag}[{name}]")
            if name == "href" and not (value or "").startswith(("http://", "https://", "mailto:")):
                found.append(f"{tag}[href={value}]")
    return found


@pytest.mark.parametrize("payload", PAYLOADS)
def test_hostile_markdown_renders_harmless(payload):
    html = render_markdown(f"Intro.\n\n{payload}\n")
    assert dangers(html) == [], html
    assert "Intro." in html


def test_ordinary_markdown_keeps_its_meaning():
    html = render_markdown(
        "# Título\n\n**Fuerte**, *énfasis* y [un enlace](https://www.gob.pe/pcm).\n\n"
        "1. uno\n2. dos\n\n| a | b |\n|---|---|\n| 1 | 2 |\n"
    )
    assert "<h2>Título</h2>" in html  # the page title is the only h1
    assert "<strong>Fuerte</strong>" in html and "<em>énfasis</em>" in html
    assert '<a href="https://www.gob.pe/pcm" rel="noopener noreferrer">un enlace</a>' in html
    assert "<ol>" in html and "<table>" in html


def test_payloads_in_a_bundle_stay_harmless_on_the_pages(app, client, tmp_path: Path):
    bundle = tmp_path / "hostile"
    shutil.copytree(SMALL_BUNDLE, bundle)
    hostile = "\n\n".join(PAYLOADS)
    for name in ("consultation.yaml", "sections/01-one.yaml"):
        path = bundle / name
        text = path.read_text(encoding="utf-8")
        marker = (
            "Una consulta **mínima** para las pruebas." if "consultation" in name else "Texto uno."
        )
        indented = "\n".join("    " + line for line in hostile.splitlines())
        path.write_text(text.replace(marker, marker + "\n\n" + indented), "utf-8")
    load_bundle(bundle)
    for url in ("/c/small-test/", "/c/small-test/s/one"):
        page = client.get(url).get_data(as_text=True)
        prose = page[
            page.index('<div class="prose">') : page.index(
                "</div>", page.index('<div class="prose">')
            )
        ]
        assert "alert(1)" in prose or "msgbox" in prose  # the payloads are there, as text
        assert dangers(prose) == [], prose
