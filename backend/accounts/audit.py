"""The audit log: written inside the transaction of the change it records."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from backend.accounts.domain import Actor, Role
from backend.accounts.tables import AuditEvent


async def record(
    action: str,
    *,
    actor_id: int | None,
    region_id: int | None,
    koperasi_id: int | None,
    ip: str = "",
    **detail: Any,
) -> None:
    await AuditEvent.insert(
        AuditEvent(
            action=action,
            actor=actor_id,
            region=region_id,
            koperasi=koperasi_id,
            ip=ip[:64],
            detail=json.dumps(detail, ensure_ascii=False, default=str, sort_keys=True),
        )
    )


@dataclass(frozen=True)
class AuditEntry:
    created_at: datetime
    action: str
    actor_name: str | None
    koperasi_id: int | None
    detail: dict[str, Any]


async def list_events(actor: Actor, limit: int = 100) -> list[AuditEntry]:
    """Pengurus read their koperasi's events; Dinas officers their region's."""
    if actor.role is Role.DINAS:
        scope = AuditEvent.region == actor.region_id
    elif actor.role is Role.PENGURUS and actor.koperasi_id is not None:
        scope = AuditEvent.koperasi == actor.koperasi_id
    else:
        return []
    rows = (
        await AuditEvent.select(
            AuditEvent.created_at,
            AuditEvent.action,
            AuditEvent.actor.display_name.as_alias("actor_name"),
            AuditEvent.koperasi.as_alias("koperasi_id"),
            AuditEvent.detail,
        )
        .where(scope)
        .order_by(AuditEvent.id, ascending=False)
        .limit(limit)
    )
    return [
        AuditEntry(
            created_at=row["created_at"],
            action=row["action"],
            actor_name=row["actor_name"],
            koperasi_id=row["koperasi_id"],
            detail=json.loads(row["detail"] or "{}"),
        )
        for row in rows
    ]
