"""Savings use cases. Every deposit or withdrawal posts its journal entry in the same
transaction; balances are SQL sums of the movements."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from piccolo.query.functions.aggregate import Sum

from backend.accounts import audit
from backend.db import is_sqlite, write_transaction
from backend.errors import NotFound
from backend.ledger.domain import Line
from backend.ledger.service import post_entry
from backend.members.domain import MemberStatus
from backend.members.tables import Member
from backend.savings.domain import (
    Movement,
    SavingsKind,
    SavingsPolicy,
    check_movement,
    wajib_arrears,
)
from backend.savings.tables import SavingsMovement, SavingsPolicyRow
from backend.texts import N_


@dataclass(frozen=True)
class Receipt:
    receipt: str
    member_number: str
    member_name: str
    kind: SavingsKind
    kind_label: str
    movement: Movement
    amount: int
    balance_after: int
    movement_date: date
    entry_number: int


@dataclass(frozen=True)
class MemberSavings:
    member_number: str
    member_name: str
    balances: dict[str, int]
    total: int
    wajib_arrears: int


async def policy(koperasi_id: int) -> SavingsPolicy:
    row = await SavingsPolicyRow.select().where(SavingsPolicyRow.koperasi == koperasi_id).first()
    if row is None:
        return SavingsPolicy()
    return SavingsPolicy(
        pokok_amount=row["pokok_amount"],
        wajib_monthly=row["wajib_monthly"],
        pokok_account=row["pokok_account"],
        wajib_account=row["wajib_account"],
        sukarela_account=row["sukarela_account"],
        cash_account=row["cash_account"],
    )


async def _member(koperasi_id: int, member_number: str) -> dict[str, object]:
    row = (
        await Member.select(
            Member.id, Member.member_number, Member.full_name, Member.status, Member.joined_on
        )
        .where((Member.koperasi == koperasi_id) & (Member.member_number == member_number))
        .first()
    )
    if row is None:
        raise NotFound("member_not_found", N_("Anggota tidak ditemukan di koperasi ini."))
    return row


async def balance(koperasi_id: int, member_id: int, kind: SavingsKind) -> int:
    row = (
        await SavingsMovement.select(Sum(SavingsMovement.signed_amount, alias="total"))
        .where(
            (SavingsMovement.koperasi == koperasi_id)
            & (SavingsMovement.member == member_id)
            & (SavingsMovement.kind == kind.value)
        )
        .first()
    )
    return int((row or {}).get("total") or 0)


async def record(
    koperasi_id: int,
    member_number: str,
    kind: SavingsKind,
    movement: Movement,
    amount: int,
    movement_date: date,
    *,
    created_by: int | None = None,
    region_id: int | None = None,
    ip: str = "",
) -> Receipt:
    """A deposit or withdrawal and its journal entry, together or not at all."""
    rules = await policy(koperasi_id)
    async with write_transaction():
        member = await _member(koperasi_id, member_number)
        member_id = int(str(member["id"]))
        if not is_sqlite():
            # One member's movements take turns, so the balance check holds.
            await Member.raw("SELECT id FROM member WHERE id = {} FOR UPDATE", member_id)
        before = await balance(koperasi_id, member_id, kind)
        check_movement(
            kind, movement, amount, before, member["status"] == MemberStatus.AKTIF.value, rules
        )
        cash, savings = rules.cash_account, rules.account_for(kind)
        deposit = movement is Movement.SETOR
        label = f"{'Setoran' if deposit else 'Penarikan'} {kind.label.lower()} {member_number}"
        lines = (
            [Line(cash, debit=amount), Line(savings, credit=amount)]
            if deposit
            else [Line(savings, debit=amount), Line(cash, credit=amount)]
        )
        entry = await post_entry(
            koperasi_id, movement_date, label, lines, source="savings", created_by=created_by
        )
        last = (
            await SavingsMovement.select(SavingsMovement.receipt_number)
            .where(SavingsMovement.koperasi == koperasi_id)
            .order_by(SavingsMovement.receipt_number, ascending=False)
            .first()
        )
        receipt_number = (last["receipt_number"] if last else 0) + 1
        await SavingsMovement.insert(
            SavingsMovement(
                koperasi=koperasi_id,
                member=member_id,
                kind=kind.value,
                movement=movement.value,
                amount=amount,
                signed_amount=amount if deposit else -amount,
                movement_date=movement_date,
                receipt_number=receipt_number,
                entry=entry.id,
                created_by=created_by,
            )
        )
        await audit.record(
            "savings_deposit" if deposit else "savings_withdrawal",
            actor_id=created_by,
            region_id=region_id,
            koperasi_id=koperasi_id,
            ip=ip,
            member=member_number,
            kind=kind.value,
            amount=amount,
            entry=entry.number,
        )
    return Receipt(
        receipt=f"S-{receipt_number:06d}",
        member_number=member_number,
        member_name=str(member["full_name"]),
        kind=kind,
        kind_label=kind.label,
        movement=movement,
        amount=amount,
        balance_after=before + (amount if deposit else -amount),
        movement_date=movement_date,
        entry_number=entry.number,
    )


async def member_savings(koperasi_id: int, member_number: str, today: date) -> MemberSavings:
    member = await _member(koperasi_id, member_number)
    rows = (
        await SavingsMovement.select(
            SavingsMovement.kind, Sum(SavingsMovement.signed_amount, alias="total")
        )
        .where(
            (SavingsMovement.koperasi == koperasi_id)
            & (SavingsMovement.member == int(str(member["id"])))
        )
        .group_by(SavingsMovement.kind)
    )
    balances = {kind.value: 0 for kind in SavingsKind}
    balances.update({row["kind"]: int(row["total"] or 0) for row in rows})
    rules = await policy(koperasi_id)
    return MemberSavings(
        member_number=member_number,
        member_name=str(member["full_name"]),
        balances=balances,
        total=sum(balances.values()),
        wajib_arrears=wajib_arrears(
            member["joined_on"],  # type: ignore[arg-type]
            today,
            balances[SavingsKind.WAJIB.value],
            rules.wajib_monthly,
        ),
    )
