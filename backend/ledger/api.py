"""Books API: chart of accounts, manual entries and reversals, period close, trial
balance, Neraca and PHU. Read: pengurus (own koperasi), Dinas (region, `?koperasi=slug`).
Write: pengurus of the koperasi; every manual posting is in the audit log."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

import msgspec
from litestar import Controller, Request, Response, get, post
from litestar.params import JSONBody, PathParameter, QueryParameter

from backend.accounts import audit
from backend.accounts.sessions import require_actor
from backend.accounts.web import client_ip, signed_in
from backend.db import write_transaction
from backend.errors import ValidationFailed
from backend.i18n import translator
from backend.ledger import exports, service, statements
from backend.ledger.access import books_to_read, books_to_write
from backend.ledger.domain import Line
from backend.ledger.tables import LedgerAccount
from backend.savings.service import policy as savings_policy
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


class AccountOut(msgspec.Struct):
    code: str
    name: str
    type: str
    contra: bool


class BooksController(Controller):
    path = "/books"
    tags = ["pembukuan"]

    @get("/accounts", summary="Bagan akun")
    async def accounts(
        self, request: Request[Any, Any, Any], koperasi: Slug = None
    ) -> list[AccountOut]:
        k = await books_to_read(require_actor(signed_in(request)), koperasi)
        rows = (
            await LedgerAccount.select(
                LedgerAccount.code, LedgerAccount.name, LedgerAccount.type, LedgerAccount.contra
            )
            .where(LedgerAccount.koperasi == k)
            .order_by(LedgerAccount.code)
        )
        return [AccountOut(**row) for row in rows]

    @post("/entries", summary="Catat jurnal umum", status_code=201)
    async def post_entry(
        self, request: Request[Any, Any, Any], data: JSONBody[EntryIn]
    ) -> service.PostedEntry:
        actor = require_actor(signed_in(request))
        k = books_to_write(actor)
        lines = [Line(line.account, line.debit, line.credit, line.memo) for line in data.lines]
        # Savings accounts move only with their member records (the sub-ledger).
        controlled = set((await savings_policy(k)).control_accounts)
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
            posted = await service.reverse_entry(k, number, data.entry_date, actor.user_id)
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
        compare = (compare_since, compare_until) if compare_since and compare_until else None
        return await statements.phu(k, since, until, compare)


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
        compare = (compare_since, compare_until) if compare_since and compare_until else None
        income = await statements.phu(k, since, until, compare)
        return await _export(
            request,
            k,
            lambda name, _, lang: exports.phu_report(income, name, _, lang),
            f"phu-{since}-{until}",
            format,
        )
