"""Forms of the public response flow, validated on the server."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from babel import Locale
from flask_babel import format_number
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    EmailField,
    Field,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import (
    Email,
    InputRequired,
    Optional,
    StopValidation,
    ValidationError,
)

from ..models import Consultation, Question, Response
from ..models.columns import current_language
from ..models.profile import STANDARD_FIELDS
from ..models.vocab import (
    Publication,
    QuestionType,
    RespondingAs,
    likert_choices,
)
from ..responding import AnswerValue, CommentInput, ProfileInvalid, profile_values
from .guard import StartForm

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
#: Pseudo-territories in the CLDR list that are not countries.
_NOT_COUNTRIES = {"EU", "EZ", "UN", "QO", "XA", "XB", "XK", "ZZ", "PE"}


def options(pairs) -> list[SelectChoice]:
    """WTForms choices from (value, label) pairs."""
    return [SelectChoice(value, label) for value, label in pairs]


def plain_text(form: Any, field: Field) -> None:
    """Refuse control characters (NUL and the like): they are never meant as text."""
    if isinstance(field.data, str) and _CONTROL.search(field.data):
        raise ValidationError(_l("This text contains characters that cannot be stored."))


def text_limit(max_chars: int):
    """Refuse text longer than ``max_chars``, saying how long it is."""

    def check(form: Any, field: Field) -> None:
        length = len(field.data or "")
        if length > max_chars:
            raise ValidationError(
                _l(
                    "At most %(max)d characters, please; this text has %(length)d.",
                    max=max_chars,
                    length=length,
                )
            )

    return check


def required(message=None):
    return InputRequired(message=message or _l("Please answer this question."))


def country_choices() -> list[SelectChoice]:
    """Countries by ISO code, named in the request's language (CLDR data, via Babel)."""
    return list(_country_options(current_language()))


@lru_cache(maxsize=8)
def _country_options(language: str) -> tuple[SelectChoice, ...]:
    """Built once per language: sorting some 250 names took a tenth of a profile request."""
    territories = Locale.parse(language).territories
    countries = [(code, territories[code]) for code in _country_codes()]
    return tuple(options([("", _l("Choose a country"))] + sorted(countries, key=lambda c: c[1])))


@lru_cache(maxsize=1)
def _country_codes() -> frozenset[str]:
    territories = Locale.parse("en").territories
    return frozenset(
        code
        for code in territories
        if len(code) == 2 and code.isalpha() and code not in _NOT_COUNTRIES
    )


def known_country(form: Any, field: Field) -> None:
    """The country is one of the list (checked in a set: WTForms would scan 250 choices)."""
    if field.data not in _country_codes():
        raise ValidationError(field.gettext("Not a valid choice."))


#: What the profile step asks besides the profile: publication and contact.
_PUBLISHING = ("publication", "display_name", "email")
#: Where a further profile question's answer is posted: ``p_<key>``.
FURTHER_PREFIX = "p_"


class ProfileForm(StartForm):
    """The first step: who is responding. Asked once per response (and starts it).

    Built for one consultation (``profile_form``): its profile says which fields are
    asked and required, and gives their options; the labels below are consult's wording
    for a standard field whose bundle gives none.
    """

    responding_as = RadioField(
        _l("Are you responding as an individual or on behalf of an organisation?"),
        choices=options(RespondingAs.choices()),
        validators=[Optional()],
    )
    stakeholder_type = RadioField(
        _l("Which best describes you or your organisation?"), validators=[Optional()]
    )
    organisation_name = StringField(
        _l("Name of the organisation"), validators=[Optional(), text_limit(200), plain_text]
    )
    organisation_size = RadioField(_l("Size of the organisation"), validators=[Optional()])
    region = SelectField(_l("Where are you based?"), validators=[Optional()])
    country = SelectField(
        _l("Country"), validators=[Optional(), known_country], validate_choice=False
    )
    gender = RadioField(_l("Gender"), validators=[Optional()])
    age_band = RadioField(_l("Age"), validators=[Optional()])
    publication = RadioField(
        _l("May we publish your comments?"),
        choices=options(Publication.choices()),
        validators=[Optional()],
    )
    display_name = StringField(
        _l("Name to publish with your comments"),
        validators=[Optional(), text_limit(200), plain_text],
    )
    email = EmailField(
        _l("Email (optional, never published)"),
        validators=[
            Optional(),
            text_limit(254),
            Email(message=_l("Please enter a valid email address."), check_deliverability=False),
        ],
    )
    consent = BooleanField(
        _l("I agree"),
        validators=[InputRequired(message=_l("Your consent is required to take part."))],
    )

    def __init__(self, consultation: Consultation, *args: Any, **kwargs: Any) -> None:
        self.consultation = consultation
        super().__init__(*args, **kwargs)
        language = current_language()
        profile = self.consultation.profile
        self.country.choices = country_choices()
        for name in (*STANDARD_FIELDS, *(FURTHER_PREFIX + f.key for f in profile.further)):
            field = getattr(self, name)
            spec = profile[name.removeprefix(FURTHER_PREFIX)]
            if spec is None or name == "country":
                if isinstance(field, RadioField | SelectField):
                    field.choices = []  # not asked: nothing to choose, nothing stored
                continue
            if spec.options:
                # A drop-down starts on a blank "choose" line; radios need none (a
                # RadioField is a SelectField too, hence not isinstance).
                blank = [("", _l("Choose one"))] if type(field) is SelectField else []
                field.choices = options(blank + spec.choices(language))
            if spec.prompt(language):
                field.label.text = spec.prompt(language)
            if spec.help(language):
                field.description = spec.help(language)
        if not self.consultation.asks_publication:
            self.publication.data = Publication.PRIVATE.value
        self.consent.label.text = consent_text(self.consultation, language)

    def asks(self, name: str) -> bool:
        """Whether the page shows this field (the country goes with an "abroad" region)."""
        profile = self.consultation.profile
        if name == "country":
            return bool(profile.abroad_codes)
        if name in ("publication", "display_name"):
            return self.consultation.asks_publication
        return profile.asks(name.removeprefix(FURTHER_PREFIX))

    def requires(self, name: str) -> bool:
        found = self.consultation.profile[name.removeprefix(FURTHER_PREFIX)]
        return found is not None and found.required

    @property
    def further_fields(self) -> list[Field]:
        return [getattr(self, FURTHER_PREFIX + f.key) for f in self.consultation.profile.further]

    def validate(self, extra_validators=None) -> bool:
        """The form's checks, then the consultation's (``responding.profile_values``),
        with each refusal put on its field in words a person reads."""
        valid = super().validate(extra_validators)
        try:
            profile_values(self.consultation, self.profile())
        except ProfileInvalid as invalid:
            for name in invalid.errors:
                field = getattr(self, name, None) or getattr(self, FURTHER_PREFIX + name)
                if not field.errors:
                    field.errors = [*field.errors, _refusal(self, name)]
            return False
        return valid

    def profile(self) -> dict[str, Any]:
        values = {name: getattr(self, name).data for name in (*STANDARD_FIELDS, *_PUBLISHING)}
        for field in self.consultation.profile.further:
            values[field.key] = getattr(self, FURTHER_PREFIX + field.key).data
        return values

    def fill_from(self, response: Response, traits: dict[str, str]) -> None:
        for name in (*STANDARD_FIELDS, *_PUBLISHING):
            value = getattr(response, name)
            getattr(self, name).data = value.value if hasattr(value, "value") else value
        for key, code in traits.items():
            getattr(self, FURTHER_PREFIX + key).data = code
        self.consent.data = True


def profile_form(consultation: Consultation, **kwargs: Any) -> ProfileForm:
    """The profile step of this consultation, with a radio group per further question."""
    further = tuple(f.key for f in consultation.profile.further)
    return _profile_form_class(further)(consultation, **kwargs)


@lru_cache(maxsize=32)
def _profile_form_class(further: tuple[str, ...]) -> type[ProfileForm]:
    """A form class per set of further questions, built once: labels and options are
    the consultation's, set on each form (``ProfileForm.__init__``)."""
    if not further:
        return ProfileForm
    fields = {FURTHER_PREFIX + key: RadioField(key, validators=[Optional()]) for key in further}
    return type("ConsultationProfileForm", (ProfileForm,), fields)


def consent_text(consultation: Consultation, language: str) -> str:
    """The consent sentence: the bundle's own, or consult's naming controller and law."""
    own = consultation.consent_en if language == "en" else consultation.consent_es
    if own:
        return own
    controller = consultation.t("data_controller") or consultation.t("organiser")
    law = consultation.t("data_law")
    if law:
        return _(
            "I agree that %(controller)s processes the personal data in this form to run and"
            " analyse this consultation, under %(law)s.",
            controller=controller,
            law=law,
        )
    return _(
        "I agree that %(controller)s processes the personal data in this form to run and"
        " analyse this consultation.",
        controller=controller,
    )


def _refusal(form: ProfileForm, name: str) -> str:
    """What a person reads when the consultation's checks refuse a field."""
    field = getattr(form, name, None) or getattr(form, FURTHER_PREFIX + name)
    if name == "country":
        return str(_l("Please choose the country."))
    if name == "display_name":
        return str(_l("Please give the name to publish."))
    if name == "organisation_name":
        return str(_l("Please give the organisation's name."))
    if name == "stakeholder_type" and field.data:
        if form.responding_as.data == RespondingAs.ORGANISATION:
            return str(
                _l(
                    "This type is for people responding as individuals: choose your"
                    " organisation's type."
                )
            )
        return str(_l("This type is for organisations: choose the one that describes you."))
    if field.data:
        return str(field.gettext("Not a valid choice."))
    return str(_l("Please answer this question."))


def _require(field: Field, message: str) -> bool:
    if field.data:
        return True
    field.errors = [*field.errors, message]
    return False


class RankingField(Field):
    """One select per item, all under one name; the values come in the items' order.

    ``data`` is the list of item codes, most important first (items left blank are
    not ranked).
    """

    def __init__(self, label=None, validators=None, items=(), **kwargs):
        super().__init__(label, validators, **kwargs)
        self.items: list[tuple[str, str]] = list(items)
        self.positions: list[str] = [""] * len(self.items)

    def process_formdata(self, valuelist: list[str]) -> None:
        if not valuelist:
            return
        self.positions = list(valuelist)
        if len(valuelist) != len(self.items):
            raise ValueError(_l("Please give a position to each item, or leave it blank."))
        ranks: dict[int, str] = {}
        for (code, _label), raw in zip(self.items, valuelist, strict=True):
            if raw == "":
                continue
            if not raw.isdigit() or not 1 <= int(raw) <= len(self.items):
                raise ValueError(_l("Positions go from 1 to %(n)d.", n=len(self.items)))
            if int(raw) in ranks:
                raise ValueError(_l("Each position can be used only once."))
            ranks[int(raw)] = code
        if ranks and sorted(ranks) != list(range(1, len(ranks) + 1)):
            raise ValueError(_l("Use positions 1, 2, 3… without gaps."))
        self.data = [ranks[r] for r in sorted(ranks)]

    def process_data(self, value: list[str] | None) -> None:
        self.data = list(value or [])
        order = {code: i + 1 for i, code in enumerate(self.data)}
        self.positions = [str(order.get(code, "")) for code, _label in self.items]

    def pre_validate(self, form) -> None:
        if self.data is None:
            self.data = []


class RequiredList:
    """InputRequired for list-valued fields (multiple choice, ranking)."""

    def __init__(self, message=None):
        self.message = message or _l("Please answer this question.")

    def __call__(self, form, field) -> None:
        if not field.data:
            field.errors[:] = []
            raise StopValidation(self.message)


def _question_field(question: Question, long_text_limit: int) -> Field:
    kwargs: dict[str, Any] = {"label": question.prompt, "description": question.help}
    need = [RequiredList()] if question.required else []
    match question.type:
        case QuestionType.LIKERT:
            return RadioField(
                choices=options(likert_choices()),
                validators=[required()] if question.required else [Optional()],
                **kwargs,
            )
        case QuestionType.SINGLE_CHOICE:
            return RadioField(
                choices=options(question.option_choices()),
                validators=[required()] if question.required else [Optional()],
                **kwargs,
            )
        case QuestionType.MULTIPLE_CHOICE:
            return SelectMultipleField(
                choices=options(question.option_choices()), validators=need, **kwargs
            )
        case QuestionType.RANKING:
            return RankingField(items=question.option_choices(), validators=need, **kwargs)
        case QuestionType.SHORT_TEXT:
            limit = 300
        case _:
            limit = long_text_limit
    validators = [required()] if question.required else [Optional()]
    field_cls = StringField if limit == 300 else TextAreaField
    return field_cls(validators=[*validators, text_limit(limit), plain_text], **kwargs)


class AnswersForm(FlaskForm):
    """Base of the per-page forms built by ``answers_form``."""

    questions: list[Question]
    has_comment: bool = False
    #: Whether the comment says what it contributes to (the consultation lists choices).
    asks_contribution: bool = False

    def question_fields(self) -> list[tuple[Question, Field]]:
        return [(q, self[field_name(q)]) for q in self.questions]

    def values(self) -> dict[str, AnswerValue]:
        out: dict[str, AnswerValue] = {}
        for question, field in self.question_fields():
            data = field.data
            out[question.key] = data.strip() if isinstance(data, str) else data
        return out

    def comment_input(self) -> CommentInput | None:
        if not self.has_comment or not (self.comment.data or "").strip():
            return None
        contribution = self.contribution.data if self.asks_contribution else None
        return CommentInput(self.comment.data, contribution or None)

    def is_blank(self) -> bool:
        """Nothing answered and no comment: the person skips (or clears) this page.

        Judged on the raw input, so a malformed value is never mistaken for a blank.
        """
        fields = [field for _question, field in self.question_fields()]
        if self.has_comment:
            fields.append(self.comment)
        return all(not any(str(raw).strip() for raw in (field.raw_data or [])) for field in fields)

    def validate(self, extra_validators=None) -> bool:
        if self.is_blank():
            # Required questions bind only on a page the person answers.
            return self.validate_blank()
        valid = super().validate(extra_validators)
        if not self.asks_contribution:
            return valid
        if not (self.contribution.data or "").strip():
            # Optional() passes blank input without the choice check: " " is no choice.
            self.contribution.data = None
        if (self.comment.data or "").strip() and not self.contribution.data:
            self.contribution.errors = [_l("Please say what your comment contributes to.")]
            valid = False
        return valid

    def validate_blank(self) -> bool:
        """A blank page still passes CSRF and hostile-value checks."""
        self.csrf_token.validate(self)
        return not self.csrf_token.errors and not self.form_errors


def field_name(question: Question) -> str:
    return "q_" + question.key.replace("-", "_")


@lru_cache(maxsize=64)
def _page_form_class(
    questions: tuple[Question, ...],
    with_comment: bool,
    contributions: tuple[tuple[str, str], ...],
    max_chars: int,
    language: str,
) -> type[AnswersForm]:
    """A page's form class, made once per page and language (the shared questions live on).

    ``contributions``: the (code, label) choices of "what does your comment contribute
    to?"; none, and the comment box comes without that question.
    """
    attrs: dict[str, Any] = {field_name(q): _question_field(q, max_chars) for q in questions}
    if with_comment:
        attrs["comment"] = TextAreaField(
            _l("Your comment on this section"),
            validators=[Optional(), text_limit(max_chars), plain_text],
            description=_l("Optional. At most %(n)s characters.", n=format_number(max_chars)),
        )
    if with_comment and contributions:
        attrs["contribution"] = RadioField(
            _l("What does your comment contribute to?"),
            choices=options(contributions),
            validators=[Optional()],
        )
    return type("PageAnswersForm", (AnswersForm,), attrs)


def answers_form(
    questions: list[Question],
    *,
    with_comment: bool,
    max_chars: int,
    contributions: list[tuple[str, str]] | None = None,
    formdata: Any = None,
    answers: dict[str, AnswerValue] | None = None,
    comment: tuple[str, str | None] | None = None,
) -> AnswersForm:
    """Build the form for one page: its questions, and the section comment box.

    ``contributions`` are the consultation's (code, label) choices of what a comment
    contributes to (``Consultation.contribution_choices``); without them none is asked.
    """
    asks = tuple(contributions or ()) if with_comment else ()
    form_cls = _page_form_class(tuple(questions), with_comment, asks, max_chars, current_language())
    data: dict[str, Any] = {field_name(q): (answers or {}).get(q.key) for q in questions}
    if comment:
        data["comment"], contribution = comment
        if asks:
            data["contribution"] = contribution
    form = form_cls(formdata=formdata, data=data)
    form.questions = questions
    form.has_comment = with_comment
    form.asks_contribution = bool(asks)
    return form


class PassageForm(FlaskForm):
    """A comment on one passage of a section and, optionally, new wording for it."""

    comment = TextAreaField(_l("Your comment on this passage"), validators=[Optional(), plain_text])
    contribution = RadioField(_l("What does your comment contribute to?"), validators=[Optional()])
    proposal = TextAreaField(
        _l("Your proposed wording"),
        validators=[Optional(), plain_text],
        description=_l(
            "Optional. Rewrite the passage as you would have it; it starts as the draft's"
            " text. Coordinators see your wording compared word by word with the draft's."
        ),
    )
    asks_contribution: bool = False

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        limit = text_limit(self.max_chars)
        for field in (self.comment, self.proposal):
            try:
                limit(self, field)
            except ValidationError as error:
                field.errors = [*field.errors, str(error)]
                valid = False
        if self.asks_contribution:
            if not (self.contribution.data or "").strip():
                self.contribution.data = None
            if (self.comment.data or "").strip() and not self.contribution.data:
                self.contribution.errors = [_l("Please say what your comment contributes to.")]
                valid = False
        return valid


def passage_form(
    *,
    max_chars: int,
    contributions: list[tuple[str, str]],
    formdata: Any = None,
    comment: str = "",
    contribution: str | None = None,
    proposal: str = "",
) -> PassageForm:
    """The passage's form, filled with what the respondent wrote before (if anything)."""
    form = PassageForm(
        formdata=formdata,
        data={"comment": comment, "contribution": contribution, "proposal": proposal},
    )
    form.max_chars = max_chars
    form.asks_contribution = bool(contributions)
    form.contribution.choices = options(contributions)
    form.comment.description = _l("Optional. At most %(n)s characters.", n=format_number(max_chars))
    return form
