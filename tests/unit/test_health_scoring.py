"""Health scoring against examples worked by hand, for both rule sets, and every band edge.

The edge convention (backend/health/data/*.json `band_edges`, decision 0014): each table
says which edge its bands hold — "lower": min ≤ ratio < max; "upper": min < ratio ≤ max
(the first band also holds its min, so [0, 0] holds exactly 0). Ratios are rounded half
up to two decimals before the lookup."""

# Decimal results are compared with plain numbers (Decimal(3) == 3) on purpose.
# mypy: disable-error-code="comparison-overlap"

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from backend.health import rules
from backend.health.domain import (
    BandTable,
    Closed,
    Evidence,
    Figure,
    IndicatorKind,
    Missing,
    Origin,
    Scheme,
    Status,
    evidence_text,
    missing_hints,
    period_start,
    ratio_percent,
    round2,
    score,
    year_before,
)
from backend.health.domain import Basis as B
from backend.i18n import translator

D = Decimal
JT = 1_000_000


def _scheme(scheme_id: str) -> Scheme:
    found = rules.scheme_on(scheme_id, date(2026, 6, 30))
    assert found is not None
    return found


A = _scheme("perdep06-2016")
KKPKK = _scheme("kkpkk-2021")


def _books(amount: int, *codes: str) -> Figure:
    return Figure("x", amount, Origin.BOOKS, basis=tuple(B("account", c) for c in codes))


def _figures(scheme: Scheme, amounts: dict[str, int]) -> dict[str, Figure]:
    return {
        code: Figure(code, amounts[code], Origin.ENTERED, entered_role="pengurus")
        if code in amounts
        else Figure(code, None, missing=Missing.NOT_IN_BOOKS)
        for code in scheme.figures
    }


def _answers(scheme: Scheme, met: dict[str, int]) -> dict[str, bool]:
    """The first `met[code]` items of each named checklist "ya", the rest "tidak"; every
    other checklist fully met."""
    answers = {}
    for indicator in scheme.indicators:
        count = met.get(indicator.code, len(indicator.items))
        for i, item in enumerate(indicator.items):
            answers[item.code] = i < count
    return answers


# --- the worked check of HEALTH_RULES.md ------------------------------------------------


def test_worked_check_cash_ratio_12_percent_scores_10() -> None:
    """kas+bank Rp 120 juta ÷ kewajiban lancar Rp 1 miliar = 12 % → band 10–15 → nilai 100
    → skor 100 × 10 / 100 = 10 in scheme A."""
    figures = {
        "kas_bank": _books(120 * JT, "1-1100", "1-1200"),
        "kewajiban_lancar": _books(1_000 * JT, "2-1100", "2-1300", "2-1500"),
    }
    result = score(A, figures, {})
    cash = result.indicator("rasio_kas")
    assert (cash.status, cash.value, cash.nilai, cash.skor) == (Status.OK, D("12.00"), 100, 10)
    assert cash.at_best
    text = evidence_text(cash.value, cash.evidence, A, "id", translator("id"))
    assert text == (
        "kas + bank Rp 120.000.000 (1-1100, 1-1200) ÷ kewajiban lancar Rp 1.000.000.000 "
        "(2-1100, 2-1300, 2-1500) = 12,00%"
    )
    english = evidence_text(cash.value, cash.evidence, A, "en", translator("en"))
    assert english.startswith("cash + bank Rp 120.000.000 (1-1100, 1-1200) ÷ current")
    assert english.endswith("= 12,00%")  # figures read the same in every language


# --- a full scheme A example, by hand ---------------------------------------------------

SCHEME_A_FIGURES = {
    "kas_bank": 120 * JT,
    "kewajiban_lancar": 1_000 * JT,
    "modal_sendiri": 450 * JT,
    "total_aset": 1_000 * JT,
    "pinjaman_berisiko": 300 * JT,
    "modal_tertimbang": 70 * JT,
    "atmr": 1_000 * JT,
    "pinjaman_anggota": 600 * JT,
    "pinjaman_diberikan": 800 * JT,
    "rpm": 40 * JT,
    "cadangan_risiko": 10 * JT,
    "beban_operasi_anggota": 180 * JT,
    "partisipasi_bruto": 200 * JT,
    "beban_usaha": 30 * JT,
    "shu_kotor": 50 * JT,
    "biaya_karyawan": 12 * JT,
    "volume_pinjaman": 100 * JT,
    "dana_diterima": 1_000 * JT,
    "shu_sebelum_pajak": 80 * JT,
    "shu_bagian_anggota": 18 * JT,
    "beban_pokok": 20 * JT,
    "beban_perkoperasian": 10 * JT,
    "pendapatan_non_anggota": 50 * JT,
    "meppp": 2 * JT,
    "simpanan_pokok_wajib": 400 * JT,
}


def test_full_scheme_a_example_by_hand() -> None:
    # Worked by hand (ratio → band → nilai → skor = nilai × weight / 100):
    # Permodalan (15)
    #   modal sendiri 450 ÷ aset 1.000 = 45,00 %     [40, 60)  → 100 → 100×6/100 = 6
    #   modal sendiri 450 ÷ berisiko 300 = 150,00 %   (100, ∞) → 100 → 6
    #   CAR 70 ÷ ATMR 1.000 = 7,00 %                  [6, 8)    →  75 → 75×3/100 = 2,25
    #   aspect 14,25
    # Kualitas aktiva produktif (25)
    #   anggota 600 ÷ pinjaman 800 = 75,00 %           (50, 75]  →  75 → 75×10/100 = 7,5
    #   RPM 40 ÷ pinjaman 800 = 5,00 %                 (0, 10]   →  80 → 80×5/100 = 4
    #   cadangan 10 ÷ RPM 40 = 25,00 %                 (20, 30]  →  20 → 20×5/100 = 1
    #   berisiko 300 ÷ pinjaman 800 = 37,50 %          (30, ∞)   →  25 → 25×5/100 = 1,25
    #   aspect 13,75
    # Manajemen (15): "ya" × credit
    #   umum 8 × 0,25 = 2; kelembagaan 6 × 0,5 = 3; permodalan 3 × 0,6 = 1,8;
    #   aktiva 7 × 0,3 = 2,1; likuiditas 0 × 0,6 = 0; aspect 8,9
    # Efisiensi (10)
    #   beban operasi 180 ÷ partisipasi 200 = 90,00 % [90, 95)  →  75 → 75×4/100 = 3
    #   beban usaha 30 ÷ SHU kotor 50 = 60,00 %        (40, 60]  →  75 → 3
    #   biaya karyawan 12 ÷ volume 100 = 12,00 %       (10, 15]  →  50 → 50×2/100 = 1
    #   aspect 7
    # Likuiditas (15)
    #   kas 120 ÷ kewajiban lancar 1.000 = 12,00 %     (10, 15]  → 100 → 10
    #   pinjaman 800 ÷ dana diterima 1.000 = 80,00 %   [80, ∞)   → 100 → 5
    #   aspect 15
    # Kemandirian dan pertumbuhan (10)
    #   SHU 80 ÷ aset 1.000 = 8,00 %                   [7,5, 10) →  75 → 75×3/100 = 2,25
    #   SHU anggota 18 ÷ modal sendiri 450 = 4,00 %    [4, 5)    →  75 → 2,25
    #   (200 − 20) ÷ (30 + 10) = 450,00 %              (100, ∞)  → 100 → 4
    #   aspect 8,5
    # Jatidiri (10)
    #   200 ÷ (200 + 50) = 80,00 %                     [75, ∞)   → 100 → 7
    #   (2 + 18) ÷ 400 = 5,00 %                        [5, 7,5)  →  50 → 50×3/100 = 1,5
    #   aspect 8,5
    # Total 14,25 + 13,75 + 8,9 + 7 + 15 + 8,5 + 8,5 = 75,90 → Cukup Sehat (66 – <80)
    answers = _answers(
        A,
        {
            "manajemen_umum": 8,
            "manajemen_kelembagaan": 6,
            "manajemen_permodalan": 3,
            "manajemen_aktiva": 7,
            "manajemen_likuiditas": 0,
        },
    )
    result = score(A, _figures(A, SCHEME_A_FIGURES), answers)
    expected = {
        "modal_sendiri_aset": ("45.00", 100, "6"),
        "modal_sendiri_pinjaman_berisiko": ("150.00", 100, "6"),
        "car": ("7.00", 75, "2.25"),
        "pinjaman_anggota": ("75.00", 75, "7.5"),
        "rpm_pinjaman": ("5.00", 80, "4"),
        "cadangan_risiko_rpm": ("25.00", 20, "1"),
        "pinjaman_berisiko_pinjaman": ("37.50", 25, "1.25"),
        "beban_operasi_partisipasi": ("90.00", 75, "3"),
        "beban_usaha_shu_kotor": ("60.00", 75, "3"),
        "efisiensi_pelayanan": ("12.00", 50, "1"),
        "rasio_kas": ("12.00", 100, "10"),
        "pinjaman_dana_diterima": ("80.00", 100, "5"),
        "rentabilitas_aset": ("8.00", 75, "2.25"),
        "rentabilitas_modal": ("4.00", 75, "2.25"),
        "kemandirian_operasional": ("450.00", 100, "4"),
        "partisipasi_bruto_rasio": ("80.00", 100, "7"),
        "promosi_ekonomi_anggota": ("5.00", 50, "1.5"),
    }
    for code, (value, nilai, skor) in expected.items():
        got = result.indicator(code)
        assert (got.value, got.nilai, got.skor) == (D(value), nilai, D(skor)), code
    management = {
        i.code: (i.met, i.skor) for i in result.indicators if i.kind is IndicatorKind.CHECKLIST
    }
    assert management == {
        "manajemen_umum": (8, D("2")),
        "manajemen_kelembagaan": (6, D("3")),
        "manajemen_permodalan": (3, D("1.8")),
        "manajemen_aktiva": (7, D("2.1")),
        "manajemen_likuiditas": (0, D("0")),
    }
    assert {a.code: a.score for a in result.aspects} == {
        "permodalan": D("14.25"),
        "kualitas_aktiva": D("13.75"),
        "manajemen": D("8.9"),
        "efisiensi": D("7"),
        "likuiditas": D("15"),
        "kemandirian": D("8.5"),
        "jatidiri": D("8.5"),
    }
    assert result.total == D("75.90")
    assert result.category.code == "cukup_sehat"
    # A checklist not fully met is not at its best; one fully met is.
    assert not result.indicator("manajemen_umum").at_best
    assert result.indicator("manajemen_kelembagaan").at_best
    assert result.indicator("manajemen_umum").unmet == tuple(
        f"manajemen_umum_{i:02d}" for i in range(9, 13)
    )


def test_scheme_a_evidence_names_factors_and_subtractions() -> None:
    figures = _figures(A, SCHEME_A_FIGURES)
    result = score(A, figures, {})
    own = result.indicator("kemandirian_operasional")
    text = evidence_text(own.value, own.evidence, A, "id", translator("id"))
    assert text == (
        "(partisipasi bruto Rp 200.000.000 (diisi pengurus) − beban pokok Rp 20.000.000 "
        "(diisi pengurus)) ÷ (beban usaha Rp 30.000.000 (diisi pengurus) + beban "
        "perkoperasian Rp 10.000.000 (diisi pengurus)) = 450,00%"
    )
    capital = Figure(
        "modal_sendiri",
        450 * JT,
        Origin.BOOKS,
        basis=(B("account", "3-1100"), B("account", "3-1300", D("0.5"))),
    )
    figures["modal_sendiri"] = capital
    result = score(A, figures, {})
    ratio = result.indicator("modal_sendiri_aset")
    assert "modal sendiri Rp 450.000.000 (3-1100, 50% × 3-1300)" in evidence_text(
        ratio.value, ratio.evidence, A, "id", translator("id")
    )


def test_missing_figures_score_zero_and_say_what_to_record() -> None:
    result = score(A, _figures(A, {}), {})
    cash = result.indicator("rasio_kas")
    assert (cash.status, cash.value, cash.nilai, cash.skor, cash.at_best) == (
        Status.NO_DATA,
        None,
        0,
        0,
        False,
    )
    assert cash.evidence.missing == (
        ("kas_bank", "not_in_books"),
        ("kewajiban_lancar", "not_in_books"),
    )
    text = evidence_text(None, cash.evidence, A, "id", translator("id"))
    assert text.startswith("kas + bank: data tidak tersedia (angka ini tidak ada di pembukuan)")
    hints = missing_hints(cash.evidence, A, "id")
    assert hints[0].startswith("Catat saldo kas dan bank")
    # Nothing answered, nothing in the books: 0.
    assert result.total == 0 and result.category.code == "dalam_pengawasan_khusus"


def test_zero_denominator_scores_zero() -> None:
    figures = _figures(A, {**SCHEME_A_FIGURES, "kewajiban_lancar": 0})
    cash = score(A, figures, {}).indicator("rasio_kas")
    assert (cash.status, cash.value, cash.skor) == (Status.ZERO_DENOMINATOR, None, 0)
    assert evidence_text(None, cash.evidence, A, "id", translator("id")).endswith(
        "pembagi bernilai nol, rasio tidak dapat dihitung"
    )


# --- a scheme B example, by hand ------------------------------------------------------

SCHEME_B_FIGURES = {
    "shu": 60 * JT,
    "total_aset": 1_000 * JT,
    "ekuitas": 500 * JT,
    "ekuitas_lalu": 450 * JT,
    "pendapatan": 400 * JT,
    "beban_operasi_anggota": 285 * JT,
    "partisipasi_bruto": 300 * JT,
    "pinjaman_piutang": 600 * JT,
    "aset_produktif": 800 * JT,
    "kas_bank": 150 * JT,
    "kewajiban_lancar": 1_000 * JT,
    "biaya_pembinaan": 1_800_000,
    "pendapatan_non_anggota": 100 * JT,
    "modal_tertimbang": 70 * JT,
    "atmr": 1_000 * JT,
}


def test_scheme_b_example_by_hand() -> None:
    # Worked by hand. A checklist's share met → nilai (closed upper: ≤25 → 4, (25, 50] → 3,
    # (50, 75] → 2, > 75 → 1); a ratio's band → nilai; skor = 5 − nilai; aspect = Σ skor ÷
    # (indicators × 4) × 100 × weight / 100.
    # Tata kelola (30 %), 17 checklists:
    #   prinsip_keanggotaan 1 of 3 = 33,33 % → nilai 3 → skor 2
    #   kelembagaan_legalitas 3 of 6 = 50,00 % → nilai 3 → skor 2 (50 is in (25, 50])
    #   manajemen_umum 3 of 4 = 75,00 % → nilai 2 → skor 3 (75 is in (50, 75])
    #   the other 14 fully met → skor 4 each = 56
    #   Σ 63 ÷ 68 × 30 = 27,794117…
    # Profil risiko (15 %), 10 checklists of 3:
    #   5 fully met → 4 each = 20; 3 with 2 of 3 = 66,67 % → nilai 2 → 3 each = 9;
    #   2 with none → nilai 4 → 1 each = 2; Σ 31 ÷ 40 × 15 = 11,625
    # Kinerja keuangan (40 %):
    #   ROA 60 ÷ 1.000 = 6,00 % [5, 7) → 2 → 3;  ROE 60 ÷ 500 = 12,00 % ≥ 10 → 1 → 4
    #   NPM 60 ÷ 400 = 15,00 % ≥ 15 → 1 → 4;  efisiensi 285 ÷ 300 = 95,00 % [95, 100) → 3 → 2
    #   pinjaman 600 ÷ aset produktif 800 = 75,00 % ≤ 75 → 1 → 4
    #   kas 150 ÷ 1.000 = 15,00 % (10, 15] → 1 → 4
    #   ekuitas (500 − 450) ÷ 450 = 11,11 % ≥ 10 → 1 → 4
    #   pembinaan 1,8 ÷ 60 = 3,00 % [3, 5) → 2 → 3
    #   partisipasi 300 ÷ (300 + 100) = 75,00 % ≥ 75 → 1 → 4
    #   Σ 32 ÷ 36 × 40 = 35,555…
    # Permodalan (15 %): ekuitas 500 ÷ aset 1.000 = 50 % > 30 → 1 → 4;
    #   CAR 70 ÷ 1.000 = 7,00 % [6, 8) → 2 → 3; Σ 7 ÷ 8 × 15 = 13,125
    # Total 27,794117… + 11,625 + 35,555… + 13,125 = 88,0996… → 88,10 → Sehat
    met = {
        "prinsip_keanggotaan": 1,
        "kelembagaan_legalitas": 3,
        "manajemen_umum": 2 + 1,
        "risiko_stratejik": 2,
        "kpmr_pinjaman": 2,
        "kpmr_operasional": 2,
        "kpmr_kepatuhan": 0,
        "kpmr_likuiditas": 0,
    }
    result = score(KKPKK, _figures(KKPKK, SCHEME_B_FIGURES), _answers(KKPKK, met))
    checklists = {i.code: (i.value, i.nilai, i.skor) for i in result.indicators if i.items}
    assert checklists["prinsip_keanggotaan"] == (D("33.33"), 3, 2)
    assert checklists["kelembagaan_legalitas"] == (D("50.00"), 3, 2)
    assert checklists["manajemen_umum"] == (D("75.00"), 2, 3)
    assert checklists["risiko_stratejik"] == (D("66.67"), 2, 3)
    assert checklists["kpmr_kepatuhan"] == (D("0.00"), 4, 1)
    ratios = {
        i.code: (i.value, i.nilai, i.skor)
        for i in result.indicators
        if i.kind is IndicatorKind.RATIO
    }
    assert ratios == {
        "roa": (D("6.00"), 2, 3),
        "roe": (D("12.00"), 1, 4),
        "npm": (D("15.00"), 1, 4),
        "efisiensi_operasi": (D("95.00"), 3, 2),
        "pinjaman_aset_produktif": (D("75.00"), 1, 4),
        "rasio_kas": (D("15.00"), 1, 4),
        "pertumbuhan_ekuitas": (D("11.11"), 1, 4),
        "biaya_pembinaan_shu": (D("3.00"), 2, 3),
        "partisipasi_anggota": (D("75.00"), 1, 4),
        "ekuitas_aset": (D("50.00"), 1, 4),
        "car": (D("7.00"), 2, 3),
    }
    aspects = {a.code: a.score for a in result.aspects}
    assert aspects["tata_kelola"] == D(63) / D(68) * 100 * 30 / 100
    assert aspects["profil_risiko"] == D("11.625")
    assert aspects["kinerja_keuangan"] == D(32) / D(36) * 100 * 40 / 100
    assert aspects["permodalan"] == D("13.125")
    assert round2(aspects["tata_kelola"]) == D("27.79")
    assert round2(aspects["kinerja_keuangan"]) == D("35.56")
    assert result.total == D("88.10")
    assert result.category.code == "sehat"
    # At its best: nilai 1 (skor 4).
    assert result.indicator("roe").at_best and not result.indicator("roa").at_best


def test_scheme_b_missing_figure_scores_zero_below_the_lowest_skor() -> None:
    result = score(KKPKK, _figures(KKPKK, {}), {})
    roa = result.indicator("roa")
    assert (roa.status, roa.skor) == (Status.NO_DATA, 0)
    # Nothing answered: every checklist at nilai 4 (skor 1), every ratio 0.
    assert all(i.skor == 1 for i in result.indicators if i.items)
    # Tata kelola 17 × 1 ÷ 68 × 30 = 7,5; profil risiko 10 ÷ 40 × 15 = 3,75.
    assert {a.code: a.score for a in result.aspects}["tata_kelola"] == D("7.5")
    assert result.total == D("11.25")


# --- band edges ---------------------------------------------------------------------------


def _nilai(table: BandTable, value: str) -> Decimal:
    return table.nilai(D(value))


def _table(scheme: Scheme, code: str) -> BandTable:
    bands = scheme.indicator(code).bands
    assert bands is not None
    return bands


@pytest.mark.parametrize(
    ("code", "edges"),
    [
        # CAR, closed lower: <4 → 0, 4–<6 → 50, 6–<8 → 75, ≥8 → 100
        (
            "car",
            {"0": 0, "3.99": 0, "4": 50, "5.99": 50, "6": 75, "7.99": 75, "8": 100, "900": 100},
        ),
        # Cash ratio, closed upper: ≤10 → 25, 10–15 → 100, 15–20 → 50, >20 → 25
        (
            "rasio_kas",
            {"0": 25, "10": 25, "10.01": 100, "15": 100, "15.01": 50, "20": 50, "20.01": 25},
        ),
        # RPM ÷ loans, closed upper with exactly 0 as its own band
        (
            "rpm_pinjaman",
            {"0": 100, "0.01": 80, "10": 80, "10.01": 60, "40": 20, "45": 10, "45.01": 0},
        ),
        # Members' loans, closed upper: ≤25 → 0, 25–50 → 50, 50–75 → 75, >75 → 100
        ("pinjaman_anggota", {"25": 0, "25.01": 50, "50": 50, "75": 75, "75.01": 100}),
        # Operational self-reliance: ≤100 → 0, >100 → 100
        ("kemandirian_operasional", {"100": 0, "100.01": 100}),
        # Own capital ÷ assets, closed lower, best in the middle
        (
            "modal_sendiri_aset",
            {"19.99": 25, "20": 50, "39.99": 50, "40": 100, "59.99": 100, "60": 50, "80": 25},
        ),
        # Own capital ÷ risky loans, stepped by 10, closed upper
        (
            "modal_sendiri_pinjaman_berisiko",
            {"10": 0, "10.01": 10, "55": 50, "100": 90, "100.01": 100},
        ),
        # Return on assets, closed lower: <5 → 25, 5–<7,5 → 50, 7,5–<10 → 75, ≥10 → 100
        ("rentabilitas_aset", {"-3": 25, "4.99": 25, "5": 50, "7.49": 50, "7.5": 75, "10": 100}),
    ],
)
def test_scheme_a_band_edges(code: str, edges: dict[str, int]) -> None:
    table = _table(A, code)
    for value, nilai in edges.items():
        assert _nilai(table, value) == nilai, (code, value)


@pytest.mark.parametrize(
    ("code", "edges"),
    [
        # ROA, closed lower: ≥7 → 1, 5–<7 → 2, 3–<5 → 3, <3 → 4
        ("roa", {"2.99": 4, "3": 3, "4.99": 3, "5": 2, "6.99": 2, "7": 1}),
        # Equity ÷ assets, closed upper: >30 → 1, 20–30 → 2, 10–20 → 3, 0–10 → 4
        ("ekuitas_aset", {"0": 4, "10": 4, "10.01": 3, "20": 3, "30": 2, "30.01": 1}),
        # Loans ÷ earning assets, closed upper: ≤75 → 1, 75–85 → 2, 85–95 → 3, >95 → 4
        ("pinjaman_aset_produktif", {"75": 1, "75.01": 2, "85": 2, "95": 3, "95.01": 4}),
        # Member development ÷ SHU, closed lower: ≥5 → 1 … <1 → 4
        ("biaya_pembinaan_shu", {"0.99": 4, "1": 3, "2.99": 3, "3": 2, "5": 1}),
    ],
)
def test_scheme_b_band_edges(code: str, edges: dict[str, int]) -> None:
    table = _table(KKPKK, code)
    for value, nilai in edges.items():
        assert _nilai(table, value) == nilai, (code, value)


def test_scheme_b_checklist_share_edges() -> None:
    """76–100 % → skor 4, 51–75 % → 3, 26–50 % → 2, 0–25 % → 1 (a share between the printed
    whole numbers, e.g. 25,5 %, goes up with the upper-closed convention)."""
    bands = KKPKK.checklist_bands
    assert bands is not None and bands.closed is Closed.UPPER
    expected = {"0": 4, "25": 4, "25.01": 3, "50": 3, "50.01": 2, "75": 2, "75.01": 1, "100": 1}
    for value, nilai in expected.items():
        assert bands.nilai(D(value)) == nilai
        assert KKPKK.skor_of_nilai[bands.nilai(D(value))] == 5 - nilai


def test_every_edge_of_every_table_follows_its_closed_side() -> None:
    """For every band boundary of every table of both rule sets: the boundary itself
    belongs to the band below (closed upper) or above (closed lower), and one hundredth
    either side to the neighbour bands."""
    cent = D("0.01")
    for scheme in rules.all_schemes():
        tables = [i.bands for i in scheme.indicators if i.bands is not None]
        if scheme.checklist_bands is not None:
            tables.append(scheme.checklist_bands)
        for table in tables:
            for i, band in enumerate(table.bands[:-1]):
                edge = band.high
                assert edge is not None
                below, above = table.bands[i].nilai, table.bands[i + 1].nilai
                at = below if table.closed is Closed.UPPER else above
                assert table.nilai(edge) == at
                assert table.nilai(edge + cent) == above
                if edge - cent >= band.low or i == 0:
                    assert table.nilai(edge - cent) == below


def test_ratios_are_rounded_before_the_band_lookup() -> None:
    # 100.004 ÷ 1000 = 10,0004 % → 10,00 % → band "≤ 10" (closed upper): nilai 25, as shown.
    assert ratio_percent(D("100.04"), D(1000)) == D("10.00")
    assert ratio_percent(D("100.05"), D(1000)) == D("10.01")  # half up
    figures = {
        "kas_bank": _books(100_004_000, "1-1100"),
        "kewajiban_lancar": _books(1_000_000_000, "2-1100"),
    }
    cash = score(A, figures, {}).indicator("rasio_kas")
    assert (cash.value, cash.nilai) == (D("10.00"), 25)


@pytest.mark.parametrize(
    ("total", "category"),
    [
        ("100", "sehat"),
        ("80.00", "sehat"),
        ("79.99", "cukup_sehat"),
        ("66", "cukup_sehat"),
        ("65.99", "dalam_pengawasan"),
        ("51", "dalam_pengawasan"),
        ("50.99", "dalam_pengawasan_khusus"),
        ("0", "dalam_pengawasan_khusus"),
    ],
)
def test_final_category_edges(total: str, category: str) -> None:
    for scheme in (A, KKPKK):
        assert scheme.category_of(D(total)).code == category


def test_the_year_of_flows_ends_on_the_assessment_day() -> None:
    assert period_start(date(2026, 12, 31)) == date(2026, 1, 1)
    assert period_start(date(2026, 6, 30)) == date(2025, 7, 1)
    assert year_before(date(2028, 2, 29)) == date(2027, 2, 28)
    assert period_start(date(2028, 2, 29)) == date(2027, 3, 1)


def test_evidence_survives_storage() -> None:
    figures = _figures(A, SCHEME_A_FIGURES)
    figures["kas_bank"] = _books(120 * JT, "1-1100", "1-1200")
    cash = score(A, figures, {}).indicator("rasio_kas")
    again = Evidence.from_json(cash.evidence.as_json())
    assert again == cash.evidence
