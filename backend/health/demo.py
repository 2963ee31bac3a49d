"""Past health assessments of two demo koperasi, so that their record shows a trend: the
KSP (Artha Mandiri) with the 2016 ratio scheme and Koperasi Wanita Srikandi with the 2021
KKPKK scheme, three final assessments each, all made before the demo's year of books
begins. Their figures were therefore "entered from the old annual reports" (the books in
Koroena do not reach back that far), and their checklists answered by the pengurus and
reviewed by the Dinas — through the same service as real use (start, answer, finalise).

Idempotent: a koperasi that already has assessments is left alone. Returns the rows it
wrote, like the other demo loaders."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta

from piccolo.table import Table

from backend.accounts.tables import AuditEvent
from backend.health import rules, service
from backend.health.piccolo_app import APP_CONFIG
from backend.health.tables import HealthAssessment

HEALTH_TABLES = APP_CONFIG.table_classes

KSP = "ksp-artha-mandiri"
SRIKANDI = "kopwan-srikandi"
JT = 1_000_000  # one juta rupiah


@dataclass(frozen=True)
class PastAssessment:
    slug: str
    scheme: str
    figures: Mapping[str, int]
    met_share: float  # of each checklist's items answered "ya" (the first ones)


def _ksp(step: int) -> dict[str, int]:
    """Artha Mandiri's figures `step` (0, 1, 2) assessments ago → now: loans grow, the
    cash ratio comes down to its best band, arrears are collected."""
    loans = (200 + 20 * step) * JT
    risky = (34 - 10 * step) * JT
    return {
        "kas_bank": (62 - 12 * step) * JT,
        "kewajiban_lancar": (240 + 40 * step) * JT,
        "total_aset": (300 + 25 * step) * JT,
        "modal_sendiri": (150 + 8 * step) * JT,
        "modal_tertimbang": (148 + 8 * step) * JT,
        "atmr": (250 + 22 * step) * JT,
        "pinjaman_diberikan": loans,
        "pinjaman_anggota": loans - (30 - 12 * step) * JT,
        "pinjaman_berisiko": risky,
        "rpm": risky * (55 - 5 * step) // 100,
        "cadangan_risiko": (9 + 3 * step) * JT,
        "beban_operasi_anggota": (58 - step) * JT,
        "partisipasi_bruto": (60 + 2 * step) * JT,
        "beban_pokok": 0,
        "beban_usaha": (40 - 2 * step) * JT,
        "beban_perkoperasian": (2 + step) * JT,
        "shu_kotor": (66 + 3 * step) * JT,
        "biaya_karyawan": (19 - 2 * step) * JT,
        "volume_pinjaman": (180 + 40 * step) * JT,
        "dana_diterima": (290 + 20 * step) * JT,
        "shu_sebelum_pajak": (14 + 8 * step) * JT,
        "shu_bagian_anggota": (6 + 3 * step) * JT,
        "pendapatan_non_anggota": (6 - 2 * step) * JT,
        "meppp": (4 + 2 * step) * JT,
        "simpanan_pokok_wajib": (120 + 10 * step) * JT,
    }


def _srikandi(step: int) -> dict[str, int]:
    """Koperasi Wanita Srikandi (a shop and members' savings): sales to members grow and
    its equity with them."""
    equity = (180 + 12 * step) * JT
    return {
        "kas_bank": (30 + 2 * step) * JT,
        "kewajiban_lancar": (24 - step) * JT,
        "total_aset": (260 + 10 * step) * JT,
        "modal_tertimbang": (170 + 10 * step) * JT,
        "atmr": (215 + 8 * step) * JT,
        "pinjaman_diberikan": 0,
        "beban_operasi_anggota": (140 + 10 * step) * JT,
        "partisipasi_bruto": (135 + 20 * step) * JT,
        "pendapatan_non_anggota": (70 - 5 * step) * JT,
        "ekuitas": equity,
        "ekuitas_lalu": equity - (9 + 4 * step) * JT,
        "aset_produktif": (40 + 5 * step) * JT,
        "pinjaman_piutang": (34 - 3 * step) * JT,
        "shu": (9 + 5 * step) * JT,
        "pendapatan": (205 + 15 * step) * JT,
        "biaya_pembinaan": (300 + 250 * step) * 1_000,
    }


PAST = [PastAssessment(KSP, "perdep06-2016", _ksp(s), 0.3 + 0.15 * s) for s in range(3)] + [
    PastAssessment(SRIKANDI, "kkpkk-2021", _srikandi(s), 0.4 + 0.2 * s) for s in range(3)
]


def _last_day_of_month(year: int, month: int) -> date:
    return date(year + month // 12, month % 12 + 1, 1) - timedelta(days=1)


def past_dates(today: date) -> list[date]:
    """Three half-year ends (30 June, 31 December) before the demo's books begin (the last
    day of the month thirteen months ago): oldest first."""
    year, month = today.year, today.month - 12
    if month <= 0:
        year, month = year - 1, month + 12
    books_begin = date(year, month, 1) - timedelta(days=1)
    found: list[date] = []
    year = books_begin.year
    while len(found) < 3:
        for day in (date(year, 12, 31), _last_day_of_month(year, 6)):
            if day < books_begin and len(found) < 3:
                found.append(day)
        year -= 1
    return sorted(found)


def _answers(scheme_id: str, day: date, share: float) -> dict[str, bool]:
    scheme = rules.scheme_on(scheme_id, day)
    assert scheme is not None
    answers = {}
    for indicator in scheme.indicators:
        met = round(len(indicator.items) * min(share, 1.0))
        for i, item in enumerate(indicator.items):
            answers[item.code] = i < met
    return answers


async def _rows() -> int:
    """Rows of every health table and of the audit log (the demo writes to both)."""
    tables: list[type[Table]] = [*HEALTH_TABLES, AuditEvent]
    total = 0
    for table in tables:
        total += int(await table.count())
    return total


async def load_demo_assessments(today: date | None = None) -> int:
    """Create the past final assessments; returns how many rows that wrote (assessments,
    their indicators, aspect scores, answers, figures and audit events)."""
    today = today or date.today()
    days = past_dates(today)
    before = await _rows()
    for slug in (KSP, SRIKANDI):
        place = await service._place(slug=slug)
        if place is None or await HealthAssessment.exists().where(
            HealthAssessment.koperasi == place.koperasi_id
        ):
            continue
        pengurus = service.Who(user_id=None, role="pengurus", region_id=place.region_id)
        dinas = service.Who(user_id=None, role="dinas", region_id=place.region_id)
        for past, day in zip([p for p in PAST if p.slug == slug], days, strict=True):
            number = await service.start(place, past.scheme, day, pengurus, today)
            answers = _answers(past.scheme, day, past.met_share)
            # Finalising recomputes: no need to compute after saving too.
            await service.save(place, number, answers, past.figures, pengurus, recompute=False)
            await service.finalise(place, number, dinas)
    return await _rows() - before
