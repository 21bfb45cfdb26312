"""What the workbook calls its sheets and columns, and how it names codes, per language.

The XLSX is the download people read: its sheets and headings are in the report's
language and vocabulary codes print as their labels, profile codes (groups, types,
regions, further questions' answers) as the consultation's own lists name them.
Identifiers (question, section and option codes) keep their own columns, so a sheet still
joins with the CSV and JSON.
"""

from __future__ import annotations

import pandas as pd
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ...content.passages import ITEM, PARAGRAPH
from ...models.profile import GROUPS_KEY, Profile
from ...models.vocab import CopyKind, QuestionType, ShareBase, likert_choices
from ..grouping import FIELD_NAMES, OTHER, field_name
from ..labels import category_label, label_of, language
from ..passages import EARLIER, passage_label
from ..representation_tables import verdict_words

SHEETS = {
    "summary": _l("Summary"),
    "participation": _l("Participation"),
    "likert": _l("Agreement"),
    "choices": _l("Choices"),
    "ranking": _l("Rankings"),
    "comments": _l("Comments"),
    "passages": _l("Comments on passages"),
    "themes": _l("Themes"),
    "quotes": _l("Quotes"),
    "terms": _l("Words"),
    "gates": _l("Sections asking first"),
    "questions": _l("Questions"),
    "sections": _l("Sections"),
    "options": _l("Answer options"),
    "representation": _l("Who is missing"),
    "campaigns": _l("Campaigns"),
    "responses.csv": _l("Raw responses"),
    "answers.csv": _l("Raw answers"),
    "comments.csv": _l("Raw comments"),
}

#: Column headings shared by every sheet, then those that mean something else per sheet.
COLUMNS = {
    "question": _l("Question code"),
    "question_text": _l("Question"),
    "group": _l("Stakeholder group"),
    "section": _l("Section"),
    "option": _l("Option (code)"),
    "option_label": _l("Option"),
    "respondents": _l("Answered the question"),
    "contribution": _l("Contribution (code)"),
    "contribution_label": _l("Contribution"),
    "chose_to_answer": _l("Chose to answer"),
    "stakeholder_type": _l("Stakeholder type"),
    "text": _l("Text"),
    "breakdown": _l("Breakdown"),
    "category": _l("Category"),
    "responses": _l("Responses"),
    "cumulative": _l("Cumulative"),
    "valid": _l("Took a position"),
    "mean": _l("Mean (1–5)"),
    "agree": _l("Agree (4–5)"),
    "disagree": _l("Disagree (1–2)"),
    "net": _l("Net agreement"),
    "share_base": _l("Share base"),
    "share": _l("Share"),
    "top3": _l("In the top 3"),
    "mean_rank": _l("Mean rank"),
    "borda": _l("Borda score"),
    "top3_share": _l("Share ranking it in the top 3"),
    "theme": _l("Theme"),
    "comment": _l("Comment (number)"),
    "author": _l("Author"),
    "kind": _l("Kind"),
    "term": _l("Word or phrase"),
    "comments_using": _l("Comments using it"),
    "campaign": _l("Confirmed campaign"),
    "campaign_kind": _l("Kind of copies"),
    "raw": _l("Comments (raw)"),
    "counted_as": _l("Counted as (each campaign once)"),
    "comments": _l("Comments read"),
    "type": _l("Question type"),
    "position": _l("Position"),
    "prompt_es": _l("Question (Spanish)"),
    "prompt_en": _l("Question (English)"),
    "number": _l("Number"),
    "title_es": _l("Title (Spanish)"),
    "title_en": _l("Title (English)"),
    "label_es": _l("Option (Spanish)"),
    "label_en": _l("Option (English)"),
    "reference": _l("Reference code"),
    "status": _l("Status"),
    "region": _l("Region"),
    "country": _l("Country"),
    "responding_as": _l("Responding"),
    "organisation_name": _l("Organisation"),
    "organisation_size": _l("Size of the organisation"),
    "gender": _l("Gender"),
    "age_band": _l("Age"),
    "publication": _l("Publication"),
    "display_name": _l("Name to publish"),
    "email": _l("Email"),
    "submitted_at": _l("Submitted (consultation's time zone)"),
    "value": _l("Answer"),
    "redacted_text": _l("Redacted text"),
    "moderation": _l("Moderation"),
    "rejection_reason": _l("Reason for not publishing"),
    "decision": _l("Decision"),
    "decision_reason": _l("Reason for the decision"),
    "themes": _l("Themes"),
    "field": _l("Breakdown"),
    "code": _l("Category"),
    "response_share": _l("Share of responses"),
    "population": _l("Population"),
    "population_share": _l("Share of population"),
    "index": _l("Representation index"),
    "verdict": _l("In words"),
    "anchor": _l("Anchor"),
    "words_es": _l("Opening words (Spanish)"),
    "words_en": _l("Opening words (English)"),
    "proposals": _l("Proposing wording"),
}
PER_SHEET = {
    "likert": {"n": _l("Answers to the question")},
    "choices": {"n": _l("Chose it")},
    "ranking": {"n": _l("Ranked it")},
    "comments": {"n": _l("Comments"), "respondents": _l("Respondents who commented")},
    "passages": {"n": _l("Comments"), "number": _l("Passage number"), "kind": _l("Passage")},
    "themes": {"n": _l("Comments")},
}
#: Participation breakdowns that are not profile questions.
BREAKDOWNS = {
    "day": _l("Day (consultation's time zone)"),
    "sections_covered": _l("Sections answered"),
    "channel": _l("Channel"),
}


def _likert_headings() -> dict[str, str]:
    names = {point: str(name) for point, name in likert_choices()}
    shares = {f"share_{p}": _("Share: %(answer)s", answer=names[p]) for p in "12345"}
    return {**names, **shares, "dk_share": _("Share: %(answer)s", answer=names["dk"])}


def heading(sheet: str, column: str, profile: Profile | None = None) -> str:
    """A column's heading on a sheet, in the report's language: a further profile
    question's (a breakdown's column) is its prompt; the name if unknown."""
    special = PER_SHEET.get(sheet, {})
    if column in special:
        return str(special[column])
    if sheet == "likert":
        likert = _likert_headings()
        if column in likert:
            return likert[column]
    if column not in COLUMNS and profile is not None and profile[column] is not None:
        return field_name(profile, column, language())
    return str(COLUMNS.get(column, column))


def sheet_name(name: str) -> str:
    """A sheet's name in the report's language (at most 31 characters, as Excel wants)."""
    return str(SHEETS.get(name, name))[:31]


def _breakdown(name: str, profile: Profile) -> str:
    """A participation table's name: its field's (a further question's prompt), or the
    day's or sections'."""
    if name in BREAKDOWNS:
        return str(BREAKDOWNS[name])
    return field_name(profile, name, language())


def _profile_columns(frame: pd.DataFrame, profile: Profile) -> list[str]:
    """The columns holding profile codes: groups, types, and a breakdown's field."""
    keys = {GROUPS_KEY, *FIELD_NAMES, *(f.key for f in profile.fields)}
    return [c for c in frame.columns if c in keys]


def for_people(sheet: str, frame: pd.DataFrame, profile: Profile) -> pd.DataFrame:
    """A copy with codes as their labels (question and option codes stay): profile codes
    as the consultation (``profile``) names them, other vocabularies by theirs."""
    out = frame.copy()
    vocabularies = {
        "type": QuestionType,
        "share_base": ShareBase,
        "campaign_kind": CopyKind,
    }
    if sheet != "participation":
        for column in _profile_columns(out, profile):
            out[column] = out[column].map(lambda c, k=column: category_label(profile, k, c))
    for column, vocabulary in vocabularies.items():
        if column in out:
            out[column] = out[column].map(lambda code, v=vocabulary: label_of(v, code))
    if sheet == "passages":
        out["kind"] = [passage_label(k, None) if k == EARLIER else k for k in out["kind"]]
        out["kind"] = (
            out["kind"]
            .map({PARAGRAPH: _("Paragraph"), ITEM: _("Line of a list")})
            .fillna(out["kind"])
        )
    elif "kind" in out:
        out["kind"] = (
            out["kind"].map({"word": _("Word"), "phrase": _("Phrase")}).fillna(out["kind"])
        )
    if sheet == "representation":
        out["code"] = [
            category_label(profile, f, c) for f, c in zip(out["field"], out["code"], strict=True)
        ]
        out["field"] = out["field"].map(lambda f: _breakdown(f, profile))
        out["verdict"] = out["verdict"].map(verdict_words)
    if sheet == "participation":
        out["category"] = [
            c if b in BREAKDOWNS and c != OTHER else category_label(profile, b, c)
            for b, c in zip(out["breakdown"], out["category"], strict=True)
        ]
        out["breakdown"] = out["breakdown"].map(lambda b: _breakdown(b, profile))
    return out
