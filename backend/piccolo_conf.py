"""Piccolo's configuration module (PICCOLO_CONF=backend.piccolo_conf).

`DB` is resolved lazily (PEP 562) so that importing this module reads no settings; the app
and the CLI install the engine they built from `Settings` with `backend.db.use_engine`.
"""

from __future__ import annotations

from typing import Any

from piccolo.conf.apps import AppRegistry

APP_REGISTRY = AppRegistry(
    apps=[
        "backend.tenancy.piccolo_app",
        "backend.members.piccolo_app",
        "backend.catalog.piccolo_app",
        "backend.accounts.piccolo_app",
        "backend.ledger.piccolo_app",
        "backend.savings.piccolo_app",
        "backend.inventory.piccolo_app",
        "backend.pos.piccolo_app",
        "backend.loans.piccolo_app",
        "backend.shu.piccolo_app",
        "backend.push.piccolo_app",
        "backend.reporting.piccolo_app",
        "backend.supervision.piccolo_app",
        "backend.health.piccolo_app",
        "backend.outreach.piccolo_app",
        "backend.complaints.piccolo_app",
        "backend.dashboard.piccolo_app",
    ]
)

_engine: Any = None


def __getattr__(name: str) -> Any:
    if name == "DB":
        global _engine
        if _engine is None:
            # Only the bare Piccolo CLI gets here (e.g. `piccolo migrations new`).
            from backend.db import make_engine
            from backend.settings import Settings

            _engine = make_engine(Settings.from_env())
        return _engine
    raise AttributeError(name)


def set_engine(engine: Any) -> None:
    global _engine
    _engine = engine
