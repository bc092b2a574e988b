"""docgen: supervision agreements for every supervisor–supervisee pair, from one roster."""

from __future__ import annotations

__version__ = "0.1.0"

from .collect import Collection, collect
from .errors import DocgenError, Problem, RosterProblems, TemplateError
from .pipeline import Extras, Options, Result, check_roster, generate, refresh, schedules

__all__ = [
    "Collection",
    "DocgenError",
    "Extras",
    "Options",
    "Problem",
    "Result",
    "RosterProblems",
    "TemplateError",
    "__version__",
    "check_roster",
    "collect",
    "generate",
    "refresh",
    "schedules",
]
