"""dyad's REST API and dashboard: `create_app(db_path)` serves a store read-only (see app.py)."""
from __future__ import annotations

from .app import create_app

__all__ = ["create_app"]
