"""Migrations, the demo data and tenant scoping on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
from datetime import date

import pytest
from piccolo.columns import ForeignKey

from backend.catalog.tables import Product
from backend.db import DatabaseBehind, all_tables, ensure_current, migrate, migration_state
from backend.demo import data
from backend.demo.service import load_demo
from backend.errors import Conflict, ValidationFailed
from backend.members import service as members
from backend.members.tables import Member
from backend.settings import Settings
from backend.tenancy.tables import Koperasi, Outlet


async def table_counts() -> dict[str, int]:
    return {t._meta.tablename: await t.count() for t in all_tables()}


async def test_migrations_from_empty(database: Settings) -> None:
    before = await migration_state()
    assert before.applied == []
    assert len(before.pending) >= 3
    with pytest.raises(DatabaseBehind) as behind:
        await ensure_current()
    assert "koroena migrate" in str(behind.value)

    applied = await migrate()
    assert applied == before.pending
    after = await migration_state()
    assert after.is_current
    for table in all_tables():
        assert await table.table_exists(), table._meta.tablename
    assert await migrate() == []  # a second run has nothing to do


# Rows that belong to no single koperasi, and why.
NOT_TENANT_ROWS = {
    "region": "a Dinas's area, above the koperasi",
    "koperasi": "the tenant itself",
    "user_account": "a person may hold roles in several koperasi (RoleGrant carries koperasi_id)",
    "passkey": "belongs to a person, not to a koperasi",
    "auth_session": "a signed-in browser; its active RoleGrant carries koperasi_id",
    "webauthn_challenge": "a pending passkey ceremony, minutes long",
    "health_atmr_weight": "a region's ATMR risk weights (set by its Dinas)",
    "health_rule_confirmation": "a Dinas officer's confirmation of a rule row for the region",
    "push_vapid_key": "the server's one VAPID key pair",
    "push_subscription": "a person's browser; notifications are addressed to people",
    "push_preference": "a person's choice of topics",
    "push_delivery": "one notification to one browser; the notification carries koperasi_id",
    "edu_article": "education material of a region's Dinas, public",
    "edu_attachment": "a file of an education article (region-wide)",
    "training_event": "a training of a region's Dinas; its audience may name koperasi",
    "complaint_secret": "the server's one key for the public forms' challenges",
    "complaint_challenge_use": "a spent challenge of the public forms (no account, no tenant)",
    "complaint_photo": "the photo of one complaint (the complaint carries koperasi_id)",
    "complaint_event": "a line of one complaint's timeline (the complaint carries koperasi_id)",
    "consultation_message": "a message of one consultation (the thread carries koperasi_id)",
}


async def test_every_tenant_table_carries_koperasi_id(migrated: Settings) -> None:
    names = {t._meta.tablename for t in all_tables()}
    assert set(NOT_TENANT_ROWS) <= names
    for table in all_tables():
        if table._meta.tablename in NOT_TENANT_ROWS:
            continue
        column = table._meta.get_column_by_name("koperasi")
        assert isinstance(column, ForeignKey), table._meta.tablename
        assert column._meta.db_column_name == "koperasi_id"
        assert column._foreign_key_meta.resolved_references is Koperasi


async def test_demo_is_complete_and_idempotent(migrated: Settings) -> None:
    first = await load_demo()
    counts = await table_counts()
    assert first.total_created == sum(counts[t] for t in counts if t != "migration")
    assert counts["region"] == 1
    assert counts["koperasi"] >= 6
    assert counts["member"] >= 30
    kinds = {row["kind"] for row in await Koperasi.select(Koperasi.kind)}
    assert len(kinds) >= 6
    names = " ".join(row["name"].lower() for row in await Product.select(Product.name))
    for staple in ("beras", "minyak goreng", "gula", "telur", "sabun", "pulsa"):
        assert staple in names
    assert await Outlet.count() >= len(data.KOPERASI)

    second = await load_demo()
    assert second.total_created == 0
    assert await table_counts() == counts


async def test_unique_keys_are_per_koperasi(demo: Settings) -> None:
    kop_ids = [row["id"] for row in await Koperasi.select(Koperasi.id).order_by(Koperasi.id)]
    member = await Member.select(Member.member_number, Member.nik).first()
    assert member is not None
    # The same member number in another koperasi is fine (A-0001 exists in every one).
    assert await Member.count().where(Member.member_number == "A-0001") == len(kop_ids)
    # ...but twice in one koperasi is refused by the database itself.
    with pytest.raises(Exception):  # noqa: B017 - driver-specific IntegrityError
        await Member.insert(
            Member(
                koperasi=kop_ids[0],
                member_number="A-0001",
                full_name="Duplikat",
                nik="3576014101900099",
                joined_on=date(2024, 1, 1),
            )
        )


async def test_register_member_validates_and_scopes(demo: Settings) -> None:
    srikandi = await Koperasi.select(Koperasi.id).where(Koperasi.slug == "kopwan-srikandi").first()
    wilwatikta = (
        await Koperasi.select(Koperasi.id).where(Koperasi.slug == "kopjas-wilwatikta").first()
    )
    assert srikandi and wilwatikta
    today = date(2026, 11, 29)
    before = await Member.count().where(Member.koperasi == srikandi["id"])
    new = members.NewMember(
        full_name="  Ratna Sari Dewi ",
        nik="3576 0254 0892 0001",
        phone="0812-3456-7890",
        address="Jl. Empu Nala No. 3",
    )
    created = await members.register_member(srikandi["id"], new, today)
    assert created.member_number == f"A-{before + 1:04d}"
    assert created.full_name == "Ratna Sari Dewi"
    assert created.joined_on == today

    with pytest.raises(Conflict) as taken:
        await members.register_member(srikandi["id"], new, today)
    assert taken.value.code == "nik_taken"
    # The same person may also join another koperasi.
    await members.register_member(wilwatikta["id"], new, today)

    with pytest.raises(ValidationFailed) as bad:
        await members.register_member(
            srikandi["id"], members.NewMember(full_name="X", nik="12345"), today
        )
    assert bad.value.code == "nik_length"
    assert await Member.count().where(Member.koperasi == srikandi["id"]) == before + 1

    typed = members.NewMember(
        full_name="Nomor Manual", nik="3576021507800001", member_number="A-0999"
    )
    assert (await members.register_member(srikandi["id"], typed, today)).member_number == "A-0999"
    after_typed = members.NewMember(full_name="Sesudahnya", nik="3576021507800002")
    assert (await members.register_member(srikandi["id"], after_typed, today)).member_number == (
        "A-1000"
    )

    listed = await members.list_members(srikandi["id"], search="ratna")
    assert [m.full_name for m in listed] == ["Ratna Sari Dewi"]
    assert await members.list_members(wilwatikta["id"], search="Siti Nurhaliza") == []


@pytest.mark.parametrize("demo", ["sqlite"], indirect=True)
async def test_sqlite_pool_reuses_connections_and_survives_errors(demo: Settings) -> None:
    from backend.db import PooledSQLiteEngine, current_engine, write_transaction

    engine = current_engine()
    assert isinstance(engine, PooledSQLiteEngine)
    counts = await asyncio.gather(*[Member.count() for _ in range(50)])
    assert set(counts) == {counts[0]} and counts[0] >= 30
    assert engine._opened <= engine.pool_size

    with pytest.raises(Exception):  # noqa: B017 - sqlite3.OperationalError
        await Member.raw("SELECT no_such_column FROM member").run()
    assert await Member.count() == counts[0]  # the failed connection was dropped, not reused

    # What a transaction commits is visible to the pooled readers at once.
    async with write_transaction():
        await Member.update({Member.status: "keluar"}).where(Member.member_number == "A-0001")
    assert await Member.count().where(Member.status == "keluar") == await Koperasi.count()
    await engine.close_pool()
    assert await Member.count() == counts[0]  # and a closed pool opens anew on demand
