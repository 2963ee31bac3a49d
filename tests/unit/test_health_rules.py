"""The health-assessment rule sets (backend/health/data/*.json) validate, and a broken one
is refused loudly: weights that do not add up, band tables with a gap, an overlap, an open
middle or a closed end, unknown figures, checklist credits that miss the weight, a text
without its English."""

# Decimal results are compared with plain numbers (Decimal(3) == 3) on purpose.
# mypy: disable-error-code="comparison-overlap"

from __future__ import annotations

import copy
import json
from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from backend.health import rules
from backend.health.domain import (
    ROW_ATMR,
    ROW_CATEGORIES,
    ROW_WEIGHTS,
    Closed,
    Confidence,
    IndicatorKind,
    Method,
)


def _document(name: str) -> dict[str, Any]:
    path = rules.DATA_DIR / name
    return json.loads(path.read_text(encoding="utf-8"), parse_float=Decimal)  # type: ignore[no-any-return]


A_FILE = "scheme_2016_perdep06.json"
B_FILE = "scheme_2021_kkpkk.json"


def test_both_rule_sets_load_and_validate() -> None:
    schemes = {s.id: s for s in rules.all_schemes()}
    assert set(schemes) == {"perdep06-2016", "kkpkk-2021"}
    a, b = schemes["perdep06-2016"], schemes["kkpkk-2021"]
    assert a.method is Method.WEIGHTED and b.method is Method.RATING
    assert sum(x.weight for x in a.aspects) == 100 == sum(x.weight for x in b.aspects)
    # Scheme A, as HEALTH_RULES.md: seven aspects with these weights.
    assert {x.code: x.weight for x in a.aspects} == {
        "permodalan": 15,
        "kualitas_aktiva": 25,
        "manajemen": 15,
        "efisiensi": 10,
        "likuiditas": 15,
        "kemandirian": 10,
        "jatidiri": 10,
    }
    # Its management questionnaire: 12 × 0.25, 6 × 0.5, 5 × 0.6, 10 × 0.3, 5 × 0.6.
    management = [i for i in a.indicators if i.aspect == "manajemen"]
    assert [(len(i.items), i.credit, i.weight) for i in management] == [
        (12, Decimal("0.25"), 3),
        (6, Decimal("0.5"), 3),
        (5, Decimal("0.6"), 3),
        (10, Decimal("0.3"), 3),
        (5, Decimal("0.6"), 3),
    ]
    # Scheme B: four aspects, Kinerja Keuangan 40 %.
    assert {x.code: x.weight for x in b.aspects} == {
        "tata_kelola": 30,
        "profil_risiko": 15,
        "kinerja_keuangan": 40,
        "permodalan": 15,
    }
    assert b.skor_of_nilai == {Decimal(n): Decimal(5 - n) for n in (1, 2, 3, 4)}
    # Every text in both languages; every ratio's figures defined.
    for scheme in (a, b):
        for indicator in scheme.indicators:
            assert indicator.label.id and indicator.label.en and indicator.hint.en
            for item in indicator.items:
                assert item.text.id.strip() and item.text.en.strip()
            for code in indicator.figures:
                assert code in scheme.figures
            if indicator.kind is IndicatorKind.RATIO:
                assert indicator.bands is not None


def test_every_band_table_covers_zero_to_infinity_without_gaps() -> None:
    for scheme in rules.all_schemes():
        tables = [i.bands for i in scheme.indicators if i.bands is not None]
        if scheme.checklist_bands is not None:
            tables.append(scheme.checklist_bands)
        for table in tables:
            assert table.bands[0].low == 0 and table.bands[-1].high is None
            for before, after in zip(table.bands, table.bands[1:], strict=False):
                assert before.high == after.low


def test_low_confidence_rows_are_provisional() -> None:
    a = rules.scheme_on("perdep06-2016", date(2026, 1, 1))
    b = rules.scheme_on("kkpkk-2021", date(2026, 1, 1))
    assert a is not None and b is not None
    rows_a = [code for code, _label in a.provisional_rows()]
    assert rows_a == [ROW_ATMR, "pinjaman_berisiko_pinjaman", "efisiensi_pelayanan",
                      "promosi_ekonomi_anggota"]  # fmt: skip
    assert a.indicator("rasio_kas").confidence is Confidence.HIGH
    rows_b = [code for code, _label in b.provisional_rows()]
    assert rows_b[:3] == [ROW_WEIGHTS, ROW_CATEGORIES, ROW_ATMR]
    assert {"car", "rasio_kas", "efisiensi_operasi", "partisipasi_anggota"} <= set(rows_b)


def test_the_version_in_force_on_a_day() -> None:
    assert rules.scheme_on("kkpkk-2021", date(2020, 12, 31)) is None  # not yet in force
    found = rules.scheme_on("kkpkk-2021", date(2021, 1, 1))
    assert found is not None and found.version == "2026-11-29"
    assert rules.scheme_on("perdep06-2016", date(2016, 3, 31)) is None
    assert rules.scheme_on("nope", date(2026, 1, 1)) is None
    assert [s.id for s in rules.current_schemes(date(2026, 1, 1))] == [
        "kkpkk-2021",
        "perdep06-2016",
    ]
    assert [s.id for s in rules.current_schemes(date(2018, 1, 1))] == ["perdep06-2016"]


def _broken(name: str, change: Any) -> None:
    document = copy.deepcopy(_document(name))
    change(document)
    with pytest.raises(rules.RulesError):
        rules.parse(document, name)


def _ratio(document: dict[str, Any], code: str) -> dict[str, Any]:
    for aspect in document["aspects"]:
        for indicator in aspect["indicators"]:
            if indicator["code"] == code:
                return indicator  # type: ignore[no-any-return]
    raise KeyError(code)


def test_the_unchanged_documents_parse() -> None:
    for name in (A_FILE, B_FILE):
        assert rules.parse(_document(name), name).aspects


def test_aspect_weights_must_add_up_to_100() -> None:
    def heavier(d: dict[str, Any]) -> None:
        d["aspects"][0]["weight"] = 16

    _broken(B_FILE, heavier)


def test_indicator_weights_must_add_up_to_their_aspect() -> None:
    def change(d: dict[str, Any]) -> None:
        _ratio(d, "car")["weight"] = 4  # permodalan now 16 inside a 15 aspect

    _broken(A_FILE, change)


def test_checklist_credit_times_items_must_be_its_weight() -> None:
    def change(d: dict[str, Any]) -> None:
        _ratio(d, "manajemen_umum")["items"].pop()  # 11 × 0.25 ≠ 3

    _broken(A_FILE, change)


@pytest.mark.parametrize(
    "table",
    [
        [[0, 10, 25], [11, 15, 100], [15, None, 25]],  # a gap 10..11
        [[0, 10, 25], [9, 15, 100], [15, None, 25]],  # an overlap
        [[5, 10, 25], [10, None, 100]],  # does not start at 0
        [[0, 10, 25], [10, 15, 100]],  # does not reach ∞
        [[0, None, 25], [10, None, 100]],  # open in the middle
        [[0, 10, 25], [10, 10, 100], [10, None, 25]],  # an empty band
        [[0, 10, 25], [10, None, 101]],  # nilai above 100
        [[0, 10, 25], [10, None]],  # not [min, max, nilai]
        [],
    ],
)
def test_band_tables_must_cover_zero_to_infinity_without_gaps(table: list[Any]) -> None:
    def change(d: dict[str, Any]) -> None:
        _ratio(d, "rasio_kas")["bands"]["table"] = table

    _broken(A_FILE, change)


def test_a_single_point_band_only_first_and_upper_closed() -> None:
    good = rules.band_table({"closed": "upper", "table": [[0, 0, 100], [0, None, 80]]}, "t")
    assert good.closed is Closed.UPPER and good.nilai(Decimal(0)) == 100
    with pytest.raises(rules.RulesError):
        rules.band_table({"closed": "lower", "table": [[0, 0, 100], [0, None, 80]]}, "t")


def test_rating_bands_give_only_known_nilai() -> None:
    def change(d: dict[str, Any]) -> None:
        _ratio(d, "roa")["bands"]["table"][0][2] = 5  # nilai 5 has no skor

    _broken(B_FILE, change)


def test_rating_indicators_have_no_weight_of_their_own() -> None:
    def change(d: dict[str, Any]) -> None:
        _ratio(d, "roa")["weight"] = 3

    _broken(B_FILE, change)


def test_unknown_figures_sources_and_accounts_are_refused() -> None:
    def unknown_figure(d: dict[str, Any]) -> None:
        _ratio(d, "rasio_kas")["numerator"] = [{"figure": "kas_di_bawah_bantal"}]

    def unknown_source(d: dict[str, Any]) -> None:
        d["figures"]["kas_bank"]["source"] = "tebakan"

    def bad_account(d: dict[str, Any]) -> None:
        d["figures"]["kas_bank"]["terms"] = [{"accounts": ["kas"]}]

    def flow_total_of_a_balance(d: dict[str, Any]) -> None:
        d["figures"]["total_aset"]["terms"] = [{"total": "pendapatan"}]

    for change in (unknown_figure, unknown_source, bad_account, flow_total_of_a_balance):
        _broken(A_FILE, change)


def test_texts_need_both_languages_and_codes_must_be_unique() -> None:
    def no_english(d: dict[str, Any]) -> None:
        _ratio(d, "rasio_kas")["label"] = {"id": "Rasio kas"}

    def twice(d: dict[str, Any]) -> None:
        d["aspects"][0]["indicators"][1]["code"] = d["aspects"][0]["indicators"][0]["code"]

    def bad_confidence(d: dict[str, Any]) -> None:
        _ratio(d, "rasio_kas")["confidence"] = "sure"

    for change in (no_english, twice, bad_confidence):
        _broken(A_FILE, change)


def test_categories_go_down_to_zero() -> None:
    def change(d: dict[str, Any]) -> None:
        d["categories"][-1]["min"] = 10

    _broken(B_FILE, change)


def test_a_broken_file_stops_loading(tmp_path: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    document = json.loads((rules.DATA_DIR / A_FILE).read_text(encoding="utf-8"))
    document["aspects"][0]["weight"] = 14
    (tmp_path / "broken.json").write_text(json.dumps(document), encoding="utf-8")
    monkeypatch.setattr(rules, "DATA_DIR", tmp_path)
    rules.all_schemes.cache_clear()
    try:
        with pytest.raises(rules.RulesError, match="indicator weights add up to 15, not 14"):
            rules.all_schemes()
    finally:
        monkeypatch.undo()
        rules.all_schemes.cache_clear()
    assert len(rules.all_schemes()) == 2
