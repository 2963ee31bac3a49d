"""Health assessment (penilaian kesehatan) rules and scoring: pure, no ORM, no HTTP.

A *scheme* is a versioned rule set loaded from `backend/health/data/*.json` by
`backend.health.rules`: aspects with weights, indicators (ratios with band tables, or
checklists), the figures each ratio is computed from (and which ledger accounts make them),
the final categories. Two methods:

- ``weighted`` (the 2016 ratio scheme): ratio (%) → nilai through the band table → skor =
  nilai × weight / 100; a checklist earns its credit per "ya" (skor = met × credit); aspect
  score = Σ skor; total = Σ aspects (0–100).
- ``rating`` (the 2021 KKPKK scheme): a ratio's band gives nilai 1 (best) to 4, a checklist's
  share met gives nilai through the scheme's checklist bands; skor = the scheme's
  `skor_of_nilai` (nilai 1 → skor 4 … nilai 4 → skor 1); aspect score = Σ skor ÷
  (indicators × 4) × 100 × aspect weight / 100; total = Σ aspects.

Arithmetic is `Decimal` throughout. A ratio is rounded half up to two decimals *before* it
is looked up, so the shown ratio and its band always agree; skor and aspect scores are kept
exact; the total is rounded half up to two decimals and the category is read from the
rounded total. An indicator whose figures are missing (or whose denominator is zero) scores
0 and says what to record."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from typing import Any

from babel.numbers import format_decimal

from backend.formatting import long_date, rupiah
from backend.texts import N_

Translate = Callable[..., str]

HUNDRED = Decimal(100)
CENT = Decimal("0.01")
FULL_BP = 10_000


def round2(value: Decimal) -> Decimal:
    """Half up to two decimals: how every ratio and score is shown."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def to_rupiah(value: Decimal) -> int:
    """Whole rupiah, half up (a figure × a factor such as 50%)."""
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))


# Numbers are written the Indonesian way in every UI language, like rupiah amounts
# (backend/formatting.py): a figure reads the same to everyone who discusses it.
NUMBER_LOCALE = "id_ID"


def percent_text(value: Decimal, language: str = "id") -> str:
    """`12.5` -> `12,50%`."""
    del language
    return format_decimal(round2(value), format="#,##0.00", locale=NUMBER_LOCALE) + "%"


def share_text(value: Decimal, language: str = "id") -> str:
    """A rate without needless decimals: `50` -> `50%`, `12.5` -> `12,5%`."""
    del language
    return format_decimal(value, format="#,##0.##", locale=NUMBER_LOCALE) + "%"


def number_text(value: Decimal) -> str:
    """`15` -> `15`, `0.25` -> `0,25` (no needless decimals)."""
    return format_decimal(value, format="#,##0.##", locale=NUMBER_LOCALE)


def score_text(value: Decimal, language: str = "id") -> str:
    """`75.9` -> `75,90`."""
    del language
    return format_decimal(round2(value), format="#,##0.00", locale=NUMBER_LOCALE)


# --- the rule set ---------------------------------------------------------------------


class Confidence(StrEnum):
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"


class Method(StrEnum):
    WEIGHTED = "weighted"
    RATING = "rating"


class Closed(StrEnum):
    """Which edge a band holds (see the data files' `band_edges`)."""

    LOWER = "lower"  # min <= ratio < max
    UPPER = "upper"  # min < ratio <= max (the first band also holds its min)


class FigureSource(StrEnum):
    BALANCE = "balance"  # neraca balances on a day
    FLOW = "flow"  # PHU movements over the assessment's year
    LOANS = "loans"  # the loan register (collectibility, RPM, disbursements)
    ATMR = "atmr"  # assets × risk weights
    MANUAL = "manual"  # never in the books: entered by pengurus or Dinas


class LoanMeasure(StrEnum):
    OUTSTANDING = "outstanding"
    RISKY = "risky"
    RPM = "rpm"
    DISBURSED = "disbursed"


@dataclass(frozen=True)
class Text:
    """A text of the rule set in both UI languages."""

    id: str
    en: str

    def in_(self, language: str) -> str:
        return self.en if language == "en" else self.id


@dataclass(frozen=True)
class Band:
    low: Decimal
    high: Decimal | None  # None: no upper end
    nilai: Decimal


@dataclass(frozen=True)
class BandTable:
    closed: Closed
    bands: tuple[Band, ...]

    def index_of(self, ratio: Decimal) -> int:
        """The band holding `ratio` (already rounded): below the first band's min is the
        first band; the last band has no upper end."""
        for i, band in enumerate(self.bands):
            if band.high is None:
                return i
            if self.closed is Closed.LOWER and ratio < band.high:
                return i
            if self.closed is Closed.UPPER and ratio <= band.high:
                return i
        return len(self.bands) - 1

    def nilai(self, ratio: Decimal) -> Decimal:
        return self.bands[self.index_of(ratio)].nilai


@dataclass(frozen=True)
class Term:
    """One figure of a ratio's numerator or denominator, times `factor` (1, −1, 0.5…)."""

    figure: str
    factor: Decimal = Decimal(1)


@dataclass(frozen=True)
class ChecklistItem:
    code: str
    text: Text


class IndicatorKind(StrEnum):
    RATIO = "ratio"
    CHECKLIST = "checklist"


@dataclass(frozen=True)
class Indicator:
    code: str
    aspect: str
    label: Text
    kind: IndicatorKind
    confidence: Confidence
    hint: Text  # what to fix when not at the best band
    weight: Decimal = Decimal(0)  # weighted method only
    numerator: tuple[Term, ...] = ()
    denominator: tuple[Term, ...] = ()
    bands: BandTable | None = None
    items: tuple[ChecklistItem, ...] = ()
    credit: Decimal = Decimal(0)  # weighted checklists: skor per "ya"
    group: Text | None = None
    note: Text | None = None

    @property
    def figures(self) -> tuple[str, ...]:
        seen: dict[str, None] = {}
        for term in (*self.numerator, *self.denominator):
            seen.setdefault(term.figure, None)
        return tuple(seen)


@dataclass(frozen=True)
class Aspect:
    code: str
    label: Text
    weight: Decimal
    indicators: tuple[Indicator, ...]
    confidence: Confidence = Confidence.HIGH


@dataclass(frozen=True)
class Category:
    code: str
    label: Text
    min: Decimal


@dataclass(frozen=True)
class FigureTerm:
    """Part of a figure: the balances (or movements) of `accounts`, the total of an account
    type (`total`: aset, kewajiban, ekuitas, pendapatan, beban) or a computed amount
    (`special`: "surplus", revenue − costs), times `factor`."""

    accounts: tuple[str, ...] = ()
    total: str | None = None
    special: str | None = None
    factor: Decimal = Decimal(1)


@dataclass(frozen=True)
class FigureSpec:
    code: str
    label: Text
    source: FigureSource
    record: Text  # what to record when the figure is missing
    terms: tuple[FigureTerm, ...] = ()
    measure: LoanMeasure | None = None
    years_before: int = 0
    member_share: bool = False  # × the members' share of the SHU split

    @property
    def accounts(self) -> tuple[str, ...]:
        seen: dict[str, None] = {}
        for term in self.terms:
            for code in term.accounts:
                seen.setdefault(code, None)
        return tuple(seen)


@dataclass(frozen=True)
class AtmrWeight:
    account: str
    weight_bp: int


@dataclass(frozen=True)
class Atmr:
    default_weight_bp: int
    weights: tuple[AtmrWeight, ...]
    confidence: Confidence
    note: Text | None = None

    def weight_of(self, account: str, overrides: Mapping[str, int] | None = None) -> int:
        if overrides and account in overrides:
            return overrides[account]
        for weight in self.weights:
            if weight.account == account:
                return weight.weight_bp
        return self.default_weight_bp


# Rows of a rule set that are not indicators but may be "sementara" too.
ROW_WEIGHTS = "_bobot"
ROW_CATEGORIES = "_kategori"
ROW_ATMR = "_atmr"


@dataclass(frozen=True)
class Scheme:
    id: str
    version: str
    valid_from: date
    recorded_on: date
    name: Text
    short_name: Text
    source: str
    method: Method
    aspects: tuple[Aspect, ...]
    categories: tuple[Category, ...]  # highest min first
    figures: Mapping[str, FigureSpec]
    atmr: Atmr
    loan_accounts: tuple[str, ...]
    categories_confidence: Confidence = Confidence.HIGH
    weights_confidence: Confidence = Confidence.HIGH
    skor_of_nilai: Mapping[Decimal, Decimal] = field(default_factory=dict)
    checklist_bands: BandTable | None = None

    @property
    def indicators(self) -> tuple[Indicator, ...]:
        return tuple(i for aspect in self.aspects for i in aspect.indicators)

    def indicator(self, code: str) -> Indicator:
        for indicator in self.indicators:
            if indicator.code == code:
                return indicator
        raise KeyError(code)

    @property
    def items(self) -> dict[str, ChecklistItem]:
        return {item.code: item for i in self.indicators for item in i.items}

    def category_of(self, total: Decimal) -> Category:
        for category in self.categories:
            if total >= category.min:
                return category
        return self.categories[-1]

    def provisional_rows(self) -> list[tuple[str, Text]]:
        """(code, label) of the rows of low confidence: shown as "sementara" until a Dinas
        officer confirms them for the region."""
        rows: list[tuple[str, Text]] = []
        if self.weights_confidence is Confidence.LOW:
            rows.append((ROW_WEIGHTS, Text("Bobot aspek", "Aspect weights")))
        if self.categories_confidence is Confidence.LOW:
            rows.append((ROW_CATEGORIES, Text("Batas kategori akhir", "Final category limits")))
        if self.atmr.confidence is Confidence.LOW:
            rows.append((ROW_ATMR, Text("Bobot risiko ATMR", "Risk weights of RWA")))
        rows += [(i.code, i.label) for i in self.indicators if i.confidence is Confidence.LOW]
        return rows

    def best_nilai(self, indicator: Indicator) -> Decimal:
        """The nilai of the indicator's best band."""
        if self.method is Method.WEIGHTED:
            if indicator.kind is IndicatorKind.CHECKLIST:
                return HUNDRED
            assert indicator.bands is not None
            return max(b.nilai for b in indicator.bands.bands)
        return max(self.skor_of_nilai, key=lambda n: self.skor_of_nilai[n])


# --- figures (the inputs) -------------------------------------------------------------


class Origin(StrEnum):
    """Where a figure's amount came from."""

    BOOKS = "buku"
    LOANS = "pinjaman"
    ENTERED = "isian"


class Missing(StrEnum):
    """Why a figure has no amount."""

    NO_BOOKS = "no_books"  # no journal entry by the day
    BOOKS_TOO_SHORT = "books_too_short"  # the books start inside the year assessed
    NO_ACCOUNTS = "no_accounts"  # none of the accounts is in the koperasi's chart
    NO_LOAN_REGISTER = "no_loan_register"  # books show loans, the register has none
    NOT_IN_BOOKS = "not_in_books"  # a figure the books never hold


@dataclass(frozen=True)
class Basis:
    """What part of a figure was read from: an account (`name` = its code) or a total
    (`name` = aset, ekuitas, pendapatan, surplus, …), with the factor it counted by."""

    kind: str  # account | total
    name: str
    factor: Decimal = Decimal(1)

    def as_json(self) -> list[str]:
        return [self.kind, self.name, str(self.factor)]

    @classmethod
    def from_json(cls, data: Iterable[Any]) -> Basis:
        kind, name, factor = (str(x) for x in data)
        return cls(kind, name, Decimal(factor))


@dataclass(frozen=True)
class Figure:
    """An input of the ratios with how it was found: `amount` None when missing."""

    code: str
    amount: int | None
    origin: Origin | None = None
    basis: tuple[Basis, ...] = ()  # the ledger accounts and totals it was summed from
    share_bp: int | None = None  # the members' share applied (SHU bagian anggota)
    atmr_weights: tuple[tuple[str, int], ...] = ()  # (account, bp) of the ATMR
    entered_role: str | None = None  # pengurus | dinas, for entered figures
    missing: Missing | None = None
    since: date | None = None  # the books' first day (when they start too late)


@dataclass(frozen=True)
class EvidenceTerm:
    figure: str
    factor: Decimal
    amount: int
    origin: str
    basis: tuple[Basis, ...] = ()
    share_bp: int | None = None
    atmr_weights: tuple[tuple[str, int], ...] = ()
    entered_role: str | None = None

    def as_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "figure": self.figure,
            "factor": str(self.factor),
            "amount": self.amount,
            "origin": self.origin,
        }
        if self.basis:
            data["basis"] = [b.as_json() for b in self.basis]
        if self.share_bp is not None:
            data["share_bp"] = self.share_bp
        if self.atmr_weights:
            data["atmr_weights"] = [list(w) for w in self.atmr_weights]
        if self.entered_role:
            data["entered_role"] = self.entered_role
        return data

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> EvidenceTerm:
        return cls(
            figure=str(data["figure"]),
            factor=Decimal(str(data.get("factor", "1"))),
            amount=int(data["amount"]),
            origin=str(data.get("origin", Origin.BOOKS.value)),
            basis=tuple(Basis.from_json(b) for b in data.get("basis", ())),
            share_bp=data.get("share_bp"),
            atmr_weights=tuple((str(a), int(b)) for a, b in data.get("atmr_weights", ())),
            entered_role=data.get("entered_role"),
        )


@dataclass(frozen=True)
class Evidence:
    """What a ratio was computed from, kept with the assessment."""

    numerator: tuple[EvidenceTerm, ...] = ()
    denominator: tuple[EvidenceTerm, ...] = ()
    missing: tuple[tuple[str, str], ...] = ()  # (figure, Missing) of the missing inputs

    def as_json(self) -> dict[str, Any]:
        return {
            "numerator": [t.as_json() for t in self.numerator],
            "denominator": [t.as_json() for t in self.denominator],
            "missing": [list(m) for m in self.missing],
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Evidence:
        return cls(
            numerator=tuple(EvidenceTerm.from_json(t) for t in data.get("numerator", ())),
            denominator=tuple(EvidenceTerm.from_json(t) for t in data.get("denominator", ())),
            missing=tuple((str(f), str(r)) for f, r in data.get("missing", ())),
        )


# --- scoring --------------------------------------------------------------------------


class Status(StrEnum):
    OK = "ok"
    NO_DATA = "no_data"  # a figure is missing: scores 0
    ZERO_DENOMINATOR = "zero_denominator"  # cannot divide: scores 0


@dataclass(frozen=True)
class IndicatorResult:
    code: str
    aspect: str
    kind: IndicatorKind
    status: Status
    value: Decimal | None  # ratio in % (two decimals) or share of items met
    nilai: Decimal
    skor: Decimal  # exact
    at_best: bool
    met: int = 0
    answered: int = 0
    items: int = 0
    unmet: tuple[str, ...] = ()  # item codes answered "tidak" or not answered
    evidence: Evidence = field(default_factory=Evidence)


@dataclass(frozen=True)
class AspectResult:
    code: str
    score: Decimal  # exact
    weight: Decimal


@dataclass(frozen=True)
class Result:
    indicators: tuple[IndicatorResult, ...]
    aspects: tuple[AspectResult, ...]
    total: Decimal  # two decimals
    category: Category

    def indicator(self, code: str) -> IndicatorResult:
        for result in self.indicators:
            if result.code == code:
                return result
        raise KeyError(code)


def _side(terms: Iterable[Term], figures: Mapping[str, Figure]) -> tuple[EvidenceTerm, ...]:
    side = []
    for term in terms:
        figure = figures[term.figure]
        assert figure.amount is not None and figure.origin is not None
        side.append(
            EvidenceTerm(
                figure=term.figure,
                factor=term.factor,
                amount=figure.amount,
                origin=figure.origin.value,
                basis=figure.basis,
                share_bp=figure.share_bp,
                atmr_weights=figure.atmr_weights,
                entered_role=figure.entered_role,
            )
        )
    return tuple(side)


def _sum(side: Iterable[EvidenceTerm]) -> Decimal:
    return sum((Decimal(t.amount) * t.factor for t in side), Decimal(0))


def ratio_percent(numerator: Decimal, denominator: Decimal) -> Decimal:
    """numerator ÷ denominator in %, rounded half up to two decimals."""
    return round2(numerator * HUNDRED / denominator)


def _why_missing(figure: Figure | None) -> Missing:
    return (figure.missing if figure else None) or Missing.NOT_IN_BOOKS


def _ratio_result(
    scheme: Scheme, indicator: Indicator, figures: Mapping[str, Figure]
) -> IndicatorResult:
    missing = tuple(
        (code, _why_missing(figures.get(code)).value)
        for code in indicator.figures
        if figures.get(code) is None or figures[code].amount is None
    )
    if missing:
        return IndicatorResult(
            code=indicator.code,
            aspect=indicator.aspect,
            kind=indicator.kind,
            status=Status.NO_DATA,
            value=None,
            nilai=Decimal(0),
            skor=Decimal(0),
            at_best=False,
            evidence=Evidence(missing=missing),
        )
    numerator = _side(indicator.numerator, figures)
    denominator = _side(indicator.denominator, figures)
    evidence = Evidence(numerator=numerator, denominator=denominator)
    below = _sum(denominator)
    if below == 0:
        return IndicatorResult(
            code=indicator.code,
            aspect=indicator.aspect,
            kind=indicator.kind,
            status=Status.ZERO_DENOMINATOR,
            value=None,
            nilai=Decimal(0),
            skor=Decimal(0),
            at_best=False,
            evidence=evidence,
        )
    value = ratio_percent(_sum(numerator), below)
    assert indicator.bands is not None
    nilai = indicator.bands.nilai(value)
    return IndicatorResult(
        code=indicator.code,
        aspect=indicator.aspect,
        kind=indicator.kind,
        status=Status.OK,
        value=value,
        nilai=nilai,
        skor=_skor(scheme, indicator, nilai),
        at_best=nilai == scheme.best_nilai(indicator),
        evidence=evidence,
    )


def _skor(scheme: Scheme, indicator: Indicator, nilai: Decimal) -> Decimal:
    if scheme.method is Method.WEIGHTED:
        return nilai * indicator.weight / HUNDRED
    return scheme.skor_of_nilai[nilai]


def _checklist_result(
    scheme: Scheme, indicator: Indicator, answers: Mapping[str, bool]
) -> IndicatorResult:
    codes = [item.code for item in indicator.items]
    met = sum(1 for code in codes if answers.get(code) is True)
    answered = sum(1 for code in codes if code in answers)
    unmet = tuple(code for code in codes if answers.get(code) is not True)
    share = round2(Decimal(met) * HUNDRED / Decimal(len(codes)))
    if scheme.method is Method.WEIGHTED:
        skor = min(Decimal(met) * indicator.credit, indicator.weight)
        nilai = round2(skor * HUNDRED / indicator.weight) if indicator.weight else Decimal(0)
        at_best = met == len(codes)
    else:
        assert scheme.checklist_bands is not None
        nilai = scheme.checklist_bands.nilai(share)
        skor = scheme.skor_of_nilai[nilai]
        at_best = nilai == scheme.best_nilai(indicator)
    return IndicatorResult(
        code=indicator.code,
        aspect=indicator.aspect,
        kind=indicator.kind,
        status=Status.OK,
        value=share,
        nilai=nilai,
        skor=skor,
        at_best=at_best,
        met=met,
        answered=answered,
        items=len(codes),
        unmet=unmet,
    )


def _aspect_score(scheme: Scheme, aspect: Aspect, results: list[IndicatorResult]) -> Decimal:
    skor = sum((r.skor for r in results), Decimal(0))
    if scheme.method is Method.WEIGHTED:
        return skor
    most = Decimal(len(results)) * max(scheme.skor_of_nilai.values())
    return skor / most * HUNDRED * aspect.weight / HUNDRED if most else Decimal(0)


def score(scheme: Scheme, figures: Mapping[str, Figure], answers: Mapping[str, bool]) -> Result:
    """Every indicator, aspect and the total of `scheme` for the given figures and checklist
    answers (item code -> met; unanswered items count as not met)."""
    indicators: list[IndicatorResult] = []
    aspects: list[AspectResult] = []
    for aspect in scheme.aspects:
        results = [
            _ratio_result(scheme, i, figures)
            if i.kind is IndicatorKind.RATIO
            else _checklist_result(scheme, i, answers)
            for i in aspect.indicators
        ]
        indicators += results
        aspects.append(
            AspectResult(aspect.code, _aspect_score(scheme, aspect, results), aspect.weight)
        )
    total = round2(sum((a.score for a in aspects), Decimal(0)))
    return Result(
        indicators=tuple(indicators),
        aspects=tuple(aspects),
        total=total,
        category=scheme.category_of(total),
    )


# --- dates ----------------------------------------------------------------------------


def year_before(day: date) -> date:
    """The same day a year earlier (29 February -> 28 February)."""
    try:
        return day.replace(year=day.year - 1)
    except ValueError:
        return day.replace(year=day.year - 1, day=28)


def period_start(as_of: date) -> date:
    """First day of the twelve months that end on `as_of`: flows (revenue, costs, SHU) are
    read over a whole year, whatever the day of the assessment."""
    return year_before(as_of) + timedelta(days=1)


# --- evidence in words ----------------------------------------------------------------

OTHER_ACCOUNTS = "*"  # in ATMR weights: every other asset account
ROLE_WORDS = {"pengurus": N_("diisi pengurus"), "dinas": N_("diisi Dinas")}
ENTERED_WORD = N_("diisi")
TOTAL_WORDS = {
    "aset": N_("jumlah aset"),
    "kewajiban": N_("jumlah kewajiban"),
    "ekuitas": N_("jumlah ekuitas"),
    "pendapatan": N_("jumlah pendapatan"),
    "beban": N_("jumlah beban"),
    "surplus": N_("SHU menurut pembukuan"),
}
MISSING_WORDS = {
    Missing.NO_BOOKS.value: N_("belum ada transaksi di pembukuan sampai tanggal ini"),
    Missing.BOOKS_TOO_SHORT.value: N_(
        "pembukuan di Koroena belum mencakup setahun penuh sebelum tanggal ini"
    ),
    Missing.NO_ACCOUNTS.value: N_("akunnya tidak ada di bagan akun koperasi"),
    Missing.NO_LOAN_REGISTER.value: N_(
        "piutang pinjaman ada di pembukuan, tetapi pinjamannya belum dicatat di menu Pinjaman"
    ),
    Missing.NOT_IN_BOOKS.value: N_("angka ini tidak ada di pembukuan"),
}


def basis_text(basis: Basis, language: str, _: Translate) -> str:
    """`1-1100`, `jumlah aset`, `50% × 3-1300`, `−50% × 3-1610`."""
    name = basis.name if basis.kind == "account" else _(TOTAL_WORDS.get(basis.name, basis.name))
    if basis.factor == 1:
        return name
    sign = "−" if basis.factor < 0 else ""
    size = share_text(abs(basis.factor) * HUNDRED, language)
    return f"{sign}{size} × {name}"


def term_text(term: EvidenceTerm, scheme: Scheme, language: str, _: Translate) -> str:
    """`kas + bank Rp 120.000.000 (1-1100, 1-1200)`; a factor other than ±1 in front
    (`50% × …`)."""
    spec = scheme.figures.get(term.figure)
    label = spec.label.in_(language) if spec else term.figure
    basis: list[str] = []
    if term.origin == Origin.ENTERED.value:
        basis.append(_(ROLE_WORDS.get(term.entered_role or "", ENTERED_WORD)))
    elif term.origin == Origin.LOANS.value:
        basis.append(_("daftar pinjaman"))
    else:
        if term.basis:
            basis.append(", ".join(basis_text(b, language, _) for b in term.basis))
        if term.atmr_weights:
            other = _("lainnya")
            weights = ", ".join(
                f"{other if code == OTHER_ACCOUNTS else code} "
                f"{share_text(Decimal(bp) / 100, language)}"
                for code, bp in term.atmr_weights
            )
            basis.append(_("aset × bobot risiko: {weights}", weights=weights))
    if term.share_bp is not None:
        share = share_text(Decimal(term.share_bp) / 100, language)
        basis.append(_("bagian anggota {share} dari SHU", share=share))
    text = f"{label} {rupiah(term.amount, language)}"
    if basis:
        text += f" ({'; '.join(basis)})"
    size = abs(term.factor)
    if size != 1:
        text = f"{share_text(size * HUNDRED, language)} × {text}"
    return text


def side_text(side: Iterable[EvidenceTerm], scheme: Scheme, language: str, _: Translate) -> str:
    parts: list[str] = []
    for term in side:
        text = term_text(term, scheme, language, _)
        if not parts:
            parts.append(("− " if term.factor < 0 else "") + text)
        else:
            parts.append(("− " if term.factor < 0 else "+ ") + text)
    return " ".join(parts)


def evidence_text(
    result_value: Decimal | None,
    evidence: Evidence,
    scheme: Scheme,
    language: str,
    _: Translate,
) -> str:
    """The figures a ratio was computed from, in words: "kas + bank Rp 120.000.000
    (1-1100, 1-1200) ÷ kewajiban lancar Rp 1.000.000.000 (2-1100, 2-1300, 2-1500) =
    12,00%"; or what is missing."""
    if evidence.missing:
        return "; ".join(
            _("{figure}: data tidak tersedia", figure=_figure_label(scheme, f, language))
            + " ("
            + _(MISSING_WORDS.get(reason, reason))
            + ")"
            for f, reason in evidence.missing
        )
    numerator = side_text(evidence.numerator, scheme, language, _)
    denominator = side_text(evidence.denominator, scheme, language, _)
    if len(evidence.numerator) > 1:
        numerator = f"({numerator})"
    if len(evidence.denominator) > 1:
        denominator = f"({denominator})"
    text = f"{numerator} ÷ {denominator}"
    if result_value is not None:
        text += " = " + percent_text(result_value, language)
    else:
        text += " — " + _("pembagi bernilai nol, rasio tidak dapat dihitung")
    return text


def _figure_label(scheme: Scheme, code: str, language: str) -> str:
    spec = scheme.figures.get(code)
    return spec.label.in_(language) if spec else code


def missing_hints(evidence: Evidence, scheme: Scheme, language: str) -> list[str]:
    """What to record for each missing figure (from the rule set)."""
    hints = []
    for code, _reason in evidence.missing:
        spec = scheme.figures.get(code)
        if spec is not None:
            hints.append(spec.record.in_(language))
    return hints


def books_period_text(since: date, until: date, language: str) -> str:
    return f"{long_date(since, language)} – {long_date(until, language)}"
