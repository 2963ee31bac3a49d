"""Monthly reports of the demo koperasi, filed through the same intake as a phone's: for the
month before last every koperasi but one filed (the Dinas page shows who is missing), for
last month only two so far; one of the earlier reports was corrected once. Each report
declares the books' figures, rounded here and there as people do, so the Dinas page shows
differences.

Idempotent: the items' ids are derived from the koperasi and period; a report already
stored is not sent again (the books may have moved on since, which would make it another
report)."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from backend.demo import data
from backend.reporting import service
from backend.reporting.domain import Period, PeriodKind, last_complete
from backend.reporting.forms import CURRENT
from backend.reporting.tables import ReportSubmission
from backend.tenancy.tables import Koperasi

NAMESPACE = uuid.UUID("6f1d3c52-8f0e-4d8b-9a57-3f2f7a0c1e11")
MISSING_BEFORE_LAST = "koppas-onde-onde-kranggan"
FILED_LAST_MONTH = ("kopwan-srikandi", "kpri-majapahit")
CORRECTED = "kopwan-srikandi"
CONTACTS = {
    "ksp-artha-mandiri": ("Hendro Wibisono", "0813 3012 4455"),
    "kopwan-srikandi": ("Sri Rahayu", "0812 3456 7890"),
    "ksu-bina-usaha-sejahtera": ("Agus Prasetyo", "0857 4411 2093"),
    "kpri-majapahit": ("Dwi Lestari", "0821 7788 1020"),
    "kopprod-sumber-rejeki": ("Slamet Riyadi", "0819 2200 3344"),
    "kopjas-wilwatikta": ("Bambang Sutrisno", "0822 5566 7788"),
    "koppas-onde-onde-kranggan": ("Nur Aini", "0838 1122 3344"),
}


def _client_id(slug: str, period: Period, revision: int) -> str:
    return str(uuid.uuid5(NAMESPACE, f"{slug}/{period.code}/{revision}"))


async def _values(koperasi_id: int, slug: str, period: Period) -> dict[str, Any]:
    form = CURRENT["bulanan"]
    found = await service.prefill(koperasi_id, form, period)
    values: dict[str, Any] = dict(found.values)
    # People round what they read off their own notebooks.
    values["sales"] = round(values["sales"], -5)
    name, phone = CONTACTS.get(slug, ("Pengurus", "0812 0000 0000"))
    values.update(
        employees=2 + len(slug) % 4,
        problems="Modal usaha terbatas; sebagian anggota terlambat membayar simpanan wajib.",
        help_needed="Pelatihan pembukuan untuk bendahara baru.",
        contact_name=name,
        contact_phone=phone,
    )
    return values


async def load_demo_reports(today: date) -> int:
    """File the demo's monthly reports; how many were stored now."""
    slugs = {k.slug for k in data.KOPERASI}
    rows = await Koperasi.select(Koperasi.id, Koperasi.slug).where(Koperasi.slug.is_in(list(slugs)))
    last = last_complete(PeriodKind.MONTH, today)
    before = last.previous()
    stored = 0
    for row in sorted(rows, key=lambda r: str(r["slug"])):
        k, slug = int(row["id"]), str(row["slug"])
        filings = []
        if slug != MISSING_BEFORE_LAST:
            filings.append(before)
        if slug in FILED_LAST_MONTH:
            filings.append(last)
        for period in filings:
            if await ReportSubmission.exists().where(
                (ReportSubmission.koperasi == k)
                & (ReportSubmission.client_id == _client_id(slug, period, 1))
            ):
                continue
            values = await _values(k, slug, period)
            payload: dict[str, Any] = {
                "form": "bulanan",
                "version": CURRENT["bulanan"].version,
                "period": period.code,
                "values": values,
                "correction": None,
            }
            items = [service.ItemIn(_client_id(slug, period, 1), "report", payload)]
            if slug == CORRECTED and period == before:
                fixed = {**values, "employees": values["employees"] + 1}
                items.append(
                    service.ItemIn(
                        _client_id(slug, period, 2),
                        "report",
                        {
                            **payload,
                            "values": fixed,
                            "correction": {
                                "of_revision": 1,
                                "reason": "Satu karyawan baru belum terhitung.",
                            },
                        },
                    )
                )
            for result in await service.sync(service.Filer(k), items, today):
                if result.status == "created":
                    stored += 1
                elif result.status != "duplicate":
                    raise RuntimeError(f"demo report {slug} {period.code}: {result}")
    return stored
