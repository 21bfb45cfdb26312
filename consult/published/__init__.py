"""What anyone may read of a consultation, as plain read functions returning frozen
dataclasses: the one place the JSON API (``/api/v1/``) and the open-data package read
through, so the two outputs and the public pages agree.

Nothing here knows of a request or renders anything. Each reader says in its docstring
what is public and why; the rules are the ones the public pages already apply:

- a consultation is public once out of preparation and not archived; its results once
  ``Consultation.summary_published`` (``results_public``);
- published comments follow ``comments`` (published moderation state, submitted, the
  author chose publication, redacted text, a name only if published by name);
- themes and decisions are public only once the outcome is published (``Stage.OUTCOME``);
- every count of people follows the open-report rule (``reports.privacy``, K), read from
  the open report itself (``figures``), never re-implemented.

May import models, extensions, outcome, reports (its pure modules, not its views) and
web's paging; never a blueprint nor ``flask.request``.
"""

from .comments import (
    CommentPage,
    FilterRefused,
    PublishedComment,
    all_published_comments,
    outcome_public,
    published_comments,
)
from .figures import OpenFigures, open_figures, results_public
from .outcome import (
    CommentDecisionCount,
    PublicDecision,
    PublicDecisions,
    PublicTheme,
    SectionDecision,
    public_decisions,
    public_themes,
)

__all__ = [
    "CommentDecisionCount",
    "CommentPage",
    "FilterRefused",
    "OpenFigures",
    "PublicDecision",
    "PublicDecisions",
    "PublicTheme",
    "PublishedComment",
    "SectionDecision",
    "all_published_comments",
    "open_figures",
    "outcome_public",
    "public_decisions",
    "public_themes",
    "published_comments",
    "results_public",
]
