"""Collectibility from versioned data: the band edges (90/91, 180/181, 270/271 days past
due), the PPAP and RPM figures per class, and the data file's own checks."""

from __future__ import annotations

from datetime import date

import pytest

from backend.loans.collectibility import (
    CLASS_LABELS,
    all_rules,
    parse,
    rules_on,
    summarize,
)

TODAY = date(2026, 11, 29)


def test_band_edges() -> None:
    rules = rules_on(TODAY)
    assert rules.verify and rules.source and rules.recorded_on <= TODAY
    expected = {
        0: "lancar",
        90: "lancar",
        91: "kurang_lancar",
        180: "kurang_lancar",
        181: "diragukan",
        270: "diragukan",
        271: "macet",
        5_000: "macet",
    }
    assert {days: rules.classify(days).code for days in expected} == expected
    assert {b.code for b in rules.bands} == set(CLASS_LABELS)
    assert [b.label for b in rules.bands] == list(CLASS_LABELS.values())


def test_ppap_and_rpm_per_class() -> None:
    # lancar 10.000.000 (0,5% -> 50.000), kurang lancar 3.000.001 (10% -> 300.000,1 ->
    # 300.000; RPM 50% -> 1.500.000,5 -> 1.500.001), diragukan 2.000.000 (50% -> 1.000.000;
    # RPM 75% -> 1.500.000), macet 500.000 (100% both).
    loans = [(6_000_000, 0), (4_000_000, 90), (3_000_001, 91), (2_000_000, 270), (500_000, 271)]
    summary = summarize(rules_on(TODAY), TODAY, [*loans, (0, 400)])  # a paid loan: nothing
    by_class = {c.code: (c.loans, c.outstanding, c.ppap, c.rpm) for c in summary.classes}
    assert by_class == {
        "lancar": (2, 10_000_000, 50_000, 0),
        "kurang_lancar": (1, 3_000_001, 300_000, 1_500_001),
        "diragukan": (1, 2_000_000, 1_000_000, 1_500_000),
        "macet": (1, 500_000, 500_000, 500_000),
    }
    assert summary.ppap_required == 1_850_000
    assert summary.rpm == 3_500_001
    assert summary.outstanding == 15_500_001 and summary.loans == 5


def test_versions_and_checks() -> None:
    versions = all_rules()
    assert versions and rules_on(date(1990, 1, 1)) == versions[0]
    band = {"code": "lancar", "label": "Lancar", "ppap_bp": 50, "rpm_bp": 0}
    base = {"version": "x", "recorded_on": "2026-01-01", "source": "uji"}
    newer = parse(
        {
            "versions": [
                {**base, "valid_from": "2000-01-01", "bands": [{**band, "max_days": None}]},
                {
                    **base,
                    "version": "y",
                    "valid_from": "2027-01-01",
                    "bands": [
                        {**band, "max_days": 30},
                        {**band, "code": "macet", "max_days": None, "ppap_bp": 10_000},
                    ],
                },
            ]
        }
    )
    assert [r.version for r in newer] == ["x", "y"]
    for wrong in (
        [{**band, "max_days": 30}],  # no open-ended last band
        [{**band, "max_days": 60}, {**band, "max_days": 30}, {**band, "max_days": None}],
        [{**band, "max_days": None, "ppap_bp": 10_001}],
    ):
        with pytest.raises(ValueError):
            parse({"versions": [{**base, "valid_from": "2000-01-01", "bands": wrong}]})
