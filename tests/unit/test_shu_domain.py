"""SHU rules without a database: a distribution worked out by hand, the largest remainder
method's edge cases, properties that hold for any input (the parts always sum exactly to
the pool), the journal entry of a distribution and the member's explanation."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from backend.errors import AppError
from backend.i18n import translator
from backend.ledger.domain import Line, validate_lines
from backend.shu.domain import (
    FULL,
    Allocation,
    Component,
    Destination,
    MemberBase,
    Mode,
    Part,
    UsahaBasis,
    allocate,
    allocation_changes,
    apportion,
    bp_text,
    check_allocation,
    check_postable,
    credits_to_savings,
    default_allocation,
    distribution_lines,
    exact_rupiah,
    explanation,
)

_ = translator("id")

# --- the worked example ------------------------------------------------------------------
#
# SHU 2025 = Rp 1.000.003, the default split (cadangan 40%, jasa modal 20%, jasa usaha 20%,
# pengurus, karyawan, pendidikan, sosial 5% each, daerah kerja 0%).
#
# Components, ⌊1.000.003 × bp ÷ 10.000⌋ and the remainder (in 1/10.000 rupiah):
#   cadangan   400.001 r 2000 | jasa modal 200.000 r 6000 | jasa usaha 200.000 r 6000
#   pengurus    50.000 r 1500 | karyawan    50.000 r 1500 | pendidikan  50.000 r 1500
#   sosial      50.000 r 1500 | daerah kerja     0 r 0
#   floors sum to 1.000.001: 2 rupiah left, to the two largest remainders (jasa modal and
#   jasa usaha, .6 each) -> jasa modal 200.001, jasa usaha 200.001.
#
# Jasa modal counts pokok + wajib at 31 Dec (sukarela is not counted):
#   A-0001 Siti   100.000 + 200.000 = 300.000   (her sukarela 500.000 does not count)
#   A-0002 Budi   100.000 + 100.000 = 200.000
#   A-0003 Dewi   100.000 + 100.000 = 200.000
#   A-0004 Eko    nothing                   0
#   A-0005 Fitri  100.000 +       0 = 100.000   -> total 800.000
#   200.001 × 3/8 = 75.000,375 | × 2/8 = 50.000,25 (twice) | × 1/8 = 25.000,125
#   floors 75.000 + 50.000 + 50.000 + 25.000 = 200.000: 1 rupiah left -> Siti (,375)
#   => Siti 75.001, Budi 50.000, Dewi 50.000, Eko 0, Fitri 25.000 (sum 200.001)
#
# Jasa usaha by purchases in the shop during 2025:
#   Siti 1.000.000, Budi 0, Dewi 500.000, Eko 0, Fitri 1.500.000 -> total 3.000.000
#   200.001 × 1/3 = 66.667 exactly | × 1/6 = 33.333,5 | × 1/2 = 100.000,5
#   floors 66.667 + 33.333 + 100.000 = 200.000: 1 rupiah left, Dewi and Fitri tie at ,5:
#   the lower member number (Dewi, A-0003) gets it
#   => Siti 66.667, Dewi 33.334, Fitri 100.000 (sum 200.001)
#
# Each member: Siti 141.668, Budi 50.000, Dewi 83.334, Eko 0, Fitri 125.000; sum 400.002.
#
# The entry: Dr 3-1610 1.000.003 / Cr 3-1500 400.001, 2-1610..2-1640 50.000 each,
# 2-1600 400.002 (mode utang).

POOL = 1_000_003
MEMBERS = [
    # Given out of order: the result is ordered by member number.
    MemberBase(5, "A-0005", "Fitri", pokok=100_000, purchases=1_500_000),
    MemberBase(1, "A-0001", "Siti", 100_000, 200_000, 500_000, purchases=1_000_000),
    MemberBase(2, "A-0002", "Budi", 100_000, 100_000),
    MemberBase(3, "A-0003", "Dewi", 100_000, 100_000, purchases=500_000),
    MemberBase(4, "A-0004", "Eko"),
]


def _by_number(distribution: object) -> dict[str, tuple[int, int]]:
    return {s.member_number: (s.jasa_modal, s.jasa_usaha) for s in distribution.shares}  # type: ignore[attr-defined]


def test_worked_example() -> None:
    d = allocate(2025, POOL, Allocation(), MEMBERS)
    s = d.summary
    assert {c.component: c.amount for c in s.components} == {
        Component.CADANGAN: 400_001,
        Component.JASA_MODAL: 200_001,
        Component.JASA_USAHA: 200_001,
        Component.PENGURUS: 50_000,
        Component.KARYAWAN: 50_000,
        Component.PENDIDIKAN: 50_000,
        Component.SOSIAL: 50_000,
        Component.DAERAH_KERJA: 0,
    }
    assert s.modal_total_base == 800_000 and s.usaha_total_base == 3_000_000
    assert [m.member_number for m in d.shares] == ["A-0001", "A-0002", "A-0003", "A-0004", "A-0005"]
    assert _by_number(d) == {
        "A-0001": (75_001, 66_667),
        "A-0002": (50_000, 0),
        "A-0003": (50_000, 33_334),
        "A-0004": (0, 0),
        "A-0005": (25_000, 100_000),
    }
    assert [m.total for m in d.shares] == [141_668, 50_000, 83_334, 0, 125_000]
    assert s.members_total == 400_002 and s.cadangan_total == 400_001

    lines = distribution_lines(d, "2-1100")
    validate_lines(lines)
    assert [(line.account_code, line.debit, line.credit) for line in lines] == [
        ("3-1610", POOL, 0),
        ("3-1500", 0, 400_001),
        ("2-1610", 0, 50_000),
        ("2-1620", 0, 50_000),
        ("2-1630", 0, 50_000),
        ("2-1640", 0, 50_000),
        ("2-1600", 0, 400_002),
    ]
    assert credits_to_savings(d) == {}


def test_worked_example_into_sukarela() -> None:
    """Mode sukarela: the members' part goes to the savings account, except a member who is
    no longer active (here Fitri), whose share stays a payable."""
    members = [replace(m, active=m.member_number != "A-0005") for m in MEMBERS]
    d = allocate(2025, POOL, Allocation(mode=Mode.SUKARELA), members)
    assert credits_to_savings(d) == {1: 141_668, 2: 50_000, 3: 83_334}  # not Eko's zero
    lines = distribution_lines(d, "2-1105")
    validate_lines(lines)
    credit = {line.account_code: line.credit for line in lines if line.credit}
    assert credit["2-1105"] == 141_668 + 50_000 + 83_334
    assert credit["2-1600"] == 125_000


def test_sukarela_counted_and_both_bases() -> None:
    """Counting sukarela too and jasa usaha by purchases and interest together."""
    members = [
        MemberBase(1, "A-0001", "Siti", 100, 100, 800, purchases=10, interest=20),
        MemberBase(2, "A-0002", "Budi", 0, 0, 0, purchases=0, interest=30),
    ]
    a = Allocation(count_sukarela=True, usaha_basis=UsahaBasis.KEDUANYA)
    d = allocate(2025, 10_000, a, members)
    assert d.summary.modal_total_base == 1_000 and d.summary.usaha_total_base == 60
    assert _by_number(d) == {"A-0001": (2_000, 1_000), "A-0002": (0, 1_000)}


def test_member_with_nothing_gets_zero() -> None:
    d = allocate(2025, 987_654_321, Allocation(), MEMBERS)
    eko = next(s for s in d.shares if s.member_number == "A-0004")
    assert (eko.modal_base, eko.usaha_base, eko.total) == (0, 0, 0)
    text = " ".join(explanation(eko, d.summary, "id", _))
    assert "jasa modal Anda Rp 0" in text and "jasa usaha Anda Rp 0" in text


def test_nobody_with_a_base_sends_the_part_to_the_cadangan() -> None:
    """No purchases at all: jasa usaha has nobody to go to, so it goes to the cadangan (and
    the entry still balances)."""
    members = [MemberBase(1, "A-0001", "Siti", 100_000), MemberBase(2, "A-0002", "Budi")]
    d = allocate(2025, 1_000_000, Allocation(), members)
    usaha = d.summary.part(Component.JASA_USAHA)
    assert (usaha.amount, usaha.paid, usaha.redirected) == (200_000, 0, 200_000)
    assert d.summary.cadangan_total == 400_000 + 200_000
    assert d.summary.members_total == 200_000
    lines = distribution_lines(d, "2-1100")
    validate_lines(lines)
    assert Line("3-1500", 0, 600_000, "Cadangan") in lines
    text = " ".join(explanation(d.shares[0], d.summary, "id", _))
    assert "masuk cadangan" in text


def test_a_year_without_surplus_splits_into_zeros_and_cannot_be_posted() -> None:
    for pool in (0, -5_000_000):
        d = allocate(2025, pool, Allocation(), MEMBERS)
        assert all(c.amount == 0 for c in d.summary.components)
        assert all(s.total == 0 for s in d.shares)
        with pytest.raises(AppError) as refused:
            check_postable(d.summary, date(2026, 2, 1), date(2026, 3, 1))
        assert refused.value.code == "shu_not_positive"


def test_posting_date_after_the_year_and_not_in_the_future() -> None:
    summary = allocate(2025, POOL, Allocation(), MEMBERS).summary
    check_postable(summary, date(2026, 1, 1), date(2026, 1, 1))
    for day, code in (
        (date(2025, 12, 31), "posted_on_invalid"),
        (date(2026, 1, 2), "posted_on_future"),
    ):
        with pytest.raises(AppError) as refused:
            check_postable(summary, day, date(2026, 1, 1))
        assert refused.value.code == code


# --- largest remainder -------------------------------------------------------------------


def test_apportion_edge_cases() -> None:
    assert apportion(0, [1, 2, 3]) == [0, 0, 0]
    assert apportion(10, []) == []
    assert apportion(10, [0, 0]) == [0, 0]  # nothing to split by: nobody gets anything
    assert apportion(10, [0, 5]) == [0, 10]
    assert apportion(1, [1, 1, 1]) == [1, 0, 0]  # a tie: the earlier position
    assert apportion(2, [1, 1, 1]) == [1, 1, 0]
    assert apportion(100, [1, 1, 1]) == [34, 33, 33]
    assert apportion(7, [10, 20, 70]) == [1, 1, 5]  # 0,7 1,4 4,9: ,9 then ,7
    assert apportion(10**15, [1, 10**15]) == [1, 10**15 - 1]
    with pytest.raises(ValueError):
        apportion(-1, [1])
    with pytest.raises(ValueError):
        apportion(1, [-1, 2])


@settings(max_examples=300, deadline=None)
@given(
    st.integers(min_value=0, max_value=10**13),
    st.lists(st.integers(min_value=0, max_value=10**12), min_size=1, max_size=40),
)
def test_apportion_sums_exactly_and_stays_within_one_rupiah(total: int, weights: list[int]) -> None:
    parts = apportion(total, weights)
    whole = sum(weights)
    if whole == 0:
        assert parts == [0] * len(weights)
        return
    assert sum(parts) == total
    for part, weight in zip(parts, weights, strict=True):
        exact = Fraction(total * weight, whole)
        assert exact - 1 < part < exact + 1
        if weight == 0:
            assert part == 0


_bp = st.integers(min_value=0, max_value=FULL)


@st.composite
def allocations(draw: st.DrawFn) -> Allocation:
    """A split summing to 100%: seven cut points in 0..10.000."""
    cuts = sorted(draw(st.lists(_bp, min_size=7, max_size=7)))
    parts = [b - a for a, b in zip([0, *cuts], [*cuts, FULL], strict=True)]
    return Allocation(
        *parts,
        count_pokok=draw(st.booleans()),
        count_wajib=draw(st.booleans()),
        count_sukarela=draw(st.booleans()),
        usaha_basis=draw(st.sampled_from(UsahaBasis)),
        mode=draw(st.sampled_from(Mode)),
    )


_amount = st.integers(min_value=0, max_value=10**10)


@st.composite
def member_lists(draw: st.DrawFn) -> list[MemberBase]:
    count = draw(st.integers(min_value=0, max_value=30))
    return [
        MemberBase(
            i + 1,
            f"A-{i + 1:04d}",
            f"Anggota {i + 1}",
            pokok=draw(_amount),
            wajib=draw(_amount),
            sukarela=draw(_amount),
            purchases=draw(_amount),
            interest=draw(_amount),
            active=draw(st.booleans()),
        )
        for i in range(count)
    ]


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=-(10**12), max_value=10**13), allocations(), member_lists())
def test_every_distribution_adds_up(pool: int, a: Allocation, members: list[MemberBase]) -> None:
    d = allocate(2025, pool, a, members)
    s = d.summary
    # The components sum exactly to the SHU (nothing when there is no surplus).
    assert sum(c.amount for c in s.components) == max(pool, 0)
    for c in s.components:
        assert (
            Fraction(max(pool, 0) * c.bp, FULL) - 1
            < c.amount
            < Fraction(max(pool, 0) * c.bp, FULL) + 1
        )
    # The members' shares sum exactly to their pools, or the pool went to the cadangan.
    for component, total_base, amounts in (
        (Component.JASA_MODAL, s.modal_total_base, [m.jasa_modal for m in d.shares]),
        (Component.JASA_USAHA, s.usaha_total_base, [m.jasa_usaha for m in d.shares]),
    ):
        part = s.part(component)
        assert sum(amounts) == part.paid
        assert part.paid == (part.amount if total_base else 0)
    # Zero base, zero share; and every rupiah of the pool is somewhere.
    for m in d.shares:
        assert m.modal_base or not m.jasa_modal
        assert m.usaha_base or not m.jasa_usaha
    assert s.cadangan_total + s.members_total + sum(
        s.part(c).amount
        for c in (
            Component.PENGURUS,
            Component.KARYAWAN,
            Component.PENDIDIKAN,
            Component.SOSIAL,
            Component.DAERAH_KERJA,
        )
    ) == max(pool, 0)
    if pool > 0:
        lines = distribution_lines(d, "2-1100")
        validate_lines(lines)
        assert sum(credits_to_savings(d).values()) <= s.members_total


# --- settings ----------------------------------------------------------------------------


def test_defaults_sum_to_one_hundred_percent_and_follow_the_kind() -> None:
    check_allocation(Allocation())
    assert sum(Allocation().bp(c) for c in Component) == FULL
    assert default_allocation("ksp").usaha_basis is UsahaBasis.BUNGA
    assert default_allocation("ksu").usaha_basis is UsahaBasis.KEDUANYA
    assert default_allocation("konsumen").usaha_basis is UsahaBasis.PEMBELIAN


@pytest.mark.parametrize(
    ("allocation", "code"),
    [
        (Allocation(cadangan_bp=3_999), "allocation_not_full"),
        (Allocation(cadangan_bp=4_001, sosial_bp=499), None),
        (
            Allocation(
                cadangan_bp=10_001,
                jasa_modal_bp=0,
                jasa_usaha_bp=0,
                pengurus_bp=0,
                karyawan_bp=0,
                pendidikan_bp=0,
                sosial_bp=0,
            ),
            "percent_invalid",
        ),
        (Allocation(cadangan_bp=-1, daerah_kerja_bp=1), "percent_invalid"),
        (Allocation(count_pokok=False, count_wajib=False), "savings_kind_required"),
        (
            Allocation(count_pokok=False, count_wajib=False, cadangan_bp=6_000, jasa_modal_bp=0),
            None,
        ),
    ],
)
def test_refused_allocations(allocation: Allocation, code: str | None) -> None:
    if code is None:
        check_allocation(allocation)
        return
    with pytest.raises(AppError) as refused:
        check_allocation(allocation)
    assert refused.value.code == code


def test_allocation_changes_for_the_audit_log() -> None:
    new = Allocation(cadangan_bp=3_500, daerah_kerja_bp=500, mode=Mode.SUKARELA)
    assert allocation_changes(Allocation(), new) == {
        "cadangan_bp": ["4000", "3500"],
        "daerah_kerja_bp": ["0", "500"],
        "mode": ["utang", "sukarela"],
    }


# --- what a member reads -----------------------------------------------------------------


def test_numbers_as_people_read_them() -> None:
    assert bp_text(2_000, "id") == "20%"
    assert bp_text(250, "id") == "2,5%"
    assert bp_text(250, "en") == "2.5%"
    assert exact_rupiah(Fraction(200_001, 6)) == "Rp 33.333,50"
    part = Part(base=500_000, total_base=3_000_000, pool=200_001, amount=33_334)
    assert (part.floor, part.extra, part.exact) == (33_333, 1, Fraction(200_001, 6))


def test_the_explanation_shows_every_step() -> None:
    d = allocate(2025, POOL, Allocation(), MEMBERS)
    dewi = next(s for s in d.shares if s.member_number == "A-0003")
    lines = explanation(dewi, d.summary, "id", _)
    text = "\n".join(lines)
    assert lines[0] == "SHU koperasi tahun 2025: Rp 1.000.003."
    # Jasa modal: base, total, percentage, pool, exact fraction, rounding.
    assert "Simpanan Anda Rp 200.000 dari seluruhnya Rp 800.000, yaitu 25%" in text
    assert "Simpanan pokok + Simpanan wajib" in text
    assert "Rp 200.001 × Rp 200.000 ÷ Rp 800.000 = Rp 50.000,25" in text
    assert "Dibulatkan ke bawah ke rupiah penuh: Rp 50.000." in text
    # Jasa usaha: she won the tie for the last rupiah.
    assert "Transaksi Anda Rp 500.000 dari seluruhnya Rp 3.000.000, yaitu 16,6667%" in text
    assert "= Rp 33.333,50" in text
    assert "Dibulatkan ke bawah menjadi Rp 33.333, lalu ditambah Rp 1" in text
    assert "jasa modal Rp 50.000 + jasa usaha Rp 33.334 = Rp 83.334" in text
    assert lines[-1].startswith("Belum dibagikan")
    siti = next(s for s in d.shares if s.member_number == "A-0001")
    assert "Hasilnya sudah rupiah penuh: Rp 66.667." in explanation(siti, d.summary, "id", _)
    posted = explanation(dewi, d.summary, "id", _, Destination(date(2026, 3, 2), True, "S-000042"))
    assert posted[-1] == (
        "Sudah dimasukkan ke simpanan sukarela Anda pada 2 Maret 2026 (kuitansi S-000042)."
    )
    payable = explanation(dewi, d.summary, "id", _, Destination(date(2026, 3, 2), False))
    assert "dana SHU bagian anggota" in payable[-1]
    english = explanation(dewi, d.summary, "en", translator("en"))
    assert len(english) == len(lines) and english != lines
