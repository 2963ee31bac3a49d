"""Existing charts get the accounts the loans and SHU contexts post to (new koperasi get
them from `ensure_chart`): loan fee and penalty income, the loan-loss expense, the regional
development fund and the contra equity account of distributed SHU. Only koperasi that
already have a chart are given them."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder

ID = "2026-11-29T10:00:00:000001"
VERSION = "1.38.0"
DESCRIPTION = "loan and SHU accounts of the default chart"

# code, name, type, contra, cash flow
ACCOUNTS = [
    ("2-1650", "Dana pembangunan daerah kerja", "kewajiban", False, "pendanaan"),
    ("3-1610", "SHU tahun lalu yang telah dibagi", "ekuitas", True, "pendanaan"),
    ("4-1110", "Pendapatan provisi dan administrasi pinjaman", "pendapatan", False, "operasi"),
    ("4-1120", "Pendapatan denda pinjaman", "pendapatan", False, "operasi"),
    ("5-2200", "Beban penyisihan piutang tak tertagih", "beban", False, "operasi"),
]


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="ledger", description=DESCRIPTION)

    async def add_accounts():
        engine = engine_finder()
        for code, name, kind, contra, flow in ACCOUNTS:
            truth = "TRUE" if contra else "FALSE"
            await engine.run_ddl(
                "INSERT INTO ledger_account (koperasi_id, code, name, type, contra, cash_flow)"
                f" SELECT DISTINCT a.koperasi_id, '{code}', '{name}', '{kind}', {truth}, '{flow}'"
                " FROM ledger_account a WHERE NOT EXISTS (SELECT 1 FROM ledger_account b"
                f" WHERE b.koperasi_id = a.koperasi_id AND b.code = '{code}')"
            )

    async def remove_accounts():
        engine = engine_finder()
        for code, *_ in ACCOUNTS:
            await engine.run_ddl(
                "DELETE FROM ledger_account WHERE code = '{code}' AND NOT EXISTS (SELECT 1 FROM"
                " journal_line l WHERE l.account_id = ledger_account.id)".replace("{code}", code)
            )

    manager.add_raw(add_accounts)
    manager.add_raw_backwards(remove_accounts)
    return manager
