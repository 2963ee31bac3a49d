"""Pure bookkeeping rules: account types, balanced entries, reversals, periods.
Money is whole rupiah (int)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from backend.errors import ValidationFailed
from backend.texts import N_

MAX_LINES = 500
MAX_AMOUNT = 10**15  # a quadrillion rupiah: far above any koperasi, far below int64


class AccountType(StrEnum):
    ASET = "aset"
    KEWAJIBAN = "kewajiban"
    EKUITAS = "ekuitas"
    PENDAPATAN = "pendapatan"
    BEBAN = "beban"

    @property
    def debit_normal(self) -> bool:
        """Assets and expenses grow on the debit side; the rest on the credit side."""
        return self in (AccountType.ASET, AccountType.BEBAN)


class CashFlow(StrEnum):
    """Where an account's movements show in the cash flow statement (arus kas, indirect
    method): cash itself, or the operating, investing or financing activities."""

    KAS = "kas"
    OPERASI = "operasi"
    INVESTASI = "investasi"
    PENDANAAN = "pendanaan"

    @classmethod
    def default_for(cls, account_type: AccountType) -> CashFlow:
        return cls.PENDANAAN if account_type is AccountType.EKUITAS else cls.OPERASI


TYPE_DIGIT = {
    AccountType.ASET: "1",
    AccountType.KEWAJIBAN: "2",
    AccountType.EKUITAS: "3",
    AccountType.PENDAPATAN: "4",
    AccountType.BEBAN: "5",
}


def validate_new_account(code: str, name: str, account_type: AccountType) -> tuple[str, str]:
    """A chart account a pengurus adds: code `D-NNNN` whose first digit names its type
    (1 aset … 5 beban), and a name. Returns the cleaned (code, name)."""
    code = code.strip()
    if (
        len(code) < 3
        or len(code) > 20
        or code[1] != "-"
        or not code.replace("-", "").isdigit()
        or code.endswith("-")
    ):
        raise ValidationFailed(
            "account_code_invalid", N_("Kode akun berbentuk angka seperti 1-1150."), "code"
        )
    if code[0] != TYPE_DIGIT[account_type]:
        raise ValidationFailed(
            "account_code_type",
            N_(
                "Angka pertama kode akun harus sesuai jenisnya: 1 aset, 2 kewajiban, 3 ekuitas, "
                "4 pendapatan, 5 beban."
            ),
            "code",
        )
    return code, validate_account_name(name)


def validate_account_name(name: str) -> str:
    text = " ".join(name.split())
    if not text or len(text) > 200:
        raise ValidationFailed(
            "account_name_invalid", N_("Nama akun wajib diisi (paling banyak 200 huruf)."), "name"
        )
    return text


@dataclass(frozen=True)
class Line:
    account_code: str
    debit: int = 0
    credit: int = 0
    memo: str = ""


def validate_lines(lines: Sequence[Line]) -> None:
    """A postable entry: 2..500 lines, each one positive amount on one side, debits equal
    credits. Raises `ValidationFailed` with a reason a bookkeeper understands."""
    if len(lines) < 2:
        raise ValidationFailed("entry_too_short", N_("Jurnal memerlukan paling sedikit dua baris."))
    if len(lines) > MAX_LINES:
        raise ValidationFailed("entry_too_long", N_("Jurnal terlalu panjang."))
    for line in lines:
        for amount in (line.debit, line.credit):
            if isinstance(amount, bool) or not isinstance(amount, int):
                raise ValidationFailed(
                    "amount_not_rupiah", N_("Jumlah harus rupiah bulat tanpa desimal.")
                )
            if amount < 0 or amount > MAX_AMOUNT:
                raise ValidationFailed("amount_out_of_range", N_("Jumlah tidak wajar."))
        if (line.debit > 0) == (line.credit > 0):
            raise ValidationFailed(
                "line_one_side", N_("Setiap baris harus berisi debit atau kredit saja, tidak nol.")
            )
    debits = sum(line.debit for line in lines)
    credits = sum(line.credit for line in lines)
    if debits != credits:
        raise ValidationFailed(
            "entry_unbalanced", N_("Jurnal tidak seimbang: total debit harus sama dengan kredit.")
        )


def reversal_of(lines: Iterable[Line]) -> list[Line]:
    """The correcting entry: every line on the other side."""
    return [Line(line.account_code, line.credit, line.debit, line.memo) for line in lines]


def period_of(day: date) -> str:
    """Books close by month: `2026-05`."""
    return f"{day.year:04d}-{day.month:02d}"


def is_valid_period(period: str) -> bool:
    if len(period) != 7 or period[4] != "-":
        return False
    year, month = period[:4], period[5:]
    return year.isdigit() and month.isdigit() and 1 <= int(month) <= 12


def balance(account_type: AccountType, contra: bool, debit: int, credit: int) -> int:
    """Balance on the account's normal side (a contra account's is the opposite)."""
    debit_normal = account_type.debit_normal != contra
    return debit - credit if debit_normal else credit - debit
