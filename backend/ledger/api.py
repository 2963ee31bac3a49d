"""Books API: chart of accounts, manual entries and reversals, period close, trial
balance, Neraca and PHU. Read: pengurus (own koperasi), Dinas (region, `?koperasi=slug`).
Write: pengurus of the koperasi; every manual posting is in the audit log."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

import msgspec
from litestar import Controller, Request, Response, delete, get, patch, post
from litestar.params import JSONBody, PathParameter, QueryParameter

from backend.accounts import audit
from backend.accounts.sessions import require_actor
from backend.accounts.web import client_ip, signed_in
from backend.db import write_transaction
from backend.errors import Conflict, ValidationFailed
from backend.i18n import translator
from backend.ledger import accounts as chart
from backend.ledger import cashflow, exports, journal, service, statements
from backend.ledger.access import books_to_read, books_to_write
from backend.ledger.domain import AccountType, CashFlow, Line
from backend.savings.service import policy as savings_policy
from backend.savings.tables import SavingsMovement
from backend.tenancy.tables import Koperasi
from backend.texts import N_
from backend.web import language_of

Slug = Annotated[str | None, QueryParameter(max_length=80)]
Day = Annotated[date, QueryParameter()]
MaybeDay = Annotated[date | None, QueryParameter()]


class LineIn(msgspec.Struct, forbid_unknown_fields=True):
    account: Annotated[str, msgspec.Meta(max_length=20)]
    debit: Annotated[int, msgspec.Meta(ge=0)] = 0
    credit: Annotated[int, msgspec.Meta(ge=0)] = 0
    memo: Annotated[str, msgspec.Meta(max_length=200)] = ""


class EntryIn(msgspec.Struct, forbid_unknown_fields=True):
    entry_date: date
    description: Annotated[str, msgspec.Meta(max_length=300)]
    lines: Annotated[list[LineIn], msgspec.Meta(max_length=500)]


class ReversalIn(msgspec.Struct, forbid_unknown_fields=True):
    entry_date: date


class AccountIn(msgspec.Struct, forbid_unknown_fields=True):
    code: Annotated[str, msgspec.Meta(max_length=20)]
    name: Annotated[str, msgspec.Meta(max_length=200)]
    type: AccountType
    contra: bool = False
    cash_flow: CashFlow | None = None


class AccountChange(msgspec.Struct, forbid_unknown_fields=True):
    name: Annotated[str, msgspec.Meta(max_length=200)] | None = None
    cash_flow: CashFlow | None = None


Code = Annotated[str, PathParameter(max_length=20)]
Limit = Annotated[int, QueryParameter(ge=1, le=journal.MAX_PAGE)]
Before = Annotated[int | None, QueryParameter(gt=0)]


async def _control_accounts(koperasi_id: int) -> tuple[str, ...]:
    return (await savings_policy(koperasi_id)).control_accounts


async def _has_sub_ledger_rows(koperasi_id: int, number: int) -> bool:
    """An entry member savings rows point at (e.g. an imported opening of savings)."""
    return bool(
        await SavingsMovement.exists().where(
            (SavingsMovement.koperasi == koperasi_id)
            & (SavingsMovement.entry.number == number)
            & (SavingsMovement.entry.koperasi == koperasi_id)
        )
    )


def _compare(since: date | None, until: date | None) -> tuple[date, date] | None:
    return (since, until) if since and until else None


class BooksController(Controller):
    path = "/books"
    tags = ["pembukuan"]

    @get("/accounts", summary="Bagan akun")
    async def accounts(
        self, request: Request[Any, Any, Any], koperasi: Slug = None
    ) -> list[chart.ChartEntry]:
        k = await books_to_read(require_actor(signed_in(request)), koperasi)
        return await chart.chart(k, await _control_accounts(k))

    @post("/accounts", summary="Tambah akun", status_code=201)
    async def add_account(
        self, request: Request[Any, Any, Any], data: JSONBody[AccountIn]
    ) -> chart.ChartEntry:
        actor = require_actor(signed_in(request))
        k = books_to_write(actor)
        async with write_transaction():
            added = await chart.add_account(
                k, data.code, data.name, data.type, contra=data.contra, cash_flow=data.cash_flow
            )
            await audit.record(
                "account_added",
                actor_id=actor.user_id,
                region_id=actor.region_id,
                koperasi_id=k,
                ip=client_ip(request.scope),
                code=added.code,
                name=added.name,
            )
        return added

    @patch("/accounts/{code:str}", summary="Ubah nama atau kelompok arus kas akun")
    async def change_account(
        self, request: Request[Any, Any, Any], code: Code, data: JSONBody[AccountChange]
    ) -> chart.ChartEntry:
        actor = require_actor(signed_in(request))
        k = books_to_write(actor)
        async with write_transaction():
            changed = await chart.change_account(
                k,
                code,
                name=data.name,
                cash_flow=data.cash_flow,
                control=await _control_accounts(k),
            )
            await audit.record(
                "account_changed",
                actor_id=actor.user_id,
                region_id=actor.region_id,
                koperasi_id=k,
                ip=client_ip(request.scope),
                code=code,
                name=changed.name,
                cash_flow=changed.cash_flow,
            )
        return changed

    @delete("/accounts/{code:str}", summary="Hapus akun yang belum dipakai", status_code=204)
    async def delete_account(self, request: Request[Any, Any, Any], code: Code) -> None:
        actor = require_actor(signed_in(request))
        k = books_to_write(actor)
        async with write_transaction():
            await chart.delete_account(k, code, await _control_accounts(k))
            await audit.record(
                "account_deleted",
                actor_id=actor.user_id,
                region_id=actor.region_id,
                koperasi_id=k,
                ip=client_ip(request.scope),
                code=code,
            )

    @get("/entries", summary="Daftar jurnal (terbaru dulu)")
    async def entries(
        self,
        request: Request[Any, Any, Any],
        since: MaybeDay = None,
        until: MaybeDay = None,
        before: Before = None,
        limit: Limit = 50,
        koperasi: Slug = None,
    ) -> journal.EntryPage:
        k = await books_to_read(require_actor(signed_in(request)), koperasi)
        return await journal.entries(k, since=since, until=until, before=before, limit=limit)

    @get("/entries/{number:int}", summary="Satu jurnal")
    async def entry(
        self,
        request: Request[Any, Any, Any],
        number: Annotated[int, PathParameter(gt=0)],
        koperasi: Slug = None,
    ) -> journal.EntryView:
        k = await books_to_read(require_actor(signed_in(request)), koperasi)
        return await journal.entry(k, number)

    @get("/periods", summary="Periode yang sudah ditutup")
    async def periods(
        self, request: Request[Any, Any, Any], koperasi: Slug = None
    ) -> journal.Periods:
        k = await books_to_read(require_actor(signed_in(request)), koperasi)
        return await journal.periods(k)

    @get("/cash-flow", summary="Laporan arus kas")
    async def cash_flow(
        self,
        request: Request[Any, Any, Any],
        since: Day,
        until: Day,
        compare_since: MaybeDay = None,
        compare_until: MaybeDay = None,
        koperasi: Slug = None,
    ) -> cashflow.ArusKas:
        k = await books_to_read(require_actor(signed_in(request)), koperasi)
        return await cashflow.arus_kas(k, since, until, _compare(compare_since, compare_until))

    @post("/entries", summary="Catat jurnal umum", status_code=201)
    async def post_entry(
        self, request: Request[Any, Any, Any], data: JSONBody[EntryIn]
    ) -> service.PostedEntry:
        actor = require_actor(signed_in(request))
        k = books_to_write(actor)
        lines = [Line(line.account, line.debit, line.credit, line.memo) for line in data.lines]
        # Savings accounts move only with their member records (the sub-ledger).
        controlled = set(await _control_accounts(k))
        if any(line.account_code in controlled for line in lines):
            raise ValidationFailed(
                "control_account",
                N_("Akun simpanan hanya dicatat lewat transaksi simpanan anggota."),
            )
        async with write_transaction():
            posted = await service.post_entry(
                k, data.entry_date, data.description, lines, created_by=actor.user_id
            )
            await audit.record(
                "entry_posted",
                actor_id=actor.user_id,
                region_id=actor.region_id,
                koperasi_id=k,
                ip=client_ip(request.scope),
                number=posted.number,
                total=sum(line.debit for line in lines),
            )
        return posted

    @post("/entries/{number:int}/reversal", summary="Balik jurnal", status_code=201)
    async def reverse(
        self,
        request: Request[Any, Any, Any],
        number: Annotated[int, PathParameter(gt=0)],
        data: JSONBody[ReversalIn],
    ) -> service.PostedEntry:
        actor = require_actor(signed_in(request))
        k = books_to_write(actor)
        async with write_transaction():
            if await _has_sub_ledger_rows(k, number):
                raise Conflict(
                    "not_reversible",
                    N_("Jurnal ini tercatat bersama simpanan anggota; koreksi lewat simpanan."),
                )
            posted = await service.reverse_entry(
                k, number, data.entry_date, actor.user_id, sources=service.REVERSIBLE_SOURCES
            )
            await audit.record(
                "entry_reversed",
                actor_id=actor.user_id,
                region_id=actor.region_id,
                koperasi_id=k,
                ip=client_ip(request.scope),
                number=number,
                reversal=posted.number,
            )
        return posted

    @post("/periods/{period:str}/close", summary="Tutup periode", status_code=200)
    async def close(
        self, request: Request[Any, Any, Any], period: Annotated[str, PathParameter(max_length=7)]
    ) -> dict[str, str]:
        actor = require_actor(signed_in(request))
        k = books_to_write(actor)
        async with write_transaction():
            await service.close_period(k, period, actor.user_id)
            await audit.record(
                "period_closed",
                actor_id=actor.user_id,
                region_id=actor.region_id,
                koperasi_id=k,
                ip=client_ip(request.scope),
                period=period,
            )
        return {"closed": period}

    @get("/trial-balance", summary="Neraca saldo")
    async def trial_balance(
        self, request: Request[Any, Any, Any], until: MaybeDay = None, koperasi: Slug = None
    ) -> list[dict[str, Any]]:
        k = await books_to_read(require_actor(signed_in(request)), koperasi)
        return [
            {
                "code": b.code,
                "name": b.name,
                "debit": b.debit,
                "credit": b.credit,
                "balance": b.balance,
            }
            for b in await service.trial_balance(k, until=until)
        ]

    @get("/neraca", summary="Neraca")
    async def neraca(
        self,
        request: Request[Any, Any, Any],
        as_of: Day,
        compare_as_of: MaybeDay = None,
        koperasi: Slug = None,
    ) -> statements.Neraca:
        k = await books_to_read(require_actor(signed_in(request)), koperasi)
        return await statements.neraca(k, as_of, compare_as_of)

    @get("/phu", summary="Perhitungan hasil usaha")
    async def phu(
        self,
        request: Request[Any, Any, Any],
        since: Day,
        until: Day,
        compare_since: MaybeDay = None,
        compare_until: MaybeDay = None,
        koperasi: Slug = None,
    ) -> statements.Phu:
        k = await books_to_read(require_actor(signed_in(request)), koperasi)
        return await statements.phu(k, since, until, _compare(compare_since, compare_until))


@get("/books/ledger/{code:str}", summary="Buku besar satu akun", tags=["pembukuan"])
async def general_ledger(
    request: Request[Any, Any, Any],
    code: Annotated[str, PathParameter(max_length=20)],
    since: Day,
    until: Day,
    koperasi: Slug = None,
) -> statements.GeneralLedger:
    k = await books_to_read(require_actor(signed_in(request)), koperasi)
    return await statements.general_ledger(k, code, since, until)


@get("/books/equity-changes", summary="Perubahan ekuitas", tags=["pembukuan"])
async def equity_changes(
    request: Request[Any, Any, Any], since: Day, until: Day, koperasi: Slug = None
) -> statements.EquityChanges:
    k = await books_to_read(require_actor(signed_in(request)), koperasi)
    return await statements.perubahan_ekuitas(k, since, until)


EXPORT_TYPES = {
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
ExportFormat = Annotated[str, QueryParameter(pattern="^(pdf|xlsx)$")]


async def _export(
    request: Request[Any, Any, Any], koperasi_id: int, report_of: Any, name: str, fmt: str
) -> Response[bytes]:
    language = language_of(request.scope)
    row = (
        await Koperasi.select(Koperasi.name, Koperasi.slug)
        .where(Koperasi.id == koperasi_id)
        .first()
    )
    assert row is not None
    report = report_of(row["name"], translator(language), language)
    body = exports.to_pdf(report) if fmt == "pdf" else exports.to_xlsx(report)
    filename = f"{name}-{row['slug']}.{fmt}"
    return Response(
        body,
        media_type=EXPORT_TYPES[fmt],
        headers={
            "Content-Disposition": f'attachment; filename="{filename}"',
            "Cache-Control": "no-store",
        },
    )


class BookExportsController(Controller):
    path = "/books/exports"
    tags = ["pembukuan"]

    @get("/neraca", summary="Unduh neraca (PDF/Excel)")
    async def neraca(
        self,
        request: Request[Any, Any, Any],
        as_of: Day,
        format: ExportFormat = "pdf",
        compare_as_of: MaybeDay = None,
        koperasi: Slug = None,
    ) -> Response[bytes]:
        k = await books_to_read(require_actor(signed_in(request)), koperasi)
        sheet = await statements.neraca(k, as_of, compare_as_of)
        return await _export(
            request,
            k,
            lambda name, _, lang: exports.neraca_report(sheet, name, _, lang),
            f"neraca-{as_of}",
            format,
        )

    @get("/phu", summary="Unduh perhitungan hasil usaha (PDF/Excel)")
    async def phu(
        self,
        request: Request[Any, Any, Any],
        since: Day,
        until: Day,
        format: ExportFormat = "pdf",
        compare_since: MaybeDay = None,
        compare_until: MaybeDay = None,
        koperasi: Slug = None,
    ) -> Response[bytes]:
        k = await books_to_read(require_actor(signed_in(request)), koperasi)
        income = await statements.phu(k, since, until, _compare(compare_since, compare_until))
        return await _export(
            request,
            k,
            lambda name, _, lang: exports.phu_report(income, name, _, lang),
            f"phu-{since}-{until}",
            format,
        )

    @get("/cash-flow", summary="Unduh laporan arus kas (PDF/Excel)")
    async def cash_flow(
        self,
        request: Request[Any, Any, Any],
        since: Day,
        until: Day,
        format: ExportFormat = "pdf",
        compare_since: MaybeDay = None,
        compare_until: MaybeDay = None,
        koperasi: Slug = None,
    ) -> Response[bytes]:
        k = await books_to_read(require_actor(signed_in(request)), koperasi)
        flows = await cashflow.arus_kas(k, since, until, _compare(compare_since, compare_until))
        return await _export(
            request,
            k,
            lambda name, _, lang: exports.cash_flow_report(flows, name, _, lang),
            f"arus-kas-{since}-{until}",
            format,
        )

    @get("/equity-changes", summary="Unduh laporan perubahan ekuitas (PDF/Excel)")
    async def equity_changes(
        self,
        request: Request[Any, Any, Any],
        since: Day,
        until: Day,
        format: ExportFormat = "pdf",
        koperasi: Slug = None,
    ) -> Response[bytes]:
        k = await books_to_read(require_actor(signed_in(request)), koperasi)
        changes = await statements.perubahan_ekuitas(k, since, until)
        return await _export(
            request,
            k,
            lambda name, _, lang: exports.equity_report(changes, name, _, lang),
            f"perubahan-ekuitas-{since}-{until}",
            format,
        )

    @get("/trial-balance", summary="Unduh neraca saldo (PDF/Excel)")
    async def trial_balance(
        self,
        request: Request[Any, Any, Any],
        until: Day,
        format: ExportFormat = "pdf",
        koperasi: Slug = None,
    ) -> Response[bytes]:
        k = await books_to_read(require_actor(signed_in(request)), koperasi)
        balances = await service.trial_balance(k, until=until)
        return await _export(
            request,
            k,
            lambda name, _, lang: exports.trial_balance_report(balances, until, name, _, lang),
            f"neraca-saldo-{until}",
            format,
        )

    @get("/ledger/{code:str}", summary="Unduh buku besar satu akun (PDF/Excel)")
    async def ledger(
        self,
        request: Request[Any, Any, Any],
        code: Code,
        since: Day,
        until: Day,
        format: ExportFormat = "pdf",
        koperasi: Slug = None,
    ) -> Response[bytes]:
        k = await books_to_read(require_actor(signed_in(request)), koperasi)
        book = await statements.general_ledger(k, code, since, until)
        return await _export(
            request,
            k,
            lambda name, _, lang: exports.ledger_report(book, name, _, lang),
            f"buku-besar-{code}-{since}-{until}",
            format,
        )
