"""docgen: supervision agreements for every supervisor–supervisee pair, from one roster."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

if TYPE_CHECKING:
    from .errors import DocgenError, Problem, RosterProblems, TemplateError
    from .pipeline import Extras, Options, Result, check_roster, generate, refresh, schedules

__all__ = [
    "DocgenError",
    "Extras",
    "Options",
    "Problem",
    "Result",
    "RosterProblems",
    "TemplateError",
    "__version__",
    "check_roster",
    "generate",
    "refresh",
    "schedules",
]


def __getattr__(name: str) -> Any:
    # Loaded when first asked for, so that a worker process, which needs only the renderer,
    # does not load the whole pipeline (workbooks, calendars, PDF) as it starts.
    if name in ("DocgenError", "Problem", "RosterProblems", "TemplateError"):
        from . import errors

        return getattr(errors, name)
    if name in __all__:
        from . import pipeline

        return getattr(pipeline, name)
    raise AttributeError(f"module 'docgen' has no attribute {name!r}")
