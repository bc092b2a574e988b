"""The web page: docgen in a browser, for people who never open a terminal (`docgen serve`)."""

from __future__ import annotations

from .app import ServeRefused, Settings, create_app

__all__ = ["ServeRefused", "Settings", "create_app"]
