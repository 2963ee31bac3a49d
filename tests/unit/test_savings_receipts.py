"""The savings receipt as plain text (58 mm: 32 characters a line) and its rows."""

from __future__ import annotations

from datetime import UTC, date, datetime

from backend.i18n import translator
from backend.savings.domain import Movement, SavingsKind
from backend.savings.receipts import (
    WIDTH,
    ReceiptDetail,
    clock,
    movement_label,
    receipt_rows,
    receipt_text,
    translated,
)


def receipt(**changes: object) -> ReceiptDetail:
    recorded_at, time = clock(datetime(2026, 5, 24, 7, 5, tzinfo=UTC))
    values: dict[str, object] = {
        "receipt": "S-000012",
        "receipt_number": 12,
        "koperasi_name": "Koperasi Wanita Srikandi",
        "member_number": "A-0001",
        "member_name": "Siti Nurhaliza",
        "kind": SavingsKind.SUKARELA,
        "kind_label": SavingsKind.SUKARELA.label,
        "movement": Movement.SETOR,
        "movement_label": Movement.SETOR.label,
        "member_exit": False,
        "amount": 1_500_000,
        "balance_after": 2_750_000,
        "movement_date": date(2026, 5, 24),
        "recorded_at": recorded_at,
        "time": time,
        "recorded_by": "Kasir Uji",
        "entry_number": 41,
    }
    values.update(changes)
    return ReceiptDetail(**values)  # type: ignore[arg-type]


def test_the_time_is_on_the_regions_wall_clock() -> None:
    local, time = clock(datetime(2026, 5, 24, 23, 30, tzinfo=UTC))
    assert (local.date(), time) == (date(2026, 5, 25), "06.30 WIB")


def test_plain_text_receipt() -> None:
    _ = translator("id")
    text = receipt_text(receipt(), _, "id")
    lines = text.splitlines()
    assert all(len(line) <= WIDTH for line in lines), lines
    assert lines[0].strip() == "Koperasi Wanita Srikandi"
    assert lines[1].strip() == "KUITANSI SIMPANAN" and lines[2].strip() == "S-000012"
    assert lines[3] == "-" * WIDTH
    assert "Tanggal" + "24 Mei 2026".rjust(WIDTH - len("Tanggal")) in lines
    assert "Nominal" + "Rp 1.500.000".rjust(WIDTH - len("Nominal")) in lines
    assert any(
        line.startswith("Saldo setelahnya") and line.endswith("Rp 2.750.000") for line in lines
    )
    assert any(line.endswith("24 Mei 2026 14.05 WIB") for line in lines)
    for value in ("A-0001", "Siti Nurhaliza", "Simpanan sukarela", "Setoran", "#41", "Kasir Uji"):
        assert any(line.endswith(value) for line in lines), value
    assert lines[-1].startswith("ini sebagai bukti") or "bukti" in lines[-1]


def test_long_values_wrap_and_stay_on_the_right() -> None:
    long_name = "Koperasi Konsumen Pegawai Republik Indonesia Majapahit"
    member = "Raden Ayu Sri Wahyuningsih Kusumawardhani Putri"
    text = receipt_text(
        receipt(koperasi_name=long_name, member_name=member), translator("id"), "id"
    )
    lines = text.splitlines()
    assert all(len(line) <= WIDTH for line in lines)
    assert " ".join(line.strip() for line in lines[:2]) == long_name
    name_at = lines.index("Nama")
    assert " ".join(line.strip() for line in lines[name_at + 1 : name_at + 3]) == member
    assert all(
        len(line) == WIDTH for line in lines[name_at + 1 : name_at + 3] if len(line.strip()) > 3
    )


def test_exit_and_english() -> None:
    exit_receipt = receipt(
        kind=SavingsKind.POKOK,
        kind_label=SavingsKind.POKOK.label,
        movement=Movement.TARIK,
        movement_label=movement_label(Movement.TARIK, True),
        member_exit=True,
        balance_after=0,
        recorded_by=None,
    )
    id_text = receipt_text(exit_receipt, translator("id"), "id")
    assert "Pengembalian (anggota keluar)" in id_text and id_text.count("Rp 0") == 1
    assert any(line.startswith("Petugas") and line.endswith("-") for line in id_text.splitlines())
    _ = translator("en")
    english = translated(exit_receipt, _)
    assert english.kind_label == "Principal savings"
    text = receipt_text(english, _, "en")
    assert "SAVINGS RECEIPT" in text and "24 May 2026" in text and "Rp 1.500.000" in text
    assert all(len(line) <= WIDTH for line in text.splitlines())
    rows = receipt_rows(english, _, "en")
    assert [label for label, _value in rows[1]][:2] == ["Type", "Transaction"]
