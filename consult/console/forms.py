"""Forms of the console; every POST carries a CSRF token (Flask-WTF)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from ..models.vocab import Decision, ModerationState, RejectionReason
from ..public.forms import options, plain_text


def first_error(form: FlaskForm) -> str:
    """The first message of an invalid form, for a one-line notice."""
    for errors in form.errors.values():
        if errors:
            return str(errors[0])
    return str(_l("the form could not be read"))


def theme_choices(themes) -> list:
    return options([("", _l("Choose a theme"))] + [(str(t.id), t.name) for t in themes])


REASON_CHOICES = options([("", _l("Choose a reason"))] + RejectionReason.choices())


class ModerateForm(FlaskForm):
    state = RadioField(
        _l("Moderation"), choices=options(ModerationState.choices()), validators=[InputRequired()]
    )
    reason = SelectField(
        _l("Reason if not published"), choices=REASON_CHOICES, validators=[Optional()]
    )


class BulkForm(FlaskForm):
    """An action on the checked comments, or on every comment matching the filters."""

    action = SelectField(
        _l("Action"),
        choices=options(
            [
                ("publish", _l("Publish")),
                ("reject", _l("Do not publish")),
                ("pending", _l("Return to pending")),
                ("tag", _l("Add theme")),
                ("untag", _l("Remove theme")),
            ]
        ),
        validators=[InputRequired()],
    )
    reason = SelectField(
        _l("Reason if not published"), choices=REASON_CHOICES, validators=[Optional()]
    )
    #: Not "theme": that name is the theme filter, posted along in hidden fields.
    bulk_theme = SelectField(
        _l("Theme"), choices=[], validate_choice=False, validators=[Optional()]
    )
    scope = RadioField(
        _l("Apply to"),
        choices=options(
            [
                ("selected", _l("The comments I checked")),
                ("all", _l("Every comment matching the filters")),
            ]
        ),
        default="selected",
        validators=[InputRequired()],
    )


class RedactForm(FlaskForm):
    redacted_text = TextAreaField(
        _l("Text to publish instead of the original"),
        validators=[Optional(), Length(max=5000), plain_text],
        description=_l("Leave empty to remove the redaction."),
    )


class DecisionForm(FlaskForm):
    decision = SelectField(
        _l("Decision"),
        choices=options([("", _l("No decision yet"))] + Decision.choices()),
        validators=[Optional()],
    )
    reason = TextAreaField(
        _l("Short public reason"), validators=[Optional(), Length(max=500), plain_text]
    )


class NoteForm(FlaskForm):
    text = TextAreaField(
        _l("Internal note"),
        validators=[DataRequired(_l("Write the note.")), Length(max=2000), plain_text],
        description=_l("Seen only by coordinators."),
    )


class ThemeForm(FlaskForm):
    name = StringField(
        _l("Theme name"),
        validators=[InputRequired(_l("Give the theme a name.")), Length(max=120), plain_text],
    )


class MergeForm(FlaskForm):
    source = SelectField(_l("Merge this theme"), choices=[], validate_choice=False)
    target = SelectField(_l("into this theme"), choices=[], validate_choice=False)


class TagForm(FlaskForm):
    theme = SelectField(_l("Theme"), choices=[], validate_choice=False)
    remove = HiddenField()


class AdoptForm(FlaskForm):
    """The wording a coordinator adopts for a passage, in each language."""

    wording_es = TextAreaField(
        _l("Adopted wording in Spanish"), validators=[DataRequired(), Length(max=5000), plain_text]
    )
    wording_en = TextAreaField(
        _l("Adopted wording in English"), validators=[DataRequired(), Length(max=5000), plain_text]
    )
