"""Imports API (pengurus of the koperasi only): Excel templates, a preview of an uploaded
file that lists every row with its status and, for bad rows, why (nothing stored), and the
commit, which re-sends the same file and writes all of it or nothing.

Uploads are multipart forms with `file` (.xlsx or .csv) and `opening_date` (yyyy-mm-dd)."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Annotated, Any

import msgspec
from litestar import Controller, Request, Response, get, post
from litestar.datastructures import UploadFile
from litestar.enums import RequestEncodingType
from litestar.params import Body

from backend.accounts.domain import Actor
from backend.accounts.sessions import require_actor
from backend.accounts.web import client_ip, signed_in
from backend.errors import AppError
from backend.formatting import number, rupiah
from backend.i18n import Translate, translator
from backend.imports import service, templates
from backend.imports.domain import (
    MEMBER_COLUMNS,
    OPENING_COLUMNS,
    SAVINGS_KEYS,
    SUSPENSE_CODE,
    SUSPENSE_NAME,
    Column,
    ImportRefused,
    Issue,
    RowStatus,
    SheetRow,
    cell_text,
    issue_text,
    parse_form_date,
    suspense_explanation,
)
from backend.imports.sheets import MAX_BYTES, Table, read_table
from backend.ledger.access import books_to_write
from backend.savings.service import policy as savings_policy
from backend.tenancy.tables import Koperasi
from backend.texts import N_
from backend.web import language_of

WIB = timezone(timedelta(hours=7), "WIB")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# The file plus the form around it; the file itself is checked against MAX_BYTES.
UPLOAD_LIMIT = MAX_BYTES + 256 * 1024


def today() -> date:
    """Today on the region's wall clock (WIB)."""
    return datetime.now(UTC).astimezone(WIB).date()


@dataclass
class UploadForm:
    file: UploadFile | None = None
    opening_date: str = ""


Upload = Annotated[UploadForm, Body(media_type=RequestEncodingType.MULTI_PART)]


class ColumnOut(msgspec.Struct):
    key: str
    label: str
    numeric: bool


class IssueOut(msgspec.Struct):
    row: int | None
    field: str
    code: str
    message: str


class RowOut(msgspec.Struct):
    row: int
    status: str
    status_label: str
    cells: list[str]
    issues: list[IssueOut]
    note: str


class TotalOut(msgspec.Struct):
    key: str
    label: str
    amount: int
    text: str


class PreviewOut(msgspec.Struct):
    kind: str  # "opening" or "members"
    file_type: str
    sheet: str
    opening_date: date
    columns: list[ColumnOut]
    rows: list[RowOut]
    row_count: int
    ok_count: int
    bad_count: int
    skipped_count: int
    totals: list[TotalOut]
    balanced: bool | None
    problems: list[IssueOut]
    ready: bool
    summary: str


class ImportedOut(msgspec.Struct):
    entry_number: int | None
    rows: int
    movements: int
    total: int
    suspense_balance: int
    suspense_text: str
    suspense_note: str
    message: str


def _labels(columns: Sequence[Column]) -> dict[str, str]:
    return {c.key: c.label for c in columns}


def _issue_out(row: int | None, issue: Issue, _: Translate, labels: dict[str, str]) -> IssueOut:
    return IssueOut(row, issue.field, issue.code, issue_text(issue, _, labels))


def _localize(error: AppError, _: Translate, columns: Sequence[Column]) -> None:
    """Fill a refusal's placeholders in the reader's language (the error handler would
    translate only the bare message)."""
    labels = _labels(columns)
    if isinstance(error, service.RowsRefused):
        error.details = [
            msgspec.structs.asdict(_issue_out(number, issue, _, labels))
            for number, issue in error.rows
        ] + [msgspec.structs.asdict(_issue_out(None, p, _, labels)) for p in error.problems]
        if error.rows:
            error.message = _(
                "Berkas masih bermasalah: {count} baris perlu diperbaiki. Tidak ada yang dicatat.",
                count=len({number for number, _issue in error.rows}),
            )
        elif error.problems:
            error.message = _(
                "Berkas belum bisa diimpor: {reason} Tidak ada yang dicatat.",
                reason=issue_text(error.problems[0], _, labels),
            )
        return
    params = getattr(error, "params", None)
    if params:
        error.message = _(error.message, **params)


async def _read(data: UploadForm, columns: Sequence[Column]) -> tuple[Table, date]:
    if data.file is None or not data.file.filename:
        raise ImportRefused("file_required", N_("Pilih berkas Excel (.xlsx) atau CSV."))
    content = await data.file.read(MAX_BYTES + 1)
    # Parsing a big workbook takes a moment of CPU: keep the event loop answering others.
    table = await asyncio.to_thread(read_table, data.file.filename, content, columns)
    return table, parse_form_date(data.opening_date, today())


def _money(amount: int) -> str:
    return rupiah(amount) if amount else ""


def _shown(raw: SheetRow, key: str, value: str, issues: Sequence[Issue]) -> str:
    """A cell as checked, or as written when it was refused (so people see what to fix)."""
    if any(issue.field == key for issue in issues):
        return cell_text(raw.cells.get(key))
    return value


def _summary(rows: Sequence[RowOut], blocking: Sequence[Issue], _: Translate) -> str:
    counts = {status: sum(1 for r in rows if r.status == status) for status in RowStatus}
    text = _(
        "{rows} baris: {ok} siap, {bad} bermasalah, {skipped} dilewati.",
        rows=number(len(rows)),
        ok=number(counts[RowStatus.OK]),
        bad=number(counts[RowStatus.ERROR]),
        skipped=number(counts[RowStatus.SKIPPED]),
    )
    if counts[RowStatus.ERROR]:
        return text + " " + _("Perbaiki baris yang bermasalah di berkas, lalu periksa lagi.")
    if blocking:
        return text
    return text + " " + _("Berkas siap diimpor.")


def _preview(
    kind: str,
    table: Table,
    day: date,
    columns: Sequence[Column],
    rows: list[RowOut],
    totals: list[TotalOut],
    balanced: bool | None,
    blocking: Sequence[Issue],
    _: Translate,
) -> PreviewOut:
    labels = _labels(columns)
    return PreviewOut(
        kind=kind,
        file_type=table.kind,
        sheet=table.sheet,
        opening_date=day,
        columns=[ColumnOut(c.key, _(c.label), c.numeric) for c in columns],
        rows=rows,
        row_count=len(rows),
        ok_count=sum(1 for r in rows if r.status == RowStatus.OK),
        bad_count=sum(1 for r in rows if r.status == RowStatus.ERROR),
        skipped_count=sum(1 for r in rows if r.status == RowStatus.SKIPPED),
        totals=totals,
        balanced=balanced,
        problems=[_issue_out(None, issue, _, labels) for issue in blocking],
        ready=not blocking and all(r.status != RowStatus.ERROR for r in rows),
        summary=_summary(rows, blocking, _),
    )


def opening_preview_out(
    check: service.OpeningCheck, table: Table, day: date, _: Translate
) -> PreviewOut:
    labels = _labels(OPENING_COLUMNS)
    rows = []
    for raw, row in zip(table.rows, check.preview.rows, strict=True):
        notes = []
        if row.status is RowStatus.SKIPPED:
            notes.append(_("Saldo nol: tidak dicatat."))
        if row.to_suspense and row.status is not RowStatus.ERROR:
            notes.append(
                _(
                    "Akun simpanan: dicatat ke {code} {name}; saldo per anggota lewat impor "
                    "anggota.",
                    code=SUSPENSE_CODE,
                    name=_(SUSPENSE_NAME),
                )
            )
        chart_name = _(row.account_name) if row.account_name else ""
        if chart_name and row.name and row.name.casefold() != row.account_name.casefold():
            notes.append(_("Di bagan akun: {name}.", name=chart_name))
        rows.append(
            RowOut(
                row=row.number,
                status=row.status.value,
                status_label=_(row.status.label),
                cells=[
                    row.code,
                    row.name or chart_name,
                    _shown(raw, "debit", _money(row.debit), row.issues),
                    _shown(raw, "credit", _money(row.credit), row.issues),
                ],
                issues=[_issue_out(row.number, i, _, labels) for i in row.issues],
                note=" ".join(notes),
            )
        )
    preview = check.preview
    totals = [
        TotalOut("debit", _("Total debit"), preview.total_debit, rupiah(preview.total_debit)),
        TotalOut("credit", _("Total kredit"), preview.total_credit, rupiah(preview.total_credit)),
        TotalOut(
            "difference",
            _("Selisih"),
            abs(preview.total_debit - preview.total_credit),
            rupiah(abs(preview.total_debit - preview.total_credit)),
        ),
        TotalOut(
            "suspense",
            _("Ke {code} {name}", code=SUSPENSE_CODE, name=_(SUSPENSE_NAME)),
            preview.suspense_amount,
            rupiah(preview.suspense_amount),
        ),
    ]
    return _preview(
        "opening", table, day, OPENING_COLUMNS, rows, totals, preview.balanced, check.blocking, _
    )


def _day_text(raw: SheetRow, joined: date | None) -> str:
    if joined is None:
        return cell_text(raw.cells.get("joined"))
    return joined.strftime("%d/%m/%Y")


def members_preview_out(
    check: service.MembersCheck, table: Table, day: date, _: Translate
) -> PreviewOut:
    labels = _labels(MEMBER_COLUMNS)
    rows = []
    for raw, row in zip(table.rows, check.preview.rows, strict=True):
        rows.append(
            RowOut(
                row=row.number,
                status=row.status.value,
                status_label=_(row.status.label),
                cells=[
                    row.member_number,
                    row.full_name,
                    row.nik,
                    _day_text(raw, row.joined_on),
                    row.phone,
                    row.address,
                    *[
                        _shown(raw, key, _money(row.savings[key]), row.issues)
                        for key in SAVINGS_KEYS
                    ],
                ],
                issues=[_issue_out(row.number, i, _, labels) for i in row.issues],
                note=_("Nomor anggota dibuat otomatis.") if row.automatic_number else "",
            )
        )
    preview = check.preview
    labels_by_kind = {c.key: c.label for c in MEMBER_COLUMNS}
    totals = [
        TotalOut(key, _(labels_by_kind[key]), preview.totals[key], rupiah(preview.totals[key]))
        for key in SAVINGS_KEYS
    ]
    totals.append(TotalOut("total", _("Jumlah simpanan"), preview.total, rupiah(preview.total)))
    return _preview("members", table, day, MEMBER_COLUMNS, rows, totals, None, check.blocking, _)


def suspense_note(balance: int, _: Translate) -> str:
    message, params = suspense_explanation(balance)
    return _(message, **params) if params else _(message)


def _imported_out(result: service.Imported, message: str, _: Translate) -> ImportedOut:
    return ImportedOut(
        entry_number=result.entry_number,
        rows=result.rows,
        movements=result.movements,
        total=result.total,
        suspense_balance=result.suspense_balance,
        suspense_text=rupiah(result.suspense_balance),
        suspense_note=suspense_note(result.suspense_balance, _),
        message=message,
    )


async def _template_response(koperasi_id: int, body: bytes, name: str) -> Response[bytes]:
    row = await Koperasi.select(Koperasi.slug).where(Koperasi.id == koperasi_id).first()
    slug = row["slug"] if row else "koperasi"
    return Response(
        body,
        media_type=XLSX_TYPE,
        headers={
            "Content-Disposition": f'attachment; filename="{name}-{slug}.xlsx"',
            "Cache-Control": "no-store",
        },
    )


class ImportsController(Controller):
    path = "/books/imports"
    tags = ["pembukuan"]
    request_max_body_size = UPLOAD_LIMIT

    @staticmethod
    def _context(request: Request[Any, Any, Any]) -> tuple[Actor, int, Translate]:
        actor = require_actor(signed_in(request))
        return actor, books_to_write(actor), translator(language_of(request.scope))

    @get("/opening-balances/template", summary="Templat Excel saldo awal")
    async def opening_template(self, request: Request[Any, Any, Any]) -> Response[bytes]:
        _actor, k, _ = self._context(request)
        body = templates.opening_template(await service.chart_lines(k), _)
        return await _template_response(k, body, "templat-saldo-awal")

    @post(
        "/opening-balances/preview",
        summary="Periksa berkas saldo awal (tidak menyimpan apa pun)",
        status_code=200,
    )
    async def opening_preview(self, request: Request[Any, Any, Any], data: Upload) -> PreviewOut:
        _actor, k, _ = self._context(request)
        try:
            table, day = await _read(data, OPENING_COLUMNS)
            check = await service.preview_opening(k, table.rows, day)
        except AppError as error:
            _localize(error, _, OPENING_COLUMNS)
            raise
        return opening_preview_out(check, table, day, _)

    @post("/opening-balances", summary="Impor saldo awal (sekali per koperasi)", status_code=201)
    async def opening_commit(self, request: Request[Any, Any, Any], data: Upload) -> ImportedOut:
        actor, k, _ = self._context(request)
        try:
            table, day = await _read(data, OPENING_COLUMNS)
            result = await service.import_opening(
                k,
                table.rows,
                day,
                actor_id=actor.user_id,
                region_id=actor.region_id,
                ip=client_ip(request.scope),
            )
        except AppError as error:
            _localize(error, _, OPENING_COLUMNS)
            raise
        message = _(
            "Saldo awal diimpor: jurnal #{number}, {count} akun, total {total}.",
            number=result.entry_number,
            count=result.rows,
            total=rupiah(result.total),
        )
        return _imported_out(result, message, _)

    @get("/members/template", summary="Templat Excel anggota dan saldo simpanan")
    async def members_template(self, request: Request[Any, Any, Any]) -> Response[bytes]:
        _actor, k, _ = self._context(request)
        body = templates.members_template((await savings_policy(k)).pokok_amount, _)
        return await _template_response(k, body, "templat-anggota")

    @post(
        "/members/preview",
        summary="Periksa berkas anggota dan saldo simpanan (tidak menyimpan apa pun)",
        status_code=200,
    )
    async def members_preview(self, request: Request[Any, Any, Any], data: Upload) -> PreviewOut:
        _actor, k, _ = self._context(request)
        try:
            table, day = await _read(data, MEMBER_COLUMNS)
            check = await service.preview_members(k, table.rows, day)
        except AppError as error:
            _localize(error, _, MEMBER_COLUMNS)
            raise
        return members_preview_out(check, table, day, _)

    @post("/members", summary="Impor anggota dan saldo simpanan", status_code=201)
    async def members_commit(self, request: Request[Any, Any, Any], data: Upload) -> ImportedOut:
        actor, k, _ = self._context(request)
        try:
            table, day = await _read(data, MEMBER_COLUMNS)
            result = await service.import_members(
                k,
                table.rows,
                day,
                actor_id=actor.user_id,
                region_id=actor.region_id,
                ip=client_ip(request.scope),
            )
        except AppError as error:
            _localize(error, _, MEMBER_COLUMNS)
            raise
        if result.movements:
            message = _(
                "{count} anggota diimpor dengan {movements} setoran saldo awal (jurnal "
                "#{number}, total {total}).",
                count=number(result.rows),
                movements=number(result.movements),
                number=result.entry_number,
                total=rupiah(result.total),
            )
        else:
            message = _("{count} anggota diimpor, tanpa saldo simpanan.", count=number(result.rows))
        return _imported_out(result, message, _)
