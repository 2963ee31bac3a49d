"""Chart maintenance by pengurus: list the chart with what each account is used for, add
an account, rename it or change its cash flow category, delete it while it has no lines.
Codes never change: statements, exports and imports refer to them."""

from __future__ import annotations

from dataclasses import dataclass

from backend.db import write_transaction
from backend.errors import Conflict, NotFound
from backend.ledger.domain import (
    AccountType,
    CashFlow,
    validate_account_name,
    validate_new_account,
)
from backend.ledger.tables import LedgerAccount
from backend.texts import N_


@dataclass(frozen=True)
class ChartEntry:
    code: str
    name: str
    type: str
    contra: bool
    cash_flow: str
    used: bool  # has journal lines: cannot be deleted
    control: bool  # a savings account: only savings transactions post to it


async def chart(koperasi_id: int, control_accounts: tuple[str, ...] = ()) -> list[ChartEntry]:
    rows = await LedgerAccount.raw(
        "SELECT a.code AS code, a.name AS name, a.type AS type, a.contra AS contra,"
        " a.cash_flow AS cash_flow, EXISTS (SELECT 1 FROM journal_line l"
        " WHERE l.koperasi_id = a.koperasi_id AND l.account_id = a.id) AS used"
        " FROM ledger_account a WHERE a.koperasi_id = {} ORDER BY a.code",
        koperasi_id,
    ).run()
    return [
        ChartEntry(
            code=row["code"],
            name=row["name"],
            type=row["type"],
            contra=bool(row["contra"]),
            cash_flow=row["cash_flow"],
            used=bool(row["used"]),
            control=row["code"] in control_accounts,
        )
        for row in rows
    ]


async def _entry(koperasi_id: int, code: str, control: tuple[str, ...]) -> ChartEntry:
    for entry in await chart(koperasi_id, control):
        if entry.code == code:
            return entry
    raise NotFound("account_not_found", N_("Akun tidak ditemukan di bagan akun koperasi ini."))


async def add_account(
    koperasi_id: int,
    code: str,
    name: str,
    account_type: AccountType,
    *,
    contra: bool = False,
    cash_flow: CashFlow | None = None,
) -> ChartEntry:
    code, name = validate_new_account(code, name, account_type)
    async with write_transaction():
        if await LedgerAccount.exists().where(
            (LedgerAccount.koperasi == koperasi_id) & (LedgerAccount.code == code)
        ):
            raise Conflict("account_code_taken", N_("Kode akun ini sudah dipakai."))
        await LedgerAccount.insert(
            LedgerAccount(
                koperasi=koperasi_id,
                code=code,
                name=name,
                type=account_type.value,
                contra=contra,
                cash_flow=(cash_flow or CashFlow.default_for(account_type)).value,
            )
        )
    return ChartEntry(
        code,
        name,
        account_type.value,
        contra,
        (cash_flow or CashFlow.default_for(account_type)).value,
        False,
        False,
    )


async def change_account(
    koperasi_id: int,
    code: str,
    *,
    name: str | None = None,
    cash_flow: CashFlow | None = None,
    control: tuple[str, ...] = (),
) -> ChartEntry:
    """Rename an account or move it to another cash flow activity; its lines stay as they
    were (the statements show the new name for every period)."""
    changes: dict[object, object] = {}
    if name is not None:
        changes[LedgerAccount.name] = validate_account_name(name)
    if cash_flow is not None:
        changes[LedgerAccount.cash_flow] = cash_flow.value
    async with write_transaction():
        await _entry(koperasi_id, code, control)
        if changes:
            await LedgerAccount.update(changes).where(  # type: ignore[arg-type]
                (LedgerAccount.koperasi == koperasi_id) & (LedgerAccount.code == code)
            )
        return await _entry(koperasi_id, code, control)


async def delete_account(koperasi_id: int, code: str, control: tuple[str, ...] = ()) -> None:
    async with write_transaction():
        entry = await _entry(koperasi_id, code, control)
        if entry.used:
            raise Conflict(
                "account_in_use",
                N_("Akun yang sudah berisi jurnal tidak dapat dihapus; ganti namanya bila perlu."),
            )
        if entry.control:
            raise Conflict(
                "account_in_use",
                N_("Akun ini dipakai pengaturan simpanan dan tidak dapat dihapus."),
            )
        await LedgerAccount.delete().where(
            (LedgerAccount.koperasi == koperasi_id) & (LedgerAccount.code == code)
        )
