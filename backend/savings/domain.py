"""Pure savings rules (DOMAIN.md "Savings")."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields
from datetime import date
from enum import StrEnum

from backend.errors import Conflict, ValidationFailed
from backend.ledger.domain import Line
from backend.members.domain import MemberStatus
from backend.texts import N_


class SavingsKind(StrEnum):
    POKOK = "pokok"  # once, on joining; returned only on leaving
    WAJIB = "wajib"  # monthly dues
    SUKARELA = "sukarela"  # deposit and withdraw any time, never below zero

    @property
    def label(self) -> str:
        return {
            "pokok": N_("Simpanan pokok"),
            "wajib": N_("Simpanan wajib"),
            "sukarela": N_("Simpanan sukarela"),
        }[self.value]


class Movement(StrEnum):
    SETOR = "setor"
    TARIK = "tarik"

    @property
    def label(self) -> str:
        return {"setor": N_("Setoran"), "tarik": N_("Penarikan")}[self.value]


def receipt_code(receipt_number: int) -> str:
    """Receipt numbers as printed: 12 -> `S-000012`."""
    return f"S-{receipt_number:06d}"


@dataclass(frozen=True)
class SavingsPolicy:
    """A koperasi's savings settings; the ledger accounts are configuration because
    koperasi differ on whether pokok/wajib are equity or liability."""

    pokok_amount: int = 100_000
    wajib_monthly: int = 25_000
    pokok_account: str = "3-1100"
    wajib_account: str = "3-1200"
    sukarela_account: str = "2-1100"
    cash_account: str = "1-1100"

    @property
    def control_accounts(self) -> tuple[str, str, str]:
        """Accounts only savings movements may post to."""
        return (self.pokok_account, self.wajib_account, self.sukarela_account)

    def account_for(self, kind: SavingsKind) -> str:
        return {
            SavingsKind.POKOK: self.pokok_account,
            SavingsKind.WAJIB: self.wajib_account,
            SavingsKind.SUKARELA: self.sukarela_account,
        }[kind]


def check_movement(
    kind: SavingsKind,
    movement: Movement,
    amount: int,
    balance: int,
    member_active: bool,
    policy: SavingsPolicy,
) -> None:
    """Refuse what the rules forbid, before anything is written."""
    if isinstance(amount, bool) or not isinstance(amount, int) or amount <= 0:
        raise ValidationFailed(
            "amount_invalid", N_("Jumlah harus rupiah bulat lebih dari nol."), "amount"
        )
    if movement is Movement.SETOR:
        if not member_active:
            raise Conflict("member_inactive", N_("Anggota tidak aktif: setoran tidak diterima."))
        if kind is SavingsKind.POKOK and balance + amount > policy.pokok_amount:
            raise Conflict(
                "pokok_exceeded", N_("Simpanan pokok hanya dibayar sekali sebesar ketentuan.")
            )
        return
    if kind is not SavingsKind.SUKARELA:
        raise Conflict(
            "withdraw_not_allowed",
            N_("Simpanan pokok dan wajib hanya dikembalikan saat anggota keluar."),
        )
    if amount > balance:
        raise Conflict(
            "insufficient_balance", N_("Saldo simpanan sukarela tidak cukup untuk penarikan ini.")
        )


def months_due(joined_on: date, today: date) -> int:
    """Monthly wajib dues from the joining month up to and including this month."""
    if today < joined_on:
        return 0
    return (today.year - joined_on.year) * 12 + (today.month - joined_on.month) + 1


def wajib_arrears(joined_on: date, today: date, paid: int, monthly: int) -> int:
    """How much wajib is still owed (never negative: paying ahead is allowed)."""
    return max(0, months_due(joined_on, today) * monthly - paid)


def months_behind(arrears: int, monthly: int) -> int:
    """Months of wajib dues an arrears amount stands for (a part month counts as one)."""
    if arrears <= 0 or monthly <= 0:
        return 0
    return -(-arrears // monthly)


# Account types each mapping may point at (savings are the members' money: equity or a
# liability, as the koperasi's accountant decides; cash is an asset).
SAVINGS_ACCOUNT_TYPES = frozenset({"ekuitas", "kewajiban"})
CASH_ACCOUNT_TYPES = frozenset({"aset"})
MAX_POLICY_AMOUNT = 10**12

POLICY_ACCOUNT_FIELDS: dict[str, SavingsKind | None] = {
    "pokok_account": SavingsKind.POKOK,
    "wajib_account": SavingsKind.WAJIB,
    "sukarela_account": SavingsKind.SUKARELA,
    "cash_account": None,
}


def _refuse_field(error: Conflict, field_name: str) -> Conflict:
    error.details = [{"field": field_name, "code": error.code, "message": error.message}]
    return error


def check_policy(
    new: SavingsPolicy,
    old: SavingsPolicy,
    account_types: Mapping[str, str],
    kinds_with_movements: frozenset[SavingsKind],
    accounts_with_other_lines: frozenset[str],
) -> None:
    """Refuse a savings policy the books could not keep.

    `account_types`: code -> type of the (non-contra) accounts in the koperasi's chart;
    `kinds_with_movements`: kinds some member already has movements of;
    `accounts_with_other_lines`: accounts holding journal lines that did not come from
    savings (a savings account must hold nothing but the members' savings)."""
    for name in ("pokok_amount", "wajib_monthly"):
        amount = getattr(new, name)
        if isinstance(amount, bool) or not isinstance(amount, int):
            raise ValidationFailed("amount_invalid", N_("Jumlah harus rupiah bulat."), name)
        if not 0 <= amount <= MAX_POLICY_AMOUNT:
            raise ValidationFailed("amount_out_of_range", N_("Jumlah tidak wajar."), name)
    for name, kind in POLICY_ACCOUNT_FIELDS.items():
        code = getattr(new, name)
        if code not in account_types:
            raise ValidationFailed(
                "account_not_found", N_("Akun tidak ditemukan di bagan akun koperasi ini."), name
            )
        allowed = CASH_ACCOUNT_TYPES if kind is None else SAVINGS_ACCOUNT_TYPES
        if account_types[code] not in allowed:
            message = (
                N_("Akun kas harus akun aset.")
                if kind is None
                else N_("Akun simpanan harus akun ekuitas atau kewajiban.")
            )
            raise ValidationFailed("account_type_invalid", message, name)
        if kind is None or code == getattr(old, name):
            continue
        if kind in kinds_with_movements:
            raise _refuse_field(
                Conflict(
                    "savings_account_locked",
                    N_(
                        "Akun simpanan ini tidak dapat diganti karena sudah ada transaksi "
                        "simpanan jenis ini: saldo akun baru tidak akan sama lagi dengan "
                        "catatan simpanan anggota (saldonya tetap di akun lama)."
                    ),
                ),
                name,
            )
        if code in accounts_with_other_lines and code not in old.control_accounts:
            raise _refuse_field(
                Conflict(
                    "savings_account_in_use",
                    N_(
                        "Akun ini sudah berisi jurnal lain: saldonya tidak akan sama dengan "
                        "catatan simpanan anggota. Pilih akun yang belum dipakai."
                    ),
                ),
                name,
            )


def policy_changes(old: SavingsPolicy, new: SavingsPolicy) -> dict[str, list[object]]:
    """field -> [before, after] for each setting that changes (for the audit log)."""
    return {
        f.name: [getattr(old, f.name), getattr(new, f.name)]
        for f in fields(SavingsPolicy)
        if getattr(old, f.name) != getattr(new, f.name)
    }


def exit_lines(balances: Mapping[SavingsKind, int], policy: SavingsPolicy) -> list[Line]:
    """The one entry that pays a leaving member's savings back: debit each savings account
    with a balance, credit cash with the total. Empty when there is nothing to return."""
    debits = [
        Line(policy.account_for(kind), debit=balances[kind], memo=kind.label)
        for kind in SavingsKind
        if balances.get(kind, 0) > 0
    ]
    if not debits:
        return []
    return [*debits, Line(policy.cash_account, credit=sum(line.debit for line in debits))]


def check_exit(status: str, joined_on: date, exit_date: date, last_movement: date | None) -> None:
    """A member leaves once, not before joining, not before their last savings movement."""
    if status == MemberStatus.KELUAR.value:
        raise Conflict("member_already_left", N_("Anggota ini sudah keluar."))
    if exit_date < joined_on:
        raise ValidationFailed(
            "exit_before_joining",
            N_("Tanggal keluar tidak boleh sebelum tanggal masuk."),
            "exit_date",
        )
    if last_movement is not None and exit_date < last_movement:
        raise ValidationFailed(
            "exit_before_last_movement",
            N_("Tanggal keluar tidak boleh sebelum transaksi simpanan terakhir anggota."),
            "exit_date",
        )
