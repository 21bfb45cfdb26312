"""Options rendered once per field and language still show each person their own choice."""

from __future__ import annotations

from flask import session
from flask_babel import lazy_gettext as _l
from flask_babel import refresh
from flask_wtf import FlaskForm
from markupsafe import Markup
from werkzeug.datastructures import MultiDict
from wtforms import RadioField, SelectField, SelectMultipleField

from consult.public.forms import options
from consult.web.choice_markup import choice_inputs, select_options


class _Form(FlaskForm):
    class Meta:
        csrf = False

    colour = RadioField(choices=options([("red", "Rojo <b>"), ("blue", _l("Yes"))]))
    tags = SelectMultipleField(choices=options([("a", "A & B"), ("b", "B"), ("c", "C")]))
    place = SelectField(choices=options([("", "—"), ('x"y', "X"), ("z", "Z")]))


def _render(app, language: str, data: dict) -> tuple[str, str, str]:
    with app.test_request_context(f"/?lang={language}"):
        session["lang"] = language
        refresh()  # the test's app context outlives each request: pick the language again
        form = _Form(formdata=MultiDict(data))
        return (
            choice_inputs(form.colour),
            choice_inputs(form.tags, "checkbox"),
            select_options(form.place),
        )


def test_each_person_sees_their_own_marks_on_the_same_kept_options(app):
    first = _render(app, "es", {"colour": "blue", "tags": ["a", "c"], "place": "z"})
    second = _render(app, "es", {"colour": "red", "tags": ["b"], "place": 'x"y'})

    assert 'value="blue" checked>' in first[0] and 'value="red">' in first[0]
    assert 'value="red" checked>' in second[0] and 'value="blue">' in second[0]
    assert first[1].count(" checked") == 2 and 'value="b" checked' in second[1]
    assert 'value="z" selected>' in first[2] and " selected" not in first[2].replace(
        'value="z" selected', ""
    )
    assert 'value="x&#34;y" selected>' in second[2]


def test_labels_are_escaped_and_follow_the_language(app):
    spanish = _render(app, "es", {})
    english = _render(app, "en", {})

    assert isinstance(spanish[0], Markup)
    assert "Rojo &lt;b&gt;" in spanish[0] and "<b>" not in spanish[0]
    assert "A &amp; B" in spanish[1]
    assert ">Sí</label>" in spanish[0] and ">Yes</label>" in english[0]


def test_the_same_codes_with_other_labels_show_their_own_labels(app):
    """Two consultations may give one region code different labels (or a reload may
    relabel it): the kept markup must follow the labels, not only the codes."""

    def region(label: str) -> str:
        class Regions(FlaskForm):
            class Meta:
                csrf = False

            region = RadioField(choices=options([("centro", label), ("abroad", "Fuera")]))

        with app.test_request_context("/"):
            return choice_inputs(Regions(formdata=MultiDict()).region)

    assert ">Centro histórico</label>" in region("Centro histórico")
    assert ">Centro</label>" in region("Centro")
