"""The yes/no question a gated section asks before its questions, on the section's page.

Without JavaScript the page works in two steps: first the section's text and the question
with a "Continue" button; a "no" is stored and the next page follows, a "yes" is stored
and the same page comes back with the questions under the question, already answered
"yes". The person may change their answer there; changing it to "no" deletes what they
had written in the section (``responding.answer_gate``), and the page says so first.
"""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField
from wtforms.validators import InputRequired

from ..models import Section
from .forms import options

#: The stored answer as the form's value, and back.
_VALUES = {True: "yes", False: "no"}


class GateForm(FlaskForm):
    """The question "Do you want to answer this section?": yes or no, before the questions."""

    gate = RadioField(
        choices=options([("yes", _l("Yes")), ("no", _l("No"))]),
        validators=[InputRequired(message=_l("Please answer yes or no."))],
    )

    @property
    def wants(self) -> bool:
        return self.gate.data == "yes"


def gate_form(
    section: Section, wants: bool | None, *, formdata: Any = None, has_answers: bool = False
) -> GateForm:
    """The section's gate question, with the person's earlier answer chosen.

    ``has_answers``: the person wrote something in the section, which a "no" would delete;
    the question then warns of it.
    """
    form = GateForm(formdata=formdata, data={"gate": _VALUES.get(wants)})
    form.gate.label.text = section.t("gate")
    if has_answers:
        form.gate.description = _l(
            "If you answer “No”, the answers and the comment you gave in this section"
            " are deleted when you continue."
        )
    return form
