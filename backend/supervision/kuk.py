"""KUK — Klasifikasi Usaha Koperasi (Permenkop UKM 9/2020), pure.

Four classes; the criteria (active members, own capital, total assets) are joined with
"or": a koperasi is in the highest class that any single criterion reaches. Thresholds are
versioned data (`data/kuk_thresholds.json`, confidence "verify") per sector: savings-and-loan
(kind "ksp") or real sector (every other kind).

Boundary convention: a class starts at its lower bound, inclusive. With the real-sector
member bounds 5,000 / 9,000 / 35,000: 4,999 members is KUK 1, 5,000 is KUK 2, 8,999 is
KUK 2, 9,000 is KUK 3, 35,000 is KUK 4 (the table's "9,000–35,000" and "> 35,000" overlap
at 35,000; the lower-bound rule settles it the same way for every edge)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from functools import cache
from pathlib import Path
from typing import Any

from backend.texts import N_

DATA_FILE = Path(__file__).parent / "data" / "kuk_thresholds.json"
CLASSES = (1, 2, 3, 4)


class Sector(StrEnum):
    SEKTOR_RIIL = "sektor_riil"
    SIMPAN_PINJAM = "simpan_pinjam"

    @property
    def label(self) -> str:
        return {
            "sektor_riil": N_("Sektor riil"),
            "simpan_pinjam": N_("Simpan pinjam"),
        }[self.value]


class Criterion(StrEnum):
    MEMBERS = "members"
    OWN_CAPITAL = "own_capital"
    ASSETS = "assets"

    @property
    def label(self) -> str:
        return {
            "members": N_("Anggota aktif"),
            "own_capital": N_("Modal sendiri"),
            "assets": N_("Total aset"),
        }[self.value]

    @property
    def is_money(self) -> bool:
        return self is not Criterion.MEMBERS


def sector_of(koperasi_kind: str) -> Sector:
    """Savings-and-loan koperasi (kind "ksp") have their own thresholds."""
    return Sector.SIMPAN_PINJAM if koperasi_kind == "ksp" else Sector.SEKTOR_RIIL


@dataclass(frozen=True)
class ThresholdVersion:
    version: str
    valid_from: date
    recorded_on: date
    source: str
    confidence: str
    # sector -> criterion -> lower bounds of KUK 2, 3 and 4 (ascending)
    bounds: Mapping[Sector, Mapping[Criterion, tuple[int, int, int]]]


def parse(data: Mapping[str, Any]) -> list[ThresholdVersion]:
    """The versions in the data file, oldest first; refuses a file whose bounds are not
    three ascending whole numbers for every sector and criterion."""
    versions = []
    for raw in data["versions"]:
        bounds: dict[Sector, dict[Criterion, tuple[int, int, int]]] = {}
        for sector in Sector:
            per: dict[Criterion, tuple[int, int, int]] = {}
            for criterion in Criterion:
                values = raw["sectors"][sector.value][criterion.value]
                if (
                    len(values) != 3
                    or any(isinstance(v, bool) or not isinstance(v, int) or v <= 0 for v in values)
                    or not values[0] < values[1] < values[2]
                ):
                    raise ValueError(
                        f"KUK {raw['version']} {sector.value}.{criterion.value}: "
                        "three ascending whole numbers above zero expected"
                    )
                per[criterion] = (values[0], values[1], values[2])
            bounds[sector] = per
        versions.append(
            ThresholdVersion(
                version=str(raw["version"]),
                valid_from=date.fromisoformat(raw["valid_from"]),
                recorded_on=date.fromisoformat(raw["recorded_on"]),
                source=str(raw["source"]),
                confidence=str(raw["confidence"]),
                bounds=bounds,
            )
        )
    versions.sort(key=lambda v: v.valid_from)
    if not versions:
        raise ValueError("KUK thresholds: no version")
    return versions


@cache
def versions() -> tuple[ThresholdVersion, ...]:
    return tuple(parse(json.loads(DATA_FILE.read_text(encoding="utf-8"))))


def version_for(
    as_of: date, available: tuple[ThresholdVersion, ...] | None = None
) -> ThresholdVersion:
    """The version in force on `as_of` (the earliest one before any version starts)."""
    chosen = (available or versions())[0]
    for version in available or versions():
        if version.valid_from <= as_of:
            chosen = version
    return chosen


def class_of(value: int, bounds: tuple[int, int, int]) -> int:
    """1 + the number of lower bounds reached (lower bound inclusive)."""
    return 1 + sum(1 for bound in bounds if value >= bound)


@dataclass(frozen=True)
class KukInputs:
    members: int  # active members
    own_capital: int  # modal sendiri, whole rupiah
    assets: int  # total aset, whole rupiah

    def value(self, criterion: Criterion) -> int:
        return {
            Criterion.MEMBERS: self.members,
            Criterion.OWN_CAPITAL: self.own_capital,
            Criterion.ASSETS: self.assets,
        }[criterion]


@dataclass(frozen=True)
class CriterionResult:
    criterion: Criterion
    value: int
    kuk_class: int
    lower_bound: int | None  # where this class starts (None for KUK 1)
    next_bound: int | None  # where the next class starts (None for KUK 4)


@dataclass(frozen=True)
class KukResult:
    kuk_class: int
    sector: Sector
    decided_by: list[Criterion]  # every criterion that reaches the class (first decides)
    criteria: list[CriterionResult]
    inputs: KukInputs
    version: str
    valid_from: date
    source: str
    confidence: str


def classify(inputs: KukInputs, sector: Sector, version: ThresholdVersion) -> KukResult:
    results = []
    for criterion in Criterion:
        bounds = version.bounds[sector][criterion]
        value = inputs.value(criterion)
        kuk_class = class_of(value, bounds)
        results.append(
            CriterionResult(
                criterion=criterion,
                value=value,
                kuk_class=kuk_class,
                lower_bound=bounds[kuk_class - 2] if kuk_class > 1 else None,
                next_bound=bounds[kuk_class - 1] if kuk_class < 4 else None,
            )
        )
    top = max(r.kuk_class for r in results)
    return KukResult(
        kuk_class=top,
        sector=sector,
        decided_by=[r.criterion for r in results if r.kuk_class == top],
        criteria=results,
        inputs=inputs,
        version=version.version,
        valid_from=version.valid_from,
        source=version.source,
        confidence=version.confidence,
    )
