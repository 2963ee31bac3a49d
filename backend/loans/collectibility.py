"""Collectibility (kolektibilitas) of loans and the loan-loss reserve (PPAP) it calls for,
from versioned data (`collectibility.json`: day bands, PPAP rates and RPM weights with
their source and date, marked "verify" as DOMAIN.md asks), never from literals in code.

Pure: the service feeds it each loan's outstanding principal and days past due."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import cache
from pathlib import Path

from backend.loans.domain import BP, to_rupiah
from backend.texts import N_

DATA_FILE = Path(__file__).with_name("collectibility.json")

# The labels of the class codes the data may use, for the translation catalog.
CLASS_LABELS = {
    "lancar": N_("Lancar"),
    "kurang_lancar": N_("Kurang lancar"),
    "diragukan": N_("Diragukan"),
    "macet": N_("Macet"),
}


@dataclass(frozen=True)
class Band:
    code: str
    label: str
    max_days: int | None  # None: everything beyond the previous band
    ppap_bp: int  # reserve required, of the outstanding principal
    rpm_bp: int  # weight in RPM (risky loans)


@dataclass(frozen=True)
class Rules:
    version: str
    valid_from: date
    recorded_on: date
    source: str
    verify: bool
    bands: tuple[Band, ...]

    def classify(self, days_past_due: int) -> Band:
        """The class of a loan whose oldest unpaid installment is `days_past_due` days
        late (a band holds the days up to and including its `max_days`)."""
        for band in self.bands:
            if band.max_days is None or days_past_due <= band.max_days:
                return band
        return self.bands[-1]


def _check(rules: Rules) -> Rules:
    limits = [b.max_days for b in rules.bands]
    if not rules.bands or limits[-1] is not None or None in limits[:-1]:
        raise ValueError(f"collectibility {rules.version}: only the last band is open-ended")
    bounded = [d for d in limits if d is not None]
    if bounded != sorted(set(bounded)) or (bounded and bounded[0] < 0):
        raise ValueError(f"collectibility {rules.version}: day limits must rise")
    for band in rules.bands:
        if not 0 <= band.ppap_bp <= 10_000 or not 0 <= band.rpm_bp <= 10_000:
            raise ValueError(f"collectibility {rules.version}: rates are 0..10000 bp")
    return rules


def parse(document: dict[str, object]) -> tuple[Rules, ...]:
    versions = []
    for raw in document["versions"]:  # type: ignore[attr-defined]
        versions.append(
            _check(
                Rules(
                    version=str(raw["version"]),
                    valid_from=date.fromisoformat(raw["valid_from"]),
                    recorded_on=date.fromisoformat(raw["recorded_on"]),
                    source=str(raw["source"]),
                    verify=bool(raw.get("verify", False)),
                    bands=tuple(
                        Band(
                            code=str(b["code"]),
                            label=str(b["label"]),
                            max_days=None if b["max_days"] is None else int(b["max_days"]),
                            ppap_bp=int(b["ppap_bp"]),
                            rpm_bp=int(b["rpm_bp"]),
                        )
                        for b in raw["bands"]
                    ),
                )
            )
        )
    return tuple(sorted(versions, key=lambda r: r.valid_from))


@cache
def all_rules() -> tuple[Rules, ...]:
    return parse(json.loads(DATA_FILE.read_text(encoding="utf-8")))


def rules_on(day: date) -> Rules:
    """The version in force on `day` (the earliest one for days before any)."""
    versions = all_rules()
    current = versions[0]
    for rules in versions:
        if rules.valid_from <= day:
            current = rules
    return current


@dataclass(frozen=True)
class ClassTotal:
    code: str
    label: str
    loans: int
    outstanding: int
    ppap_bp: int
    ppap: int  # reserve required for this class
    rpm_bp: int
    rpm: int  # this class's part of RPM


@dataclass(frozen=True)
class Summary:
    as_of: date
    rules_version: str
    rules_source: str
    rules_verify: bool
    classes: list[ClassTotal]
    loans: int
    outstanding: int
    ppap_required: int
    rpm: int


def summarize(rules: Rules, as_of: date, loans: Iterable[tuple[int, int]]) -> Summary:
    """Outstanding principal per class of `loans` ((outstanding, days past due) pairs),
    the PPAP each class requires and its part of RPM, each rounded half up per class."""
    totals = {band.code: [0, 0] for band in rules.bands}
    for outstanding, days in loans:
        if outstanding <= 0:
            continue
        band = rules.classify(days)
        totals[band.code][0] += 1
        totals[band.code][1] += outstanding
    classes = [
        ClassTotal(
            code=band.code,
            label=band.label,
            loans=totals[band.code][0],
            outstanding=totals[band.code][1],
            ppap_bp=band.ppap_bp,
            ppap=to_rupiah(Decimal(totals[band.code][1]) * band.ppap_bp / BP),
            rpm_bp=band.rpm_bp,
            rpm=to_rupiah(Decimal(totals[band.code][1]) * band.rpm_bp / BP),
        )
        for band in rules.bands
    ]
    return Summary(
        as_of=as_of,
        rules_version=rules.version,
        rules_source=rules.source,
        rules_verify=rules.verify,
        classes=classes,
        loans=sum(c.loans for c in classes),
        outstanding=sum(c.outstanding for c in classes),
        ppap_required=sum(c.ppap for c in classes),
        rpm=sum(c.rpm for c in classes),
    )
