"""The stage a consultation is in, and what happens next, for every public template.

Public pages and the results page (``reports`` templates) both include
``public/_stage.html``; it reads these functions rather than each view passing them.
"""

from __future__ import annotations

from typing import Any

from ..outcome import stages
from . import bp
from .cache import previewing


@bp.app_context_processor
def stage_functions() -> dict[str, Any]:
    return {
        "stage_shown": stages.shown,
        "stage_next": stages.next_step,
        "stage_previewing": previewing,
    }
