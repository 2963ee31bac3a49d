"""The periodic reports on SQLite and PostgreSQL: the figures a form opens with are the demo
books' own (statements, the savings sub-ledger, members, the loan register), a report
arrives exactly once whatever the network does (the same batch twice at once, a reused id,
two different reports of one period racing), a second report of a period only as a
correction of the latest revision (both kept), bad reports are rejected with the fields to
fix, and the Dinas reads its region's filings, each submission and the Excel export."""

from __future__ import annotations

import asyncio
import io
import json
import uuid
from dataclasses import dataclass, replace
from typing import Any

import httpx
import openpyxl
import pytest

from backend.accounts.domain import Role
from backend.accounts.tables import AuditEvent
from backend.demo.books import load_demo_books
from backend.ledger.statements import neraca, phu
from backend.loans import service as loans
from backend.loans.domain import Method, ProductTerms
from backend.members.tables import Member
from backend.reporting import service
from backend.reporting.api import today
from backend.reporting.demo import MISSING_BEFORE_LAST, load_demo_reports
from backend.reporting.domain import Period, PeriodKind, last_complete
from backend.reporting.forms import MONTHLY_V1, QUARTERLY_V1
from backend.reporting.tables import ReportSubmission
from backend.settings import Settings
from backend.tenancy.tables import Koperasi, Region
from tests.support.client import app_client
from tests.support.sessions import as_person, person

ORIGIN = "http://localhost:8000"


@dataclass
class Books:
    settings: Settings
    ids: dict[str, int]  # koperasi by slug
    region_id: int
    pengurus: tuple[str, str]  # of Koperasi Wanita Srikandi
    dinas: tuple[str, str]
    month: Period  # the last month that is over
    quarter: Period


@pytest.fixture
async def world(demo: Settings) -> Books:
    """The demo region without its year of books (what intake and reading need)."""
    settings = replace(demo, auth_attempts_per_minute=10_000)
    rows = await Koperasi.select(Koperasi.id, Koperasi.slug, Koperasi.region.as_alias("region"))
    ids = {str(r["slug"]): int(r["id"]) for r in rows}
    region = int(rows[0]["region"])
    k = ids["kopwan-srikandi"]
    return Books(
        settings=settings,
        ids=ids,
        region_id=region,
        pengurus=await person(settings, Role.PENGURUS, k, region, name="Sri Rahayu"),
        dinas=await person(settings, Role.DINAS, None, region, name="Petugas Dinas"),
        month=last_complete(PeriodKind.MONTH, today()),
        quarter=last_complete(PeriodKind.QUARTER, today()),
    )


@pytest.fixture
async def books(world: Books) -> Books:
    """The demo region with its year of books (what the prefilled figures need)."""
    await load_demo_books(today())
    return world


def _line(section: Any, code: str) -> int:
    return sum(line.amounts[0] for line in section.lines if line.code == code)


async def _members_at(k: int, period: Period) -> tuple[int, int, int]:
    rows = await Member.select(Member.joined_on, Member.left_on, Member.status).where(
        Member.koperasi == k
    )

    def member_then(row: dict[str, Any]) -> bool:
        if row["joined_on"] > period.end:
            return False
        if row["left_on"] is None:
            return bool(row["status"] != "keluar")
        return bool(row["left_on"] > period.end)

    at_end = sum(1 for r in rows if member_then(r))
    joined = sum(1 for r in rows if period.contains(r["joined_on"]))
    left = sum(1 for r in rows if r["left_on"] is not None and period.contains(r["left_on"]))
    return at_end, joined, left


async def test_the_forms_open_with_the_figures_of_the_demo_books(books: Books) -> None:
    for slug in ("kopwan-srikandi", "ksp-artha-mandiri"):
        k = books.ids[slug]
        period = books.month
        found = await service.prefill(k, MONTHLY_V1, period)
        position = await neraca(k, period.end)
        year = await phu(k, period.year_start, period.end)
        month = await phu(k, period.start, period.end)
        v = found.values
        assert v["assets"] == position.aset.totals[0] > 0
        assert (v["revenue_ytd"], v["expenses_ytd"], v["shu_ytd"]) == (
            year.pendapatan.totals[0],
            year.beban.totals[0],
            year.shu[0],
        )
        assert v["revenue_ytd"] > 0 and v["expenses_ytd"] > 0
        shop_sales = _line(month.pendapatan, "4-1200") + _line(month.pendapatan, "4-2100")
        assert v["sales"] == shop_sales
        assert (v["sales"] > 0) == (slug == "kopwan-srikandi")  # a shop; a KSP has none
        # The savings sub-ledger agrees with the accounts it posts to.
        assert v["savings_pokok"] == _line(position.ekuitas, "3-1100") > 0
        assert v["savings_wajib"] == _line(position.ekuitas, "3-1200") > 0
        assert v["savings_sukarela"] == _line(position.kewajiban, "2-1100") > 0
        assert (v["members_end"], v["members_joined"], v["members_left"]) == await _members_at(
            k, period
        )
        assert v["members_end"] > 0
        # No loan in the register yet: the books' receivable, and a note saying so.
        assert v["loans_outstanding"] == _line(position.aset, "1-1300")
        assert (v["loans_disbursed"], v["loans_arrears"]) == (0, 0)
        assert set(found.notes) == {"loans_outstanding", "loans_disbursed", "loans_arrears"}
        assert set(found.values) == {f.key for f in MONTHLY_V1.fields if f.prefill}
        assert found.sources["assets"].startswith("Jumlah aset di Neraca")

    quarterly = await service.prefill(books.ids["ksp-artha-mandiri"], QUARTERLY_V1, books.quarter)
    position = await neraca(books.ids["ksp-artha-mandiri"], books.quarter.end)
    assert quarterly.values["liabilities"] == position.kewajiban.totals[0]
    assert quarterly.values["equity"] == position.ekuitas.totals[0]
    assert (
        quarterly.values["assets"] == quarterly.values["liabilities"] + quarterly.values["equity"]
    )
    assert quarterly.values["loans_count"] == 0


async def test_loans_in_the_register_are_prefilled_from_it(books: Books) -> None:
    k = books.ids["kopwan-srikandi"]
    period = books.month
    member = (
        await Member.select(Member.member_number)
        .where((Member.koperasi == k) & (Member.status == "aktif"))
        .order_by(Member.member_number)
        .first()
    )
    assert member is not None
    product = await loans.create_product(
        k,
        ProductTerms(
            name="Pinjaman usaha",
            method=Method.FLAT,
            monthly_rate_bp=150,
            min_term_months=1,
            max_term_months=24,
            provisi_bp=0,
            admin_fee=0,
            penalty_bp_per_day=0,
            min_amount=100_000,
            max_amount=50_000_000,
            savings_multiple_bp=0,
        ),
    )
    day = period.start
    applied = await loans.apply(k, member["member_number"], product.id, 6_000_000, 6, day)
    await loans.approve(k, applied.number, day)
    await loans.disburse(k, applied.number, day)
    found = await service.prefill(k, MONTHLY_V1, period)
    assert found.values["loans_disbursed"] == 6_000_000
    assert found.values["loans_outstanding"] == 6_000_000  # nothing paid back yet
    assert found.notes == {}  # the register speaks for itself
    quarterly = await service.prefill(k, QUARTERLY_V1, books.quarter)
    assert quarterly.values["loans_count"] == (1 if books.quarter.contains(day) else 0)
    later = await service.prefill(k, MONTHLY_V1, period.next())
    assert later.values["loans_disbursed"] == 0  # paid out in the month before


def report_payload(values: dict[str, Any], period: Period, **changes: Any) -> dict[str, Any]:
    body = {
        "form": "bulanan",
        "version": 1,
        "period": period.code,
        "values": values,
        "correction": None,
    }
    body.update(changes)
    return body


async def filled(k: int, period: Period) -> dict[str, Any]:
    """What a pengurus sends: the books' figures and the rest filled in."""
    values: dict[str, Any] = dict((await service.prefill(k, MONTHLY_V1, period)).values)
    values.update(
        employees=3,
        problems="Modal usaha terbatas.",
        help_needed="",
        contact_name="Sri Rahayu",
        contact_phone="0812 3456 7890",
    )
    return values


def item(body: dict[str, Any], item_id: str | None = None) -> dict[str, Any]:
    return {
        "id": item_id or str(uuid.uuid4()),
        "kind": "report",
        "created_at": "2026-11-29T09:15:00.000+07:00",
        "payload": body,
    }


async def send(
    client: httpx.AsyncClient, items: list[dict[str, Any]], koperasi_id: int
) -> list[dict[str, Any]]:
    response = await client.post(
        "/api/v1/reports/sync", json={"koperasi_id": koperasi_id, "items": items}
    )
    assert response.status_code == 200, response.text
    return list(response.json()["results"])


async def test_a_report_arrives_exactly_once_and_a_period_is_filed_once(world: Books) -> None:
    k = world.ids["kopwan-srikandi"]
    values = await filled(k, world.month)
    first = item(report_payload(values, world.month))
    async with app_client(world.settings, origin=ORIGIN) as client:
        as_person(client, world.pengurus)
        # The phone's flush and the worker's sync event send the same batch at once.
        a, b = await asyncio.gather(send(client, [first], k), send(client, [first], k))
        assert sorted([a[0]["status"], b[0]["status"]]) == ["created", "duplicate"]
        assert a[0]["revision"] == b[0]["revision"] == 1
        assert a[0]["submission_id"] == b[0]["submission_id"]
        assert await ReportSubmission.count() == 1
        # A retry later (its answer was lost): duplicate, nothing new.
        [again] = await send(client, [first], k)
        assert again["status"] == "duplicate"

        # The same id with other figures: a conflict, never a second report.
        tampered = {**first, "payload": report_payload({**values, "employees": 9}, world.month)}
        [conflict] = await send(client, [tampered], k)
        assert (conflict["status"], conflict["code"]) == ("conflict", "id_reused")

        # Another report of the same period (a new id): refused, with the way out.
        [second] = await send(client, [item(report_payload(values, world.month))], k)
        assert (second["status"], second["code"]) == ("rejected", "report_already_submitted")
        assert "revisi 1" in second["message"] and "koreksi" in second["message"]

        # As a correction of revision 1: accepted as revision 2, revision 1 kept.
        fix = report_payload(
            {**values, "employees": 4},
            world.month,
            correction={"of_revision": 1, "reason": "Satu karyawan baru belum terhitung."},
        )
        [corrected] = await send(client, [item(fix)], k)
        assert (corrected["status"], corrected["revision"]) == ("created", 2)
        # A correction of a revision that is no longer the latest: the person must look again.
        [stale] = await send(client, [item(fix)], k)
        assert (stale["status"], stale["code"]) == ("rejected", "report_changed")
        no_reason = report_payload(values, world.month, correction={"of_revision": 2, "reason": ""})
        [refused] = await send(client, [item(no_reason)], k)
        assert refused["code"] == "correction_reason_required"

        rows = await ReportSubmission.select().order_by(ReportSubmission.revision)
        assert [(r["revision"], json.loads(r["declared"])["employees"]) for r in rows] == [
            (1, 3),
            (2, 4),
        ]
        assert rows[1]["correction_reason"] == "Satu karyawan baru belum terhitung."
        assert json.loads(rows[0]["books"])["assets"] == values["assets"]

        status = (await client.get("/api/v1/reports/status", params={"form": "bulanan"})).json()
        latest = next(p for p in status["periods"] if p["period"] == world.month.code)
        assert (latest["filed"], latest["revisions"], latest["latest"]["revision"]) == (
            True,
            2,
            2,
        )
        assert latest["latest"]["submitted_by"] == "Sri Rahayu"
        others = [p for p in status["periods"] if p["period"] != world.month.code]
        assert others and not any(p["filed"] for p in others)

        listed = (await client.get("/api/v1/reports/submissions")).json()
        assert [s["revision"] for s in listed] == [2, 1]
    events = await AuditEvent.select(AuditEvent.action, AuditEvent.detail).where(
        AuditEvent.action == "report_submitted"
    )
    assert sorted(json.loads(e["detail"])["revision"] for e in events) == [1, 2]


async def test_two_different_reports_of_one_period_at_once_file_one(world: Books) -> None:
    k = world.ids["kopwan-srikandi"]
    values = await filled(k, world.month)
    async with app_client(world.settings, origin=ORIGIN) as client:
        as_person(client, world.pengurus)
        one = item(report_payload(values, world.month))
        other = item(report_payload({**values, "employees": 7}, world.month))
        a, b = await asyncio.gather(send(client, [one], k), send(client, [other], k))
    statuses = sorted([(a[0]["status"], a[0]["code"]), (b[0]["status"], b[0]["code"])])
    assert statuses == [("created", ""), ("rejected", "report_already_submitted")]
    assert await ReportSubmission.count() == 1


async def test_bad_reports_are_rejected_with_the_fields_to_fix(world: Books) -> None:
    k = world.ids["kopwan-srikandi"]
    values = await filled(k, world.month)
    broken = {**values, "contact_name": "", "members_end": -2, "assets": "banyak"}
    current = Period(PeriodKind.MONTH, today().year, today().month)
    async with app_client(world.settings, origin=ORIGIN) as client:
        as_person(client, world.pengurus)
        results = await send(
            client,
            [
                item(report_payload(broken, world.month)),
                item(report_payload(values, current)),  # not over yet
                item(report_payload(values, world.quarter)),  # a quarter on the monthly form
                item(report_payload(values, world.month, version=7)),
                {**item(report_payload(values, world.month)), "kind": "sale"},
                item({"form": "bulanan"}),
                item(report_payload(values, world.month)),  # and a good one goes through
            ],
            k,
        )
        assert [(r["status"], r["code"]) for r in results] == [
            ("rejected", "values_invalid"),
            ("rejected", "period_not_over"),
            ("rejected", "period_kind_mismatch"),
            ("rejected", "form_unknown"),
            ("rejected", "kind_unknown"),
            ("rejected", "payload_invalid"),
            ("created", ""),
        ]
        assert results[0]["message"] == "3 isian perlu diperbaiki."
        assert {(p["field"], p["code"]) for p in results[0]["problems"]} == {
            ("contact_name", "value_required"),
            ("members_end", "value_negative"),
            ("assets", "value_not_number"),
        }
        assert "{" not in results[1]["message"] and current.code in results[1]["message"]

        # In English, placeholders filled in.
        client.cookies.set("koroena_lang", "en", domain="testserver.local")
        [english] = await send(client, [item(report_payload(broken, world.month))], k)
        assert english["message"] == "3 fields need fixing."

        # A batch of another koperasi's reports (a phone signed in to the wrong account):
        # refused as a whole, so the phone keeps it.
        response = await client.post(
            "/api/v1/reports/sync",
            json={"koperasi_id": world.ids["ksp-artha-mandiri"], "items": [item({})]},
        )
        assert response.status_code == 403
        assert response.json()["error"]["code"] == "report_other_koperasi"
    assert await ReportSubmission.count() == 1


async def test_submissions_cannot_be_changed_in_the_database(world: Books) -> None:
    k = world.ids["kopwan-srikandi"]
    values = await filled(k, world.month)
    report = service.ItemIn(str(uuid.uuid4()), "report", report_payload(values, world.month))
    [result] = await service.sync(service.Filer(k), [report], today())
    assert result.status == "created"
    with pytest.raises(Exception, match="immutable"):
        await ReportSubmission.update({ReportSubmission.revision: 5}).where(
            ReportSubmission.id == result.submission_id
        )
    with pytest.raises(Exception, match="immutable"):
        await ReportSubmission.delete().where(ReportSubmission.id == result.submission_id)
    assert await ReportSubmission.count() == 1


async def test_the_dinas_reads_its_region_and_exports_the_period(books: Books) -> None:
    assert await load_demo_reports(today()) == 9  # 6 + 2 + one correction
    assert await load_demo_reports(today()) == 0  # loaded once
    before_last = books.month.previous()
    report = await service.region_reports(books.region_id, before_last.code, today())
    assert (report.filed, report.missing, len(report.rows)) == (6, 1, 7)
    missing = next(r for r in report.rows if not r.filed)
    assert missing.slug == MISSING_BEFORE_LAST
    srikandi = next(r for r in report.rows if r.slug == "kopwan-srikandi")
    assert (srikandi.revisions, srikandi.latest and srikandi.latest.revision) == (2, 2)
    last = await service.region_reports(books.region_id, books.month.code, today())
    assert {r.slug for r in last.rows if r.filed} == {"kopwan-srikandi", "kpri-majapahit"}

    async with app_client(books.settings, origin=ORIGIN) as client:
        as_person(client, books.dinas)
        body = (
            await client.get("/api/v1/reports/region", params={"period": before_last.code})
        ).json()
        assert (body["filed"], body["missing"], body["form"]) == (6, 1, "bulanan")
        bad = await client.get("/api/v1/reports/region", params={"period": "2026-13"})
        assert bad.status_code == 422

        export = await client.get(
            "/api/v1/reports/region/export", params={"period": before_last.code}
        )
        assert export.status_code == 200
        assert export.headers["content-type"].startswith(
            "application/vnd.openxmlformats-officedocument"
        )
        workbook = openpyxl.load_workbook(io.BytesIO(export.content))
        assert workbook.sheetnames == ["Dilaporkan", "Pembukuan", "Selisih", "Riwayat"]
        sheet = workbook["Dilaporkan"]
        header = [cell.value for cell in sheet[6]]
        assert header[:4] == ["Koperasi", "Status", "Revisi", "Diterima"]
        rows = {r[0]: r for r in sheet.iter_rows(min_row=7, values_only=True) if r[0]}
        assert len(rows) == 7
        srikandi_row = rows["Koperasi Wanita Srikandi"]
        assert srikandi_row[1] == "Sudah mengirim" and srikandi_row[2] == 2
        assert srikandi.latest is not None
        detail = await service.submission(books.ids["kopwan-srikandi"], srikandi.latest.id)
        declared = {row.key: row.declared for row in detail.rows}
        assets = 5 + [f.key for f in MONTHLY_V1.fields].index("assets")
        assert header[assets] == "Total aset pada akhir periode"
        assert srikandi_row[assets] == declared["assets"]
        onde = next(v for k, v in rows.items() if "Onde-Onde" in k)
        assert onde[1] in ("Belum mengirim", "Terlambat") and onde[2] is None
        history = list(workbook["Riwayat"].iter_rows(min_row=7, values_only=True))
        assert len([h for h in history if h[0]]) == 7  # six koperasi, one of them twice

        # One submission with the books beside it, and every revision.
        detail_body = (await client.get(f"/api/v1/reports/submissions/{srikandi.latest.id}")).json()
        assert detail_body["latest"] is True
        assert [h["revision"] for h in detail_body["history"]] == [2, 1]
        employees = next(r for r in detail_body["rows"] if r["key"] == "employees")
        assert employees["books"] is None and employees["difference"] is None
        sales = next(r for r in detail_body["rows"] if r["key"] == "sales")
        assert sales["difference"] == sales["declared"] - sales["books"]

        page = await client.get("/pengawasan/laporan", params={"period": before_last.code})
        assert page.status_code == 200 and page.headers["cache-control"] == "no-store"
        assert "Koperasi Wanita Srikandi" in page.text and "Unduh Excel" in page.text
        assert "6 dari 7 koperasi sudah mengirim" in page.text
        shown = await client.get(f"/laporan/kiriman/{srikandi.latest.id}")
        assert shown.status_code == 200
        assert "Satu karyawan baru belum terhitung." in shown.text and "Selisih" in shown.text

    async with app_client(books.settings, origin=ORIGIN) as client:
        as_person(client, books.pengurus)
        own = await client.get(f"/laporan/kiriman/{srikandi.latest.id}")
        assert own.status_code == 200
        region = await client.get("/api/v1/reports/region", params={"period": before_last.code})
        assert region.status_code == 403
        dinas_page = await client.get("/pengawasan/laporan")
        assert dinas_page.status_code == 403


async def test_the_form_page_is_the_same_for_everyone(world: Books) -> None:
    async with app_client(world.settings, origin=ORIGIN) as client:
        anonymous = await client.get("/laporan")
        as_person(client, world.pengurus)
        signed_in = await client.get("/laporan")
        worker = await client.get("/sw.js")
        module = await client.get("/sw/forms.js")
    assert anonymous.status_code == 200 and anonymous.headers["cache-control"] == "no-cache"
    assert signed_in.text == anonymous.text
    assert "csrf-token" not in anonymous.text and "Sri Rahayu" not in anonymous.text
    for form in (MONTHLY_V1, QUARTERLY_V1):
        for field in form.fields:
            assert f'id="{form.key}-{field.key}"' in anonymous.text
    assert '"/laporan"' in worker.text and '"/sw/forms.js"' in worker.text
    assert module.status_code == 200 and "KoroenaReports" in module.text


async def test_region_reports_for_the_dashboard(world: Books) -> None:
    region = await Region.select(Region.id).first()
    assert region is not None
    quarterly = await service.region_reports(int(region["id"]), world.quarter.code, today())
    assert quarterly.form == "triwulan" and quarterly.filed == 0 and len(quarterly.rows) == 7
    forms = await service.koperasi_reports(world.ids["kopwan-srikandi"], today(), 3)
    assert [(f.form, len(f.periods)) for f in forms] == [("bulanan", 3), ("triwulan", 3)]
    assert forms[0].periods[0].period == world.month.code
