"""Keeping the chart and reading the journal through the API: a pengurus adds, renames and
deletes (only unused) accounts; entries come back newest first in keyset pages with their
lines and reversal links; closed periods are listed; the arus kas and every statement
export answer for a Dinas officer too. Every chart change is in the audit log."""

from __future__ import annotations

from dataclasses import replace

import httpx

from backend.accounts.domain import Role
from backend.accounts.tables import AuditEvent
from backend.ledger.tables import LedgerAccount
from backend.members.tables import Member
from backend.settings import Settings
from backend.tenancy.tables import Koperasi
from tests.support.client import app_client
from tests.support.sessions import as_person, person

ORIGIN = "http://localhost:8000"


async def srikandi() -> tuple[int, int]:
    row = (
        await Koperasi.select(Koperasi.id, Koperasi.region.as_alias("region_id"))
        .where(Koperasi.slug == "kopwan-srikandi")
        .first()
    )
    assert row is not None
    return row["id"], row["region_id"]


def error_code(response: httpx.Response) -> str:
    return str(response.json()["error"]["code"])


async def test_pengurus_keeps_the_chart(demo: Settings) -> None:
    settings = replace(demo, auth_attempts_per_minute=1000)
    k, region = await srikandi()
    pengurus = await person(settings, Role.PENGURUS, k, region)
    async with app_client(settings, origin=ORIGIN) as client:
        as_person(client, pengurus)
        new = {"code": "1-1150", "name": "Kas kecil  toko", "type": "aset", "cash_flow": "kas"}
        added = await client.post("/api/v1/books/accounts", json=new)
        assert added.status_code == 201, added.text
        assert added.json() == {
            "code": "1-1150",
            "name": "Kas kecil toko",
            "type": "aset",
            "contra": False,
            "cash_flow": "kas",
            "used": False,
            "control": False,
        }
        again = await client.post("/api/v1/books/accounts", json=new)
        assert again.status_code == 409 and error_code(again) == "account_code_taken"
        wrong_type = await client.post(
            "/api/v1/books/accounts", json={**new, "code": "4-1150", "type": "aset"}
        )
        assert error_code(wrong_type) == "account_code_type"
        bad_code = await client.post("/api/v1/books/accounts", json={**new, "code": "kas"})
        assert error_code(bad_code) == "account_code_invalid"
        no_name = await client.post(
            "/api/v1/books/accounts", json={**new, "code": "1-1160", "name": "  "}
        )
        assert error_code(no_name) == "account_name_invalid"
        # Equity accounts default to financing, others to operating.
        grant = await client.post(
            "/api/v1/books/accounts",
            json={"code": "3-1410", "name": "Hibah desa", "type": "ekuitas"},
        )
        assert grant.json()["cash_flow"] == "pendanaan"

        renamed = await client.patch(
            "/api/v1/books/accounts/1-1150", json={"name": "Kas kecil", "cash_flow": "kas"}
        )
        assert renamed.status_code == 200 and renamed.json()["name"] == "Kas kecil"
        missing = await client.patch("/api/v1/books/accounts/9-9999", json={"name": "X"})
        assert missing.status_code == 404

        posted = await client.post(
            "/api/v1/books/entries",
            json={
                "entry_date": "2026-03-02",
                "description": "Isi kas kecil",
                "lines": [
                    {"account": "1-1150", "debit": 50_000},
                    {"account": "1-1100", "credit": 50_000},
                ],
            },
        )
        assert posted.status_code == 201
        used = await client.delete("/api/v1/books/accounts/1-1150")
        assert used.status_code == 409 and error_code(used) == "account_in_use"
        control = await client.delete("/api/v1/books/accounts/2-1100")
        assert control.status_code == 409
        assert (await client.delete("/api/v1/books/accounts/3-1410")).status_code == 204
        codes = {a["code"]: a for a in (await client.get("/api/v1/books/accounts")).json()}
        assert "3-1410" not in codes and codes["1-1150"]["used"] is True

    assert await LedgerAccount.exists().where(
        (LedgerAccount.koperasi == k) & (LedgerAccount.code == "1-1150")
    )
    actions = [
        row["action"]
        for row in await AuditEvent.select(AuditEvent.action)
        .where(AuditEvent.koperasi == k)
        .order_by(AuditEvent.id)
        if row["action"].startswith(("account_", "entry_"))  # the demo audits its own work
    ]
    assert actions == [
        "account_added",
        "account_added",
        "account_changed",
        "entry_posted",
        "account_deleted",
    ]


async def test_journal_pages_periods_and_statements(demo: Settings) -> None:
    settings = replace(demo, auth_attempts_per_minute=1000)
    k, region = await srikandi()
    pengurus = await person(settings, Role.PENGURUS, k, region, name="Bu Ketua")
    dinas = await person(settings, Role.DINAS, None, region)
    async with app_client(settings, origin=ORIGIN) as client:
        as_person(client, pengurus)
        for day in range(1, 6):
            response = await client.post(
                "/api/v1/books/entries",
                json={
                    "entry_date": f"2026-04-0{day}",
                    "description": f"Penjualan hari {day}",
                    "lines": [
                        {"account": "1-1100", "debit": 1000 * day},
                        {"account": "4-2100", "credit": 1000 * day, "memo": "tunai"},
                    ],
                },
            )
            assert response.status_code == 201
        reversal = await client.post(
            "/api/v1/books/entries/2/reversal", json={"entry_date": "2026-04-06"}
        )
        assert reversal.json()["number"] == 6

        first = (await client.get("/api/v1/books/entries", params={"limit": 4})).json()
        assert [e["number"] for e in first["items"]] == [6, 5, 4, 3]
        assert first["next_before"] == 3
        newest = first["items"][0]
        assert newest["reverses"] == 2 and newest["source"] == "reversal"
        assert newest["created_by"] == "Bu Ketua"
        assert newest["lines"] == [
            {"code": "1-1100", "name": "Kas", "debit": 0, "credit": 2000, "memo": ""},
            {
                "code": "4-2100",
                "name": "Penjualan kepada non-anggota",
                "debit": 2000,
                "credit": 0,
                "memo": "tunai",
            },
        ]
        rest = (await client.get("/api/v1/books/entries", params={"limit": 4, "before": 3})).json()
        assert [e["number"] for e in rest["items"]] == [2, 1] and rest["next_before"] is None
        assert rest["items"][0]["reversed_by"] == 6
        dated = (
            await client.get(
                "/api/v1/books/entries", params={"since": "2026-04-02", "until": "2026-04-03"}
            )
        ).json()
        assert [e["number"] for e in dated["items"]] == [3, 2]
        one = await client.get("/api/v1/books/entries/4")
        assert one.json()["total"] == 4000
        assert (await client.get("/api/v1/books/entries/99")).status_code == 404

        assert (await client.get("/api/v1/books/periods")).json() == {
            "closed_through": None,
            "closes": [],
        }
        await client.post("/api/v1/books/periods/2026-03/close")
        periods = (await client.get("/api/v1/books/periods")).json()
        assert periods["closed_through"] == "2026-03"
        assert periods["closes"][0]["closed_by"] == "Bu Ketua"

        # A savings deposit's entry is corrected through savings, not by a reversal.
        member = await Member.select(Member.member_number).where(Member.koperasi == k).first()
        assert member is not None
        deposit = await client.post(
            "/api/v1/savings/movements",
            json={
                "member_number": member["member_number"],
                "kind": "sukarela",
                "movement": "setor",
                "amount": 10_000,
                "movement_date": "2026-04-07",
            },
        )
        assert deposit.status_code == 201, deposit.text
        refused = await client.post(
            f"/api/v1/books/entries/{deposit.json()['entry_number']}/reversal",
            json={"entry_date": "2026-04-08"},
        )
        assert refused.status_code == 409 and error_code(refused) == "not_reversible"

        as_person(client, dinas)
        flows = (
            await client.get(
                "/api/v1/books/cash-flow",
                params={
                    "since": "2026-04-01",
                    "until": "2026-04-30",
                    "koperasi": "kopwan-srikandi",
                },
            )
        ).json()
        # 15.000 of sales less the reversed 2.000, and a 10.000 savings deposit (financing).
        assert flows["net_change"] == [23_000]
        assert flows["sections"][0]["lines"][0]["amounts"] == [13_000]
        assert flows["sections"][2]["totals"] == [10_000]
        params = {
            "since": "2026-04-01",
            "until": "2026-04-30",
            "as_of": "2026-04-30",
            "koperasi": "kopwan-srikandi",
        }
        for path, name in [
            ("cash-flow", "arus-kas-2026-04-01-2026-04-30"),
            ("equity-changes", "perubahan-ekuitas-2026-04-01-2026-04-30"),
            ("ledger/1-1100", "buku-besar-1-1100-2026-04-01-2026-04-30"),
        ]:
            for fmt, magic in (("pdf", b"%PDF"), ("xlsx", b"PK")):
                response = await client.get(
                    f"/api/v1/books/exports/{path}", params={**params, "format": fmt}
                )
                assert response.status_code == 200, (path, response.text)
                assert response.content.startswith(magic)
                assert f'{name}-kopwan-srikandi.{fmt}"' in response.headers["content-disposition"]
        trial = await client.get(
            "/api/v1/books/exports/trial-balance",
            params={"until": "2026-04-30", "koperasi": "kopwan-srikandi"},
        )
        assert trial.status_code == 200 and trial.content.startswith(b"%PDF")
        # Reading is not writing.
        refused = await client.post(
            "/api/v1/books/accounts", json={"code": "1-1190", "name": "X", "type": "aset"}
        )
        assert refused.status_code == 403
