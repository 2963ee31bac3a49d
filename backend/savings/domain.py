"""Pure savings rules (DOMAIN.md "Savings")."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from backend.errors import Conflict, ValidationFailed
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
