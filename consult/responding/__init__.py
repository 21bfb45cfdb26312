"""The respondent's operations: start, change, submit and withdraw a response.

``operations`` holds the flow's named operations, each one transaction; ``own_response``
reads a respondent's own response into plain objects; ``saving`` writes only what a page
changed; ``changes`` marks a transaction that changes what public pages show; ``profile``
checks a profile against the consultation's own lists (the one write path for it);
``gates`` stores the yes or no before a gated section (a no clears the section).

May import: models, extensions. Never Flask's request, ``web``, or a blueprint.
"""

from .gates import NotGated, answer_gate, gate_answers, wants_section
from .operations import (
    REPLAY_WINDOW,
    AnswerValue,
    CommentInput,
    ConsultationClosed,
    FormAlreadyUsed,
    NothingToSubmit,
    ResponseLocked,
    answered_sections,
    ensure_writable,
    save_answers,
    start_response,
    submit_response,
    update_profile,
    withdraw_response,
)
from .profile import ProfileInvalid, profile_values, read_traits

__all__ = [
    "REPLAY_WINDOW",
    "AnswerValue",
    "CommentInput",
    "ConsultationClosed",
    "FormAlreadyUsed",
    "NotGated",
    "NothingToSubmit",
    "ProfileInvalid",
    "ResponseLocked",
    "answer_gate",
    "answered_sections",
    "ensure_writable",
    "gate_answers",
    "profile_values",
    "read_traits",
    "save_answers",
    "start_response",
    "submit_response",
    "update_profile",
    "wants_section",
    "withdraw_response",
]
