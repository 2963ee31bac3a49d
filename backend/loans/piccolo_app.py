from pathlib import Path

from piccolo.conf.apps import AppConfig

from backend.loans.tables import (
    Loan,
    LoanInstallment,
    LoanPayment,
    LoanPaymentLine,
    LoanPaymentReversal,
    LoanProduct,
)

APP_CONFIG = AppConfig(
    app_name="loans",
    migrations_folder_path=str(Path(__file__).resolve().parents[2] / "migrations" / "loans"),
    table_classes=[
        LoanProduct,
        Loan,
        LoanInstallment,
        LoanPayment,
        LoanPaymentLine,
        LoanPaymentReversal,
    ],
    migration_dependencies=[
        "backend.ledger.piccolo_app",
        "backend.members.piccolo_app",
        "backend.accounts.piccolo_app",
    ],
    commands=[],
)
