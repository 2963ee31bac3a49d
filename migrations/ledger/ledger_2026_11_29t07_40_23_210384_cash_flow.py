"""Existing charts get the cash flow categories of the default chart (new koperasi get
them from `ensure_chart`): cash, investing and financing accounts by code; other equity
accounts are financing; everything else stays operating."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder

ID = "2026-11-29T07:40:23:210384"
VERSION = "1.38.0"
DESCRIPTION = "cash flow categories of the default chart"

BY_CODE = {
    "kas": ["1-1100", "1-1200"],
    "investasi": ["1-1500", "1-2100"],
    "pendanaan": ["2-1100", "2-1200", "2-1400", "2-1600", "2-1610", "2-1620", "2-1630", "2-1640"],
}


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="ledger", description=DESCRIPTION)

    async def categorise():
        engine = engine_finder()
        await engine.run_ddl("UPDATE ledger_account SET cash_flow = 'pendanaan' WHERE type = 'ekuitas'")
        for flow, codes in BY_CODE.items():
            listed = ", ".join(f"'{code}'" for code in codes)
            await engine.run_ddl(
                f"UPDATE ledger_account SET cash_flow = '{flow}' WHERE code IN ({listed})"
            )

    async def nothing():
        pass  # the column itself is dropped by the previous migration's backwards step

    manager.add_raw(categorise)
    manager.add_raw_backwards(nothing)
    return manager
