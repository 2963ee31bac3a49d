"""The health-assessment rule sets: loaded from `backend/health/data/*.json` and checked
hard, so that a mistyped band or weight stops the app at start-up (and the test suite)
instead of scoring koperasi wrongly.

Checks: known method, texts in both languages, unique codes; band tables that start at 0,
run without gaps (each band's min is the previous band's max) and end open (max null), with
nilai the method allows; weights that add up (aspects to 100; a weighted aspect's
indicators to the aspect; a weighted checklist's items × credit to its weight); every
figure a ratio names is defined, every figure's source well formed; categories from high
to low ending at 0. Numbers are read as `Decimal` (never float)."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

from backend.health.domain import (
    HUNDRED,
    Aspect,
    Atmr,
    AtmrWeight,
    Band,
    BandTable,
    Category,
    ChecklistItem,
    Closed,
    Confidence,
    FigureSource,
    FigureSpec,
    FigureTerm,
    Indicator,
    IndicatorKind,
    LoanMeasure,
    Method,
    Scheme,
    Term,
    Text,
)

DATA_DIR = Path(__file__).with_name("data")
ACCOUNT_CODE = re.compile(r"^[1-5]-\d{2,8}$")
SCHEME_ID = re.compile(r"^[a-z0-9][a-z0-9-]{1,39}$")
CODE = re.compile(r"^[a-z][a-z0-9_]{0,59}$")
TOTALS = ("aset", "kewajiban", "ekuitas", "pendapatan", "beban")
SPECIALS = ("surplus",)
BALANCE_TOTALS = ("aset", "kewajiban", "ekuitas")
FLOW_TOTALS = ("pendapatan", "beban")


class RulesError(ValueError):
    """A rule-set file that must not be used."""


def _fail(where: str, message: str) -> RulesError:
    return RulesError(f"{where}: {message}")


def _obj(value: Any, where: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise _fail(where, "must be an object")
    return value


def _list(value: Any, where: str, *, empty: bool = False) -> list[Any]:
    if not isinstance(value, list) or (not value and not empty):
        raise _fail(where, "must be a non-empty list" if not empty else "must be a list")
    return value


def _str(value: Any, where: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise _fail(where, "must be a non-empty text")
    return value


def _code(value: Any, where: str) -> str:
    text = _str(value, where)
    if not CODE.match(text):
        raise _fail(where, f"code {text!r} must be lower case letters, digits and _")
    return text


def _number(value: Any, where: str) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, int | Decimal):
        raise _fail(where, "must be a number")
    return Decimal(value)


def _text(value: Any, where: str) -> Text:
    data = _obj(value, where)
    return Text(id=_str(data.get("id"), f"{where}.id"), en=_str(data.get("en"), f"{where}.en"))


def _date(value: Any, where: str) -> date:
    try:
        return date.fromisoformat(_str(value, where))
    except ValueError as exc:
        raise _fail(where, "must be a date YYYY-MM-DD") from exc


def _confidence(value: Any, where: str) -> Confidence:
    try:
        return Confidence(value)
    except ValueError as exc:
        raise _fail(where, "confidence must be high, medium or low") from exc


def band_table(value: Any, where: str, allowed: set[Decimal] | None = None) -> BandTable:
    """A band table `{"closed": "lower"|"upper", "table": [[min, max, nilai], …]}` that
    covers 0..∞ without gaps."""
    data = _obj(value, where)
    try:
        closed = Closed(str(data.get("closed")))
    except ValueError as exc:
        raise _fail(where, "closed must be 'lower' or 'upper'") from exc
    rows = _list(data.get("table"), f"{where}.table")
    bands: list[Band] = []
    for i, row in enumerate(rows):
        at = f"{where}.table[{i}]"
        if not isinstance(row, list) or len(row) != 3:
            raise _fail(at, "a band is [min, max, nilai]")
        low = _number(row[0], at)
        high = None if row[1] is None else _number(row[1], at)
        nilai = _number(row[2], at)
        if i == 0 and low != 0:
            raise _fail(at, "the first band must start at 0")
        if i > 0:
            previous = bands[-1].high
            if previous is None:
                raise _fail(at, "only the last band may be open-ended (max null)")
            if low != previous:
                raise _fail(at, f"gap or overlap: starts at {low}, previous ends at {previous}")
        if high is not None:
            # A band must hold something: only the first band of an upper-closed table may
            # be a single point (e.g. [0, 0]: exactly zero).
            single_point_ok = i == 0 and closed is Closed.UPPER
            if high < low or (high == low and not single_point_ok):
                raise _fail(at, "max must be above min")
        if allowed is not None and nilai not in allowed:
            raise _fail(at, f"nilai {nilai} is not one of {sorted(allowed)}")
        bands.append(Band(low=low, high=high, nilai=nilai))
    if bands[-1].high is not None:
        raise _fail(where, "the last band must be open-ended (max null): bands must reach ∞")
    return BandTable(closed=closed, bands=tuple(bands))


def _figure_term(value: Any, where: str, source: FigureSource) -> FigureTerm:
    data = _obj(value, where)
    factor = _number(data.get("factor", 1), f"{where}.factor")
    keys = [k for k in ("accounts", "total", "special") if k in data]
    if len(keys) != 1:
        raise _fail(where, "a term has exactly one of accounts, total, special")
    if "accounts" in data:
        codes = _list(data["accounts"], f"{where}.accounts")
        for code in codes:
            if not isinstance(code, str) or not ACCOUNT_CODE.match(code):
                raise _fail(where, f"{code!r} is not an account code like 1-1100")
        return FigureTerm(accounts=tuple(codes), factor=factor)
    if "total" in data:
        total = data["total"]
        allowed = BALANCE_TOTALS if source is FigureSource.BALANCE else FLOW_TOTALS
        if total not in allowed:
            raise _fail(where, f"total must be one of {allowed} for a {source.value} figure")
        return FigureTerm(total=total, factor=factor)
    if data["special"] not in SPECIALS:
        raise _fail(where, f"special must be one of {SPECIALS}")
    return FigureTerm(special=data["special"], factor=factor)


def _figure(code: str, value: Any, where: str) -> FigureSpec:
    data = _obj(value, where)
    try:
        source = FigureSource(str(data.get("source")))
    except ValueError as exc:
        raise _fail(where, f"source must be one of {[s.value for s in FigureSource]}") from exc
    terms: tuple[FigureTerm, ...] = ()
    measure = None
    if source in (FigureSource.BALANCE, FigureSource.FLOW):
        terms = tuple(
            _figure_term(t, f"{where}.terms[{i}]", source)
            for i, t in enumerate(_list(data.get("terms"), f"{where}.terms"))
        )
    elif "terms" in data:
        raise _fail(where, f"a {source.value} figure has no terms")
    if source is FigureSource.LOANS:
        try:
            measure = LoanMeasure(str(data.get("measure")))
        except ValueError as exc:
            raise _fail(where, f"measure must be one of {[m.value for m in LoanMeasure]}") from exc
    years_before = data.get("years_before", 0)
    if years_before not in (0, 1) or (years_before and source is not FigureSource.BALANCE):
        raise _fail(where, "years_before is 0 or 1, and only for balance figures")
    member_share = data.get("member_share", False)
    if not isinstance(member_share, bool) or (member_share and source is not FigureSource.FLOW):
        raise _fail(where, "member_share is true or false, and only for flow figures")
    return FigureSpec(
        code=code,
        label=_text(data.get("label"), f"{where}.label"),
        source=source,
        record=_text(data.get("record"), f"{where}.record"),
        terms=terms,
        measure=measure,
        years_before=int(years_before),
        member_share=member_share,
    )


def _terms(value: Any, where: str, figures: Mapping[str, FigureSpec]) -> tuple[Term, ...]:
    terms = []
    for i, raw in enumerate(_list(value, where)):
        data = _obj(raw, f"{where}[{i}]")
        figure = _str(data.get("figure"), f"{where}[{i}].figure")
        if figure not in figures:
            raise _fail(f"{where}[{i}]", f"figure {figure!r} is not defined in figures")
        terms.append(Term(figure=figure, factor=_number(data.get("factor", 1), f"{where}[{i}]")))
    return tuple(terms)


def _indicator(
    value: Any,
    where: str,
    aspect: str,
    method: Method,
    figures: Mapping[str, FigureSpec],
    nilai_allowed: set[Decimal] | None,
) -> Indicator:
    data = _obj(value, where)
    code = _code(data.get("code"), f"{where}.code")
    try:
        kind = IndicatorKind(str(data.get("kind")))
    except ValueError as exc:
        raise _fail(where, "kind must be 'ratio' or 'checklist'") from exc
    weight = Decimal(0)
    if method is Method.WEIGHTED:
        weight = _number(data.get("weight"), f"{where}.weight")
        if weight <= 0:
            raise _fail(where, "weight must be above 0")
    elif "weight" in data:
        raise _fail(where, "indicators of a rating scheme have no weight of their own")
    common: dict[str, Any] = {
        "code": code,
        "aspect": aspect,
        "label": _text(data.get("label"), f"{where}.label"),
        "kind": kind,
        "confidence": _confidence(data.get("confidence"), f"{where}.confidence"),
        "hint": _text(data.get("hint"), f"{where}.hint"),
        "weight": weight,
        "group": _text(data["group"], f"{where}.group") if "group" in data else None,
        "note": _text(data["note"], f"{where}.note") if "note" in data else None,
    }
    if kind is IndicatorKind.RATIO:
        return Indicator(
            **common,
            numerator=_terms(data.get("numerator"), f"{where}.numerator", figures),
            denominator=_terms(data.get("denominator"), f"{where}.denominator", figures),
            bands=band_table(data.get("bands"), f"{where}.bands", nilai_allowed),
        )
    items = []
    for i, raw in enumerate(_list(data.get("items"), f"{where}.items")):
        item = _obj(raw, f"{where}.items[{i}]")
        items.append(
            ChecklistItem(
                code=_code(item.get("code"), f"{where}.items[{i}].code"),
                text=_text(item.get("text"), f"{where}.items[{i}].text"),
            )
        )
    credit = Decimal(0)
    if method is Method.WEIGHTED:
        credit = _number(data.get("credit"), f"{where}.credit")
        if credit * len(items) != weight:
            raise _fail(where, f"{len(items)} items × credit {credit} must equal weight {weight}")
    return Indicator(**common, items=tuple(items), credit=credit)


def parse(document: Mapping[str, Any], name: str = "rules") -> Scheme:
    """A validated scheme from a parsed data file (numbers as int or Decimal)."""
    doc = _obj(document, name)
    try:
        method = Method(str(doc.get("method")))
    except ValueError as exc:
        raise _fail(name, "method must be 'weighted' or 'rating'") from exc
    skor_of_nilai: dict[Decimal, Decimal] = {}
    checklist_bands = None
    nilai_allowed: set[Decimal] | None = None
    if method is Method.RATING:
        raw = _obj(doc.get("skor_of_nilai"), f"{name}.skor_of_nilai")
        try:
            skor_of_nilai = {Decimal(k): _number(v, name) for k, v in raw.items()}
        except ArithmeticError as exc:
            raise _fail(name, "skor_of_nilai keys must be numbers") from exc
        if not skor_of_nilai:
            raise _fail(name, "skor_of_nilai is empty")
        nilai_allowed = set(skor_of_nilai)
        checklist_bands = band_table(
            doc.get("checklist_bands"), f"{name}.checklist_bands", nilai_allowed
        )
    else:
        nilai_allowed = None  # 0..100, checked below
    figures = {
        _code(code, f"{name}.figures"): _figure(code, spec, f"{name}.figures.{code}")
        for code, spec in _obj(doc.get("figures"), f"{name}.figures").items()
    }
    loan_accounts = tuple(_list(doc.get("loan_accounts"), f"{name}.loan_accounts"))
    for code in loan_accounts:
        if not isinstance(code, str) or not ACCOUNT_CODE.match(code):
            raise _fail(f"{name}.loan_accounts", f"{code!r} is not an account code")
    atmr_data = _obj(doc.get("atmr"), f"{name}.atmr")
    weights = _list(atmr_data.get("weights"), f"{name}.atmr.weights", empty=True)
    atmr = Atmr(
        default_weight_bp=_weight_bp(atmr_data.get("default_weight_bp"), f"{name}.atmr"),
        weights=tuple(
            AtmrWeight(
                account=_account(w.get("account"), f"{name}.atmr.weights[{i}]"),
                weight_bp=_weight_bp(w.get("weight_bp"), f"{name}.atmr.weights[{i}]"),
            )
            for i, w in enumerate(weights)
        ),
        confidence=_confidence(atmr_data.get("confidence"), f"{name}.atmr.confidence"),
        note=_text(atmr_data["note"], f"{name}.atmr.note") if "note" in atmr_data else None,
    )
    aspects = []
    for i, raw in enumerate(_list(doc.get("aspects"), f"{name}.aspects")):
        where = f"{name}.aspects[{i}]"
        data = _obj(raw, where)
        code = _code(data.get("code"), f"{where}.code")
        weight = _number(data.get("weight"), f"{where}.weight")
        indicators = tuple(
            _indicator(ind, f"{where}.indicators[{j}]", code, method, figures, nilai_allowed)
            for j, ind in enumerate(_list(data.get("indicators"), f"{where}.indicators"))
        )
        if method is Method.WEIGHTED:
            inner = sum((ind.weight for ind in indicators), Decimal(0))
            if inner != weight:
                raise _fail(where, f"indicator weights add up to {inner}, not {weight}")
            for ind in indicators:
                if ind.bands and any(not 0 <= b.nilai <= HUNDRED for b in ind.bands.bands):
                    raise _fail(where, f"{ind.code}: nilai must be 0..100")
        aspects.append(
            Aspect(
                code=code,
                label=_text(data.get("label"), f"{where}.label"),
                weight=weight,
                indicators=indicators,
                confidence=_confidence(data.get("confidence", "high"), f"{where}.confidence"),
            )
        )
    total = sum((a.weight for a in aspects), Decimal(0))
    if total != HUNDRED:
        raise _fail(name, f"aspect weights add up to {total}, not 100")
    _unique([a.code for a in aspects], f"{name}: aspect")
    indicator_codes = [i.code for a in aspects for i in a.indicators]
    _unique(indicator_codes, f"{name}: indicator")
    _unique([it.code for a in aspects for i in a.indicators for it in i.items], f"{name}: item")
    categories = []
    for i, raw in enumerate(_list(doc.get("categories"), f"{name}.categories")):
        data = _obj(raw, f"{name}.categories[{i}]")
        categories.append(
            Category(
                code=_code(data.get("code"), f"{name}.categories[{i}].code"),
                label=_text(data.get("label"), f"{name}.categories[{i}].label"),
                min=_number(data.get("min"), f"{name}.categories[{i}].min"),
            )
        )
    mins = [c.min for c in categories]
    if mins != sorted(set(mins), reverse=True) or mins[-1] != 0 or mins[0] > HUNDRED:
        raise _fail(name, "categories must go from the highest min down to min 0")
    return Scheme(
        id=_scheme_id(doc.get("scheme"), f"{name}.scheme"),
        version=_str(doc.get("version"), f"{name}.version"),
        valid_from=_date(doc.get("valid_from"), f"{name}.valid_from"),
        recorded_on=_date(doc.get("recorded_on"), f"{name}.recorded_on"),
        name=_text(doc.get("name"), f"{name}.name"),
        short_name=_text(doc.get("short_name"), f"{name}.short_name"),
        source=_str(doc.get("source"), f"{name}.source"),
        method=method,
        aspects=tuple(aspects),
        categories=tuple(categories),
        figures=figures,
        atmr=atmr,
        loan_accounts=loan_accounts,
        categories_confidence=_confidence(
            doc.get("categories_confidence"), f"{name}.categories_confidence"
        ),
        weights_confidence=_confidence(doc.get("weights_confidence"), f"{name}.weights_confidence"),
        skor_of_nilai=skor_of_nilai,
        checklist_bands=checklist_bands,
    )


def _scheme_id(value: Any, where: str) -> str:
    text = _str(value, where)
    if not SCHEME_ID.match(text):
        raise _fail(where, f"scheme id {text!r} must be lower case letters, digits and -")
    return text


def _account(value: Any, where: str) -> str:
    if not isinstance(value, str) or not ACCOUNT_CODE.match(value):
        raise _fail(where, f"{value!r} is not an account code like 1-1100")
    return value


def _weight_bp(value: Any, where: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 10_000:
        raise _fail(where, "a weight is whole basis points 0..10000")
    return value


def _unique(codes: list[str], what: str) -> None:
    seen: set[str] = set()
    for code in codes:
        if code in seen:
            raise RulesError(f"{what} code {code!r} is used twice")
        seen.add(code)


def load_file(path: Path) -> Scheme:
    """Read and validate one data file (numbers as Decimal)."""
    try:
        document = json.loads(path.read_text(encoding="utf-8"), parse_float=Decimal)
    except json.JSONDecodeError as exc:
        raise RulesError(f"{path.name}: not valid JSON: {exc}") from exc
    return parse(document, path.name)


@cache
def all_schemes() -> tuple[Scheme, ...]:
    """Every rule set in the data folder, by scheme then version date. Raises `RulesError`
    when any file is wrong or two files claim the same scheme and version."""
    schemes = [load_file(path) for path in sorted(DATA_DIR.glob("*.json"))]
    if not schemes:
        raise RulesError(f"no rule sets in {DATA_DIR}")
    _unique([f"{s.id}@{s.version}" for s in schemes], "scheme version")
    return tuple(sorted(schemes, key=lambda s: (s.id, s.valid_from, s.version)))


def scheme_ids() -> list[str]:
    seen: dict[str, None] = {}
    for scheme in all_schemes():
        seen.setdefault(scheme.id, None)
    return list(seen)


def scheme_on(scheme_id: str, day: date) -> Scheme | None:
    """The version of `scheme_id` in force on `day` (None: unknown, or not yet in force)."""
    found = None
    for scheme in all_schemes():
        if scheme.id == scheme_id and scheme.valid_from <= day:
            found = scheme
    return found


def scheme_version(scheme_id: str, version: str) -> Scheme | None:
    for scheme in all_schemes():
        if scheme.id == scheme_id and scheme.version == version:
            return scheme
    return None


def current_schemes(day: date) -> list[Scheme]:
    """The version of every scheme in force on `day` (for the "start" form)."""
    return [s for s in (scheme_on(i, day) for i in scheme_ids()) if s is not None]
