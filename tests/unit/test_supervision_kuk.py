"""KUK (Klasifikasi Usaha Koperasi) at every threshold edge of both sectors: one below a
class's lower bound stays in the class below, the bound itself is the higher class; the
class is the highest any single criterion reaches; thresholds are versioned data."""

from __future__ import annotations

import copy
import json
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from backend.supervision.kuk import (
    DATA_FILE,
    Criterion,
    KukInputs,
    Sector,
    class_of,
    classify,
    parse,
    sector_of,
    version_for,
    versions,
)

TODAY = date(2026, 11, 29)
JUTA = 1_000_000
MILIAR = 1_000_000_000

# The table of DOMAIN.md, as lower bounds of KUK 2, 3 and 4.
EXPECTED = {
    Sector.SEKTOR_RIIL: {
        Criterion.MEMBERS: (5_000, 9_000, 35_000),
        Criterion.OWN_CAPITAL: (250 * JUTA, 15 * MILIAR, 40 * MILIAR),
        Criterion.ASSETS: (2_500 * JUTA, 100 * MILIAR, 500 * MILIAR),
    },
    Sector.SIMPAN_PINJAM: {
        Criterion.MEMBERS: (5_000, 10_000, 30_000),
        Criterion.OWN_CAPITAL: (2_500 * JUTA, 15 * MILIAR, 50 * MILIAR),
        Criterion.ASSETS: (15 * MILIAR, 100 * MILIAR, 500 * MILIAR),
    },
}

EDGES = [
    (sector, criterion, kuk, bound)
    for sector, criteria in EXPECTED.items()
    for criterion, bounds in criteria.items()
    for kuk, bound in zip((2, 3, 4), bounds, strict=True)
]


def only(criterion: Criterion, value: int) -> KukInputs:
    """Inputs where only `criterion` is non-zero."""
    return KukInputs(
        members=value if criterion is Criterion.MEMBERS else 0,
        own_capital=value if criterion is Criterion.OWN_CAPITAL else 0,
        assets=value if criterion is Criterion.ASSETS else 0,
    )


def test_the_data_file_holds_the_domain_table() -> None:
    current = version_for(TODAY)
    assert current.confidence == "verify"
    assert current.source and current.version
    for sector, criteria in EXPECTED.items():
        for criterion, bounds in criteria.items():
            assert current.bounds[sector][criterion] == bounds


@pytest.mark.parametrize(
    ("sector", "criterion", "kuk", "bound"),
    EDGES,
    ids=[f"{s.value}-{c.value}-kuk{k}" for s, c, k, _ in EDGES],
)
def test_each_edge(sector: Sector, criterion: Criterion, kuk: int, bound: int) -> None:
    current = version_for(TODAY)
    below = classify(only(criterion, bound - 1), sector, current)
    at = classify(only(criterion, bound), sector, current)
    above = classify(only(criterion, bound + 1), sector, current)
    assert below.kuk_class == kuk - 1
    assert at.kuk_class == kuk  # the lower bound belongs to the higher class
    assert above.kuk_class == kuk
    result = next(r for r in at.criteria if r.criterion is criterion)
    assert result.lower_bound == bound
    assert at.decided_by[0] is criterion


def test_the_examples_of_the_convention() -> None:
    current = version_for(TODAY)
    riil = Sector.SEKTOR_RIIL
    assert classify(KukInputs(4_999, 0, 0), riil, current).kuk_class == 1
    assert classify(KukInputs(5_000, 0, 0), riil, current).kuk_class == 2
    # The table says "9,000–35,000" for KUK 3 and "> 35,000" for KUK 4: 35,000 is KUK 4.
    assert classify(KukInputs(34_999, 0, 0), riil, current).kuk_class == 3
    assert classify(KukInputs(35_000, 0, 0), riil, current).kuk_class == 4


def test_the_highest_class_of_any_criterion_decides() -> None:
    current = version_for(TODAY)
    # 36 members (KUK 1), own capital Rp 300 juta (KUK 2), assets Rp 120 miliar (KUK 3).
    result = classify(KukInputs(36, 300 * JUTA, 120 * MILIAR), Sector.SEKTOR_RIIL, current)
    assert result.kuk_class == 3
    assert result.decided_by == [Criterion.ASSETS]
    assert [r.kuk_class for r in result.criteria] == [1, 2, 3]
    assets = result.criteria[2]
    assert (assets.lower_bound, assets.next_bound) == (100 * MILIAR, 500 * MILIAR)
    # The same figures for a savings-and-loan koperasi: own capital is only KUK 1 there.
    ksp = classify(KukInputs(36, 300 * JUTA, 120 * MILIAR), Sector.SIMPAN_PINJAM, current)
    assert [r.kuk_class for r in ksp.criteria] == [1, 1, 3]
    assert ksp.kuk_class == 3


def test_ties_name_every_criterion_that_reaches_the_class() -> None:
    result = classify(KukInputs(10, 10, 10), Sector.SEKTOR_RIIL, version_for(TODAY))
    assert result.kuk_class == 1
    assert result.decided_by == list(Criterion)
    top = classify(KukInputs(40_000, 50 * MILIAR, 600 * MILIAR), Sector.SEKTOR_RIIL, versions()[0])
    assert top.kuk_class == 4 and top.decided_by == list(Criterion)
    assert all(r.next_bound is None for r in top.criteria)


def test_negative_own_capital_is_the_lowest_class() -> None:
    result = classify(KukInputs(0, -5 * JUTA, 0), Sector.SEKTOR_RIIL, version_for(TODAY))
    assert result.criteria[1].kuk_class == 1 and result.criteria[1].lower_bound is None


def test_sector_follows_the_kind() -> None:
    assert sector_of("ksp") is Sector.SIMPAN_PINJAM
    for kind in ("ksu", "konsumen", "produsen", "pemasaran", "jasa", "wanita"):
        assert sector_of(kind) is Sector.SEKTOR_RIIL


@given(value=st.integers(min_value=-(10**15), max_value=10**15))
def test_class_of_is_one_plus_the_bounds_reached(value: int) -> None:
    bounds = (5_000, 9_000, 35_000)
    expected = 1 if value < 5_000 else 2 if value < 9_000 else 3 if value < 35_000 else 4
    assert class_of(value, bounds) == expected


def test_versions_apply_from_their_date() -> None:
    data = json.loads(DATA_FILE.read_text(encoding="utf-8"))
    newer = copy.deepcopy(data["versions"][0])
    newer["version"] = "uji-2030"
    newer["valid_from"] = "2030-01-01"
    newer["sectors"]["sektor_riil"]["members"] = [6_000, 9_000, 35_000]
    parsed = tuple(parse({"versions": [newer, data["versions"][0]]}))
    assert [v.version for v in parsed] == [data["versions"][0]["version"], "uji-2030"]
    assert version_for(date(2029, 12, 31), parsed).version != "uji-2030"
    assert version_for(date(2030, 1, 1), parsed).version == "uji-2030"
    assert version_for(date(1990, 1, 1), parsed) is parsed[0]  # before any: the earliest
    result = classify(KukInputs(5_500, 0, 0), Sector.SEKTOR_RIIL, parsed[1])
    assert result.kuk_class == 1 and result.version == "uji-2030"


@pytest.mark.parametrize(
    "bad", [[5_000, 5_000, 35_000], [5_000, 9_000], [0, 9_000, 35_000], [5_000, 9_000, 35_000.5]]
)
def test_bounds_must_be_three_ascending_whole_numbers(bad: list[object]) -> None:
    data = json.loads(DATA_FILE.read_text(encoding="utf-8"))
    data["versions"][0]["sectors"]["simpan_pinjam"]["members"] = bad
    with pytest.raises(ValueError, match="ascending"):
        parse(data)
