"""The books through the API: a pengurus records, corrects and closes; a Dinas officer
reads; mistakes are refused with the one error shape; every posting is audited."""

from __future__ import annotations

from dataclasses import replace

from backend.accounts.domain import Role
from backend.accounts.tables import AuditEvent
from backend.ledger import service as ledger
from backend.settings import Settings
from backend.tenancy.tables import Koperasi
from tests.support.client import app_client
from tests.support.sessions import as_person, person

ORIGIN = "http://localhost:8000"


async def test_pengurus_keeps_books_and_dinas_reads_them(demo: Settings) -> None:
    settings = replace(demo, auth_attempts_per_minute=1000)
    kop = (
        await Koperasi.select(Koperasi.id, Koperasi.region.as_alias("region_id"))
        .where(Koperasi.slug == "kopwan-srikandi")
        .first()
    )
    assert kop is not None
    k, region = kop["id"], kop["region_id"]
    pengurus = await person(settings, Role.PENGURUS, k, region)
    dinas = await person(settings, Role.DINAS, None, region)
    kasir = await person(settings, Role.KASIR, k, region)
    entry = {
        "entry_date": "2026-03-02",
        "description": "Hibah dari pemerintah daerah",
        "lines": [
            {"account": "1-1100", "debit": 150_000},
            {"account": "3-1400", "credit": 150_000},
        ],
    }
    async with app_client(settings, origin=ORIGIN) as client:
        as_person(client, pengurus)
        chart = (await client.get("/api/v1/books/accounts")).json()
        kas = {
            "code": "1-1100",
            "name": "Kas",
            "type": "aset",
            "contra": False,
            "cash_flow": "kas",
            "used": False,
            "control": False,
        }
        assert kas in chart
        assert next(a for a in chart if a["code"] == "2-1100")["control"] is True
        posted = await client.post("/api/v1/books/entries", json=entry)
        assert posted.status_code == 201, posted.text
        number = posted.json()["number"]
        unbalanced = await client.post(
            "/api/v1/books/entries",
            json={
                **entry,
                "lines": [{"account": "1-1100", "debit": 1}, {"account": "3-1400", "credit": 2}],
            },
        )
        assert unbalanced.status_code == 422
        assert unbalanced.json()["error"]["code"] == "entry_unbalanced"
        fraction = await client.post(
            "/api/v1/books/entries",
            json={
                **entry,
                "lines": [
                    {"account": "1-1100", "debit": 1.5},
                    {"account": "3-1400", "credit": 1.5},
                ],
            },
        )
        assert fraction.status_code == 400  # whole rupiah only, refused at the door
        control = await client.post(
            "/api/v1/books/entries",
            json={
                **entry,
                "lines": [{"account": "1-1100", "debit": 9}, {"account": "2-1100", "credit": 9}],
            },
        )
        assert control.json()["error"]["code"] == "control_account"
        sheet = (await client.get("/api/v1/books/neraca", params={"as_of": "2026-12-31"})).json()
        assert sheet["aset"]["totals"] == [150_000]
        reversal = await client.post(
            f"/api/v1/books/entries/{number}/reversal", json={"entry_date": "2026-03-03"}
        )
        assert reversal.status_code == 201
        closed = await client.post("/api/v1/books/periods/2026-03/close")
        assert closed.status_code == 200
        late = await client.post("/api/v1/books/entries", json=entry)
        assert late.json()["error"]["code"] == "period_closed"
        tb = (await client.get("/api/v1/books/trial-balance")).json()
        kas = next(row for row in tb if row["code"] == "1-1100")
        assert (kas["debit"], kas["credit"], kas["balance"]) == (150_000, 150_000, 0)

        as_person(client, dinas)
        income = await client.get(
            "/api/v1/books/phu",
            params={"since": "2026-01-01", "until": "2026-12-31", "koperasi": "kopwan-srikandi"},
        )
        assert income.status_code == 200 and income.json()["shu"] == [0]
        assert (await client.post("/api/v1/books/entries", json=entry)).status_code == 403

        pdf = await client.get(
            "/api/v1/books/exports/neraca",
            params={"as_of": "2026-12-31", "koperasi": "kopwan-srikandi"},
        )
        assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
        assert (
            'filename="neraca-2026-12-31-kopwan-srikandi.pdf"' in pdf.headers["content-disposition"]
        )
        xlsx = await client.get(
            "/api/v1/books/exports/phu",
            params={
                "since": "2026-01-01",
                "until": "2026-12-31",
                "format": "xlsx",
                "koperasi": "kopwan-srikandi",
            },
        )
        assert xlsx.status_code == 200 and xlsx.content.startswith(b"PK")
        bad = await client.get(
            "/api/v1/books/exports/phu",
            params={
                "since": "2026-01-01",
                "until": "2026-12-31",
                "format": "doc",
                "koperasi": "kopwan-srikandi",
            },
        )
        assert bad.status_code == 400

        as_person(client, kasir)
        assert (await client.get("/api/v1/books/accounts")).status_code == 403

    actions = [
        row["action"]
        for row in await AuditEvent.select(AuditEvent.action).where(AuditEvent.koperasi == k)
        if row["action"].startswith(("entry_", "period_"))  # the demo audits its own work
    ]
    assert actions == ["entry_posted", "entry_reversed", "period_closed"]
    assert len(await ledger.trial_balance(k)) > 0
