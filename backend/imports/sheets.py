"""Reading an uploaded spreadsheet into rows: Excel (.xlsx, openpyxl read-only with the
values Excel last calculated) or CSV (UTF-8, comma or semicolon). Pure: bytes in, rows out;
refusals are `ImportRefused` with a reason people can act on.

Limits keep one upload from hurting the server: the file's size, the size it unpacks to
(an .xlsx is a zip), the number of data rows and of columns read."""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from backend.formatting import number as grouped
from backend.imports.domain import (
    Cell,
    Column,
    ImportRefused,
    SheetRow,
    locate_columns,
    missing_columns,
)
from backend.texts import N_

MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 5_000
MAX_UNPACKED = 60 * 1024 * 1024
MAX_COLUMNS = 40
HEADER_SEARCH_ROWS = 10
# Sheets formatted far below their data yield empty rows: after this many in a row, stop.
EMPTY_RUN_LIMIT = 1_000

XLSX = "xlsx"
CSV = "csv"


@dataclass(frozen=True)
class Table:
    kind: str  # "xlsx" or "csv"
    sheet: str  # the worksheet read ("" for CSV)
    header_row: int
    rows: tuple[SheetRow, ...]


def file_kind(filename: str, content: bytes) -> str:
    """Which reader fits: by the name's extension, confirmed by the content."""
    name = filename.lower().strip()
    if not content:
        raise ImportRefused("file_empty", N_("Berkas kosong."))
    if len(content) > MAX_BYTES:
        raise ImportRefused(
            "file_too_large",
            N_("Berkas terlalu besar: paling besar {size} MB."),
            size=MAX_BYTES // (1024 * 1024),
        )
    if name.endswith(".xlsx") or name.endswith(".xlsm"):
        if not content.startswith(b"PK\x03\x04"):
            raise _unreadable()
        return XLSX
    if name.endswith(".csv") or name.endswith(".txt"):
        return CSV
    if name.endswith(".xls") or content.startswith(b"\xd0\xcf\x11\xe0"):
        raise ImportRefused(
            "file_type_xls",
            N_(
                "Berkas Excel lama (.xls) belum bisa dibaca: di Excel pilih Simpan Sebagai, "
                "Buku Kerja Excel (.xlsx), lalu unggah lagi."
            ),
        )
    raise ImportRefused(
        "file_type",
        N_("Jenis berkas tidak didukung: unggah berkas Excel (.xlsx) atau CSV (.csv)."),
    )


def _unreadable() -> ImportRefused:
    return ImportRefused(
        "file_unreadable",
        N_(
            "Berkas tidak bisa dibaca sebagai Excel (.xlsx). Simpan ulang dari Excel lalu "
            "coba lagi."
        ),
    )


def read_table(filename: str, content: bytes, columns: Sequence[Column]) -> Table:
    """The data rows under the first header row (in the first visible sheet that has one)
    naming every required column."""
    kind = file_kind(filename, content)
    if kind == CSV:
        return _find_table(kind, [("", _csv_rows(content))], columns)
    workbook = _open_xlsx(content)
    try:
        sheets = [
            (str(ws.title), _sheet_rows(ws))
            for ws in workbook.worksheets
            if getattr(ws, "sheet_state", "visible") == "visible"
        ]
        return _find_table(kind, sheets, columns)
    finally:
        workbook.close()


def _find_table(
    kind: str,
    sheets: Sequence[tuple[str, Iterator[tuple[int, list[Cell]]]]],
    columns: Sequence[Column],
) -> Table:
    first_header: list[Cell] | None = None
    for sheet, rows in sheets:
        lookahead: list[tuple[int, list[Cell]]] = []
        for number, values in rows:
            lookahead.append((number, values))
            if len(lookahead) >= HEADER_SEARCH_ROWS:
                break
        for index, (number, values) in enumerate(lookahead):
            if not any(_filled(v) for v in values):
                continue
            if first_header is None:
                first_header = values
            found = locate_columns(values, columns)
            if found is None:
                continue
            rest = _chain(lookahead[index + 1 :], rows)
            return Table(kind, sheet, number, tuple(_data_rows(rest, found)))
    missing = missing_columns(first_header or [], columns)
    raise ImportRefused(
        "columns_missing",
        N_("Kolom wajib tidak ditemukan: {columns}. Pakai baris judul kolom seperti di templat."),
        columns=", ".join(missing),
    )


def _chain(
    first: list[tuple[int, list[Cell]]], rest: Iterator[tuple[int, list[Cell]]]
) -> Iterator[tuple[int, list[Cell]]]:
    yield from first
    yield from rest


def _filled(value: Cell) -> bool:
    return value is not None and not (isinstance(value, str) and not value.strip())


def _data_rows(rows: Iterator[tuple[int, list[Cell]]], found: dict[str, int]) -> Iterator[SheetRow]:
    count = 0
    empty_run = 0
    for number, values in rows:
        cells = {key: (values[i] if i < len(values) else None) for key, i in found.items()}
        if not any(_filled(v) for v in cells.values()):
            empty_run += 1
            if empty_run >= EMPTY_RUN_LIMIT:
                return
            continue
        empty_run = 0
        count += 1
        if count > MAX_ROWS:
            raise ImportRefused(
                "too_many_rows",
                N_("Terlalu banyak baris: paling banyak {count} baris dalam satu berkas."),
                count=grouped(MAX_ROWS),
            )
        yield SheetRow(
            number,
            {k: v.strip() if isinstance(v, str) else v for k, v in cells.items()},
        )


def _open_xlsx(content: bytes) -> Any:
    from openpyxl import load_workbook

    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile:
        raise _unreadable() from None
    if unpacked > MAX_UNPACKED:
        raise ImportRefused(
            "file_too_large",
            N_("Berkas terlalu besar: paling besar {size} MB."),
            size=MAX_BYTES // (1024 * 1024),
        )
    try:
        return load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds on a damaged or foreign file
        raise _unreadable() from None


def _sheet_rows(sheet: Any) -> Iterator[tuple[int, list[Cell]]]:
    try:
        for number, values in enumerate(
            sheet.iter_rows(max_col=MAX_COLUMNS, values_only=True), start=1
        ):
            yield number, list(values)
    except ImportRefused:
        raise
    except Exception:
        raise _unreadable() from None


def _csv_rows(content: bytes) -> Iterator[tuple[int, list[Cell]]]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportRefused(
            "csv_encoding",
            N_("Berkas CSV harus disimpan sebagai UTF-8 (di Excel: CSV UTF-8)."),
        ) from None
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        for values in reader:
            yield reader.line_num, list(values[:MAX_COLUMNS])
    except csv.Error:
        raise ImportRefused(
            "csv_invalid",
            N_("Berkas CSV rusak: periksa tanda kutip di baris {row}."),
            row=reader.line_num,
        ) from None
