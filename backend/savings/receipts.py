"""Savings receipts (kuitansi simpanan) as people keep them: the rows of a receipt, and the
same receipt as plain text 32 characters wide (a 58 mm thermal printer's line, and what
is shared by WhatsApp or the phone's share sheet). Pure: no database, no HTTP."""

from __future__ import annotations

import textwrap
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta, timezone

from backend.formatting import long_date, rupiah
from backend.i18n import Translate
from backend.savings.domain import Movement, SavingsKind
from backend.texts import N_

# Receipts show the wall clock of the region. Kota Mojokerto, the only region so far, is
# on WIB (UTC+7); a region's own zone belongs in its data once there are others.
WIB = timezone(timedelta(hours=7), "WIB")
WIDTH = 32  # characters per line on a 58 mm printer (Font A, 12 × 24 dots)

EXIT_LABEL = N_("Pengembalian (anggota keluar)")


@dataclass(frozen=True)
class ReceiptDetail:
    """One savings movement as its receipt shows it. Labels are source (Indonesian) texts
    until `translated()` gives them in the reader's language."""

    receipt: str
    receipt_number: int
    koperasi_name: str
    member_number: str
    member_name: str
    kind: SavingsKind
    kind_label: str
    movement: Movement
    movement_label: str
    member_exit: bool
    amount: int
    balance_after: int
    movement_date: date
    recorded_at: datetime  # on the region's wall clock (WIB)
    time: str  # "14.05 WIB"
    recorded_by: str | None
    entry_number: int


def movement_label(movement: Movement, member_exit: bool) -> str:
    return EXIT_LABEL if member_exit else movement.label


def clock(moment: datetime) -> tuple[datetime, str]:
    """`moment` on the region's wall clock, and its time as receipts print it (14.05 WIB)."""
    local = moment.astimezone(WIB)
    return local, f"{local:%H.%M} WIB"


def translated(receipt: ReceiptDetail, _: Translate) -> ReceiptDetail:
    return replace(
        receipt, kind_label=_(receipt.kind_label), movement_label=_(receipt.movement_label)
    )


def receipt_rows(
    receipt: ReceiptDetail, _: Translate, language: str
) -> list[list[tuple[str, str]]]:
    """The receipt's (label, value) rows in groups (a rule between groups), translated.
    The heading (koperasi, title, receipt number) is not among them."""
    return [
        [
            (_("Tanggal"), long_date(receipt.movement_date, language)),
            (_("Dicatat"), f"{long_date(receipt.recorded_at, language)} {receipt.time}"),
            (_("No. anggota"), receipt.member_number),
            (_("Nama"), receipt.member_name),
        ],
        [
            (_("Jenis"), _(receipt.kind_label)),
            (_("Transaksi"), _(receipt.movement_label)),
            (_("Nominal"), rupiah(receipt.amount, language)),
            (_("Saldo setelahnya"), rupiah(receipt.balance_after, language)),
        ],
        [
            (_("Jurnal"), f"#{receipt.entry_number}"),
            (_("Petugas"), receipt.recorded_by or "-"),
        ],
    ]


def receipt_title(_: Translate) -> str:
    return _("KUITANSI SIMPANAN")


def receipt_footer(_: Translate) -> str:
    return _("Terima kasih. Simpan kuitansi ini sebagai bukti.")


def _centered(text: str) -> list[str]:
    return [line.center(WIDTH).rstrip() for line in textwrap.wrap(text, WIDTH) or [""]]


def _row(label: str, value: str) -> list[str]:
    """Label on the left, value on the right; the value goes to its own line(s) when both
    do not fit on one."""
    if len(label) + 1 + len(value) <= WIDTH:
        return [label + value.rjust(WIDTH - len(label))]
    lines = textwrap.wrap(label, WIDTH)
    return lines + [part.rjust(WIDTH) for part in textwrap.wrap(value, WIDTH)]


def receipt_text(receipt: ReceiptDetail, _: Translate, language: str) -> str:
    """The receipt as plain text, at most 32 characters a line."""
    rule = "-" * WIDTH
    lines = [
        *_centered(receipt.koperasi_name),
        *_centered(receipt_title(_)),
        *_centered(receipt.receipt),
    ]
    for group in receipt_rows(receipt, _, language):
        lines.append(rule)
        for label, value in group:
            lines.extend(_row(label, value))
    lines.append(rule)
    lines.extend(textwrap.wrap(receipt_footer(_), WIDTH))
    return "\n".join(lines)
