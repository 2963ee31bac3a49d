"""Spreadsheet imports without a database: what people type into cells (rupiah, dates,
codes), reading .xlsx and .csv files with their limits, and every reason a row of an
opening-balance file or a member file is refused."""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import date, datetime

import openpyxl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from backend.i18n import translator
from backend.imports import sheets, templates
from backend.imports.domain import (
    MEMBER_COLUMNS,
    OPENING_COLUMNS,
    SUSPENSE_CODE,
    CellError,
    ImportRefused,
    Issue,
    RowStatus,
    SheetRow,
    cell_text,
    check_members,
    check_opening,
    issue_text,
    locate_columns,
    normalize_header,
    parse_date,
    parse_form_date,
    parse_rupiah,
    suspense_explanation,
)
from backend.ledger.domain import MAX_AMOUNT, Line
from backend.members.bulk import member_problems

CHART = {
    "1-1100": "Kas",
    "1-1200": "Bank",
    "2-1100": "Simpanan sukarela",
    "3-1100": "Simpanan pokok",
    "3-1200": "Simpanan wajib",
    "3-1500": "Cadangan",
    SUSPENSE_CODE: "Ayat silang saldo awal",
}
CONTROLLED = {"3-1100", "3-1200", "2-1100"}
NIK_A = "3576014101900001"  # Kota Mojokerto, a woman born 1 Jan 1990
NIK_B = "3576021505850002"
NIK_C = "3576031212800003"


def dotted(amount: int) -> str:
    return f"{amount:,}".replace(",", ".")


def codes(issues: Sequence[Issue]) -> set[str]:
    return {issue.code for issue in issues}


# --- rupiah cells -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cell", "amount"),
    [
        (1_500_000, 1_500_000),
        (1_500_000.0, 1_500_000),
        ("1500000", 1_500_000),
        ("1.500.000", 1_500_000),
        ("Rp 1.500.000", 1_500_000),
        ("Rp1.500.000", 1_500_000),
        ("rp. 1.500.000", 1_500_000),
        ("IDR 1500000", 1_500_000),
        ("Rp 1.500.000,-", 1_500_000),
        ("1.500.000,00", 1_500_000),
        (" 1 500 000 ", 1_500_000),
        ("Rp\u00a01.500.000", 1_500_000),
        (None, 0),
        ("", 0),
        ("   ", 0),
        (0, 0),
        (0.30000000000000004 * 10, 3),  # a formula's rounding, not a decimal
    ],
)
def test_rupiah_cells_people_write(cell: object, amount: int) -> None:
    assert parse_rupiah(cell) == amount  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("cell", "code"),
    [
        (-5, "amount_negative"),
        (-5.0, "amount_negative"),
        ("-1.000", "amount_negative"),
        ("\u22121000", "amount_negative"),
        ("Rp -1.000", "amount_negative"),
        ("(1.000)", "amount_negative"),
        (1.5, "amount_decimal"),
        ("1,5", "amount_decimal"),
        ("1.50", "amount_decimal"),
        ("1.500.000,50", "amount_decimal"),
        ("1500000.75", "amount_decimal"),
        ("satu juta", "amount_not_number"),
        ("1,500,000", "amount_not_number"),
        ("1.5000.000", "amount_not_number"),
        ("12a", "amount_not_number"),
        ("Rp", "amount_not_number"),
        (True, "amount_not_number"),
        (date(2020, 1, 1), "amount_not_number"),
        (float("nan"), "amount_not_number"),
        (float("inf"), "amount_not_number"),
        (MAX_AMOUNT + 1, "amount_too_large"),
        (str(MAX_AMOUNT + 1), "amount_too_large"),
        (1e300, "amount_too_large"),
    ],
)
def test_rupiah_cells_refused(cell: object, code: str) -> None:
    with pytest.raises(CellError) as error:
        parse_rupiah(cell)  # type: ignore[arg-type]
    assert error.value.code == code


amounts = st.integers(min_value=0, max_value=MAX_AMOUNT)


@given(amounts)
def test_every_way_of_writing_an_amount_reads_back_the_same(amount: int) -> None:
    written = [
        amount,
        float(amount),
        str(amount),
        dotted(amount),
        "Rp " + dotted(amount),
        "Rp" + dotted(amount) + ",-",
        dotted(amount) + ",00",
        f"  {amount}  ",
    ]
    assert {parse_rupiah(cell) for cell in written} == {amount}


@given(st.integers(min_value=1, max_value=MAX_AMOUNT))
def test_negative_amounts_are_refused_however_written(amount: int) -> None:
    for cell in (-amount, float(-amount), f"-{amount}", f"-{dotted(amount)}", f"Rp -{amount}"):
        with pytest.raises(CellError) as error:
            parse_rupiah(cell)
        assert error.value.code == "amount_negative"


@given(
    st.floats(min_value=0, max_value=1e12, allow_nan=False).filter(
        lambda x: abs(x - round(x)) > 1e-3
    )
)
def test_fractions_are_refused(value: float) -> None:
    with pytest.raises(CellError) as error:
        parse_rupiah(value)
    assert error.value.code == "amount_decimal"


@given(st.text(max_size=30))
def test_any_text_is_either_whole_rupiah_or_a_reason(text: str) -> None:
    try:
        amount = parse_rupiah(text)
    except CellError as error:
        assert error.code.startswith("amount_")
        assert error.message
    else:
        assert isinstance(amount, int) and 0 <= amount <= MAX_AMOUNT


@given(st.integers(min_value=0, max_value=99), st.integers(min_value=1, max_value=99))
def test_decimal_text_is_never_read_as_a_whole_amount(whole: int, cents: int) -> None:
    for text in (f"{whole},{cents:02d}", f"{whole}.{cents:02d}", f"Rp {whole},{cents:02d}"):
        with pytest.raises(CellError):
            parse_rupiah(text)


# --- dates, text, headers -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("cell", "day"),
    [
        ("05/01/2020", date(2020, 1, 5)),
        ("5/1/2020", date(2020, 1, 5)),
        ("05-01-2020", date(2020, 1, 5)),
        ("05.01.2020", date(2020, 1, 5)),
        ("2020-01-05", date(2020, 1, 5)),
        ("2020-01-05 00:00:00", date(2020, 1, 5)),
        (datetime(2020, 1, 5, 0, 0), date(2020, 1, 5)),
        (date(2020, 1, 5), date(2020, 1, 5)),
        (43835, date(2020, 1, 5)),  # Excel's day number
        (43835.0, date(2020, 1, 5)),
    ],
)
def test_dates(cell: object, day: date) -> None:
    assert parse_date(cell) == day  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("cell", "code"),
    [
        (None, "date_required"),
        ("", "date_required"),
        ("31/02/2020", "date_invalid"),
        ("2020-13-01", "date_invalid"),
        ("05/01/20", "date_year"),
        ("5 Januari 2020", "date_format"),
        ("kemarin", "date_format"),
        (43835.5, "date_format"),
        (True, "date_format"),
    ],
)
def test_dates_refused(cell: object, code: str) -> None:
    with pytest.raises(CellError) as error:
        parse_date(cell)  # type: ignore[arg-type]
    assert error.value.code == code


def test_form_date() -> None:
    today = date(2026, 1, 10)
    assert parse_form_date("2025-12-31", today) == date(2025, 12, 31)
    for value, code in (("", "date_required"), ("31/12/2025", "date_invalid")):
        with pytest.raises(ImportRefused) as error:
            parse_form_date(value, today)
        assert error.value.code == code
    with pytest.raises(ImportRefused) as error:
        parse_form_date("2026-01-11", today)
    assert error.value.code == "date_future" and error.value.status == 422


def test_cell_text() -> None:
    assert cell_text(1100.0) == "1100"
    assert cell_text("  A-0001 ") == "A-0001"
    assert cell_text(None) == ""
    assert cell_text(datetime(2020, 1, 5)) == "2020-01-05"


def test_headers_are_found_however_they_are_written() -> None:
    assert normalize_header("Tanggal Masuk (dd/mm/yyyy)*") == "tanggal masuk"
    assert normalize_header("No. Anggota") == "no anggota"
    header = ["Nomor akun", "Keterangan", "DEBET", "Kredit (Rp)"]
    assert locate_columns(header, OPENING_COLUMNS) == {"code": 0, "debit": 2, "credit": 3}
    assert locate_columns(["kode akun", "debit"], OPENING_COLUMNS) is None


# --- files --------------------------------------------------------------------------------


def workbook(rows: Sequence[Sequence[object]], *, before: int = 0, title: str = "Data") -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = title
    for _ in range(before):
        sheet.append([])
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_xlsx_rows_with_their_spreadsheet_numbers() -> None:
    content = workbook(
        [
            ["Saldo awal Koperasi Contoh"],
            ["kode akun", "nama akun", "debit", "kredit"],
            ["1-1100", "Kas", 1_000_000, None],
            [],
            ["3-1500", "Cadangan", None, "1.000.000"],
        ],
        before=1,
    )
    table = sheets.read_table("saldo.xlsx", content, OPENING_COLUMNS)
    assert table.kind == "xlsx" and table.sheet == "Data" and table.header_row == 3
    assert [row.number for row in table.rows] == [4, 6]
    assert table.rows[1].cells == {
        "code": "3-1500",
        "name": "Cadangan",
        "debit": None,
        "credit": "1.000.000",
    }


def test_the_sheet_with_the_columns_is_read() -> None:
    book = openpyxl.Workbook()
    first = book.active
    assert first is not None
    first.title = "Petunjuk"
    first.append(["Isi lembar berikutnya"])
    data = book.create_sheet("Saldo")
    data.append(["kode akun", "debit", "kredit"])
    data.append(["1-1100", 5, 0])
    buffer = io.BytesIO()
    book.save(buffer)
    table = sheets.read_table("x.xlsx", buffer.getvalue(), OPENING_COLUMNS)
    assert table.sheet == "Saldo" and len(table.rows) == 1


@pytest.mark.parametrize("delimiter", [",", ";"])
def test_csv_with_comma_or_semicolon_and_a_bom(delimiter: str) -> None:
    text = delimiter.join(["kode akun", "nama akun", "debit", "kredit"]) + "\r\n"
    text += delimiter.join(["1-1100", "Kas", '"1.500.000"', ""]) + "\r\n"
    text += delimiter.join(["3-1500", "Cadangan, umum", "", "1500000"]) + "\r\n"
    if delimiter == ",":
        text = text.replace("Cadangan, umum", '"Cadangan, umum"')
    table = sheets.read_table("saldo.CSV", ("\ufeff" + text).encode(), OPENING_COLUMNS)
    assert table.kind == "csv" and [r.number for r in table.rows] == [2, 3]
    assert table.rows[0].cells["debit"] == "1.500.000"
    assert table.rows[1].cells["name"] == "Cadangan, umum"


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("saldo.xlsx", b"", "file_empty"),
        ("saldo.pdf", b"%PDF-1.4", "file_type"),
        ("saldo.ods", b"PK\x03\x04rest", "file_type"),
        ("saldo.xls", b"\xd0\xcf\x11\xe0rest", "file_type_xls"),
        ("saldo.xlsx", b"not a zip", "file_unreadable"),
        ("saldo.xlsx", b"PK\x03\x04 but broken", "file_unreadable"),
        ("saldo.csv", "kode akun;debit;kredit\n1-1100;5;\n".encode("utf-16"), "csv_encoding"),
        ("saldo.csv", b"nama;jumlah\nKas;5\n", "columns_missing"),
        ("saldo.xlsx", b"x" * (sheets.MAX_BYTES + 1), "file_too_large"),
    ],
)
def test_files_refused(name: str, content: bytes, code: str) -> None:
    with pytest.raises(ImportRefused) as error:
        sheets.read_table(name, content, OPENING_COLUMNS)
    assert error.value.code == code
    assert error.value.status == 422


def test_missing_columns_are_named() -> None:
    content = workbook([["kode akun", "nama akun", "debit"], ["1-1100", "Kas", 5]])
    with pytest.raises(ImportRefused) as error:
        sheets.read_table("x.xlsx", content, OPENING_COLUMNS)
    assert error.value.params == {"columns": "kredit"}


def test_too_many_rows(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sheets, "MAX_ROWS", 3)
    rows = [["kode akun", "debit", "kredit"]] + [["1-1100", 1, None]] * 4
    with pytest.raises(ImportRefused) as error:
        sheets.read_table("x.xlsx", workbook(rows), OPENING_COLUMNS)
    assert error.value.code == "too_many_rows"
    assert len(sheets.read_table("x.xlsx", workbook(rows[:4]), OPENING_COLUMNS).rows) == 3


def test_a_workbook_that_unpacks_too_big_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sheets, "MAX_UNPACKED", 1000)
    content = workbook([["kode akun", "debit", "kredit"], ["1-1100", 1, None]])
    with pytest.raises(ImportRefused) as error:
        sheets.read_table("x.xlsx", content, OPENING_COLUMNS)
    assert error.value.code == "file_too_large"


# --- opening balances ---------------------------------------------------------------------


def rows(*cells: dict[str, object]) -> list[SheetRow]:
    return [SheetRow(number, dict(c)) for number, c in enumerate(cells, start=2)]  # type: ignore[arg-type]


def test_a_good_opening_file_becomes_one_balanced_entry() -> None:
    preview = check_opening(
        rows(
            {"code": "1-1100", "name": "Kas", "debit": "Rp 12.000.000", "credit": None},
            {"code": "1-1200", "name": "Bank", "debit": 0, "credit": 0},
            {"code": "3-1100", "name": "Simpanan pokok", "debit": None, "credit": 2_000_000},
            {"code": "2-1100", "name": "Simpanan sukarela", "debit": None, "credit": "4.000.000"},
            {"code": "3-1500", "name": "Modal", "debit": None, "credit": "6.000.000"},
        ),
        CHART,
        CONTROLLED,
    )
    assert preview.ready and preview.balanced
    assert [row.status for row in preview.rows] == [
        RowStatus.OK,
        RowStatus.SKIPPED,
        RowStatus.OK,
        RowStatus.OK,
        RowStatus.OK,
    ]
    assert (preview.total_debit, preview.total_credit) == (12_000_000, 12_000_000)
    assert preview.suspense_amount == 6_000_000
    # Savings accounts are sub-ledgers: their balances wait in the suspense account.
    assert preview.lines() == [
        Line("1-1100", 12_000_000, 0),
        Line(SUSPENSE_CODE, 0, 2_000_000, "3-1100 Simpanan pokok"),
        Line(SUSPENSE_CODE, 0, 4_000_000, "2-1100 Simpanan sukarela"),
        Line("3-1500", 0, 6_000_000),
    ]


def test_every_bad_opening_row_says_why() -> None:
    preview = check_opening(
        rows(
            {"code": "1-1100", "name": "Kas", "debit": 100, "credit": None},  # 2 ok
            {"code": "", "name": "Tanpa kode", "debit": 5, "credit": None},  # 3
            {"code": "9-0001", "name": "Rahasia", "debit": 5, "credit": None},  # 4
            {"code": "1-1100", "name": "Kas lagi", "debit": 5, "credit": None},  # 5
            {"code": "1-1200", "name": "Bank", "debit": 5, "credit": 5},  # 6
            {"code": "3-1500", "name": "Cadangan", "debit": None, "credit": "1,5"},  # 7
            {"code": "3-1500", "name": "Cadangan", "debit": "-5", "credit": None},  # 8
            {"code": "1-1200", "name": "Bank", "debit": "banyak", "credit": None},  # 9
            {"code": SUSPENSE_CODE, "name": "Ayat silang", "debit": 1, "credit": None},  # 10
            {"code": "3-1200", "name": "Wajib (contoh)", "debit": None, "credit": 1},  # 11
        ),
        CHART,
        CONTROLLED,
    )
    by_row = {row.number: codes(row.issues) for row in preview.rows}
    assert by_row == {
        2: set(),
        3: {"code_required"},
        4: {"account_unknown"},
        5: {"account_repeated"},
        6: {"both_sides"},
        7: {"amount_decimal"},
        8: {"amount_negative", "account_repeated"},
        9: {"amount_not_number", "account_repeated"},
        10: {"suspense_in_file"},
        11: {"example_row"},
    }
    assert not preview.ready
    unknown = preview.rows[2].issues[0]
    assert issue_text(unknown, translator("id"), {"code": "Kode akun"}) == (
        "Kode akun: 9-0001 tidak ada di bagan akun koperasi ini."
    )
    repeated = preview.rows[3].issues[0]
    assert repeated.params == {"code": "1-1100", "row": 2}


def test_an_unbalanced_or_empty_opening_file_cannot_be_imported() -> None:
    preview = check_opening(
        rows(
            {"code": "1-1100", "debit": 1_000_000, "credit": None},
            {"code": "3-1500", "debit": None, "credit": 999_000},
        ),
        CHART,
        CONTROLLED,
    )
    assert not preview.bad_rows and not preview.ready and not preview.balanced
    assert codes(preview.problems) == {"unbalanced"}
    assert preview.problems[0].params["difference"] == "Rp 1.000"
    empty = check_opening(rows({"code": "1-1100", "debit": 0, "credit": None}), CHART, CONTROLLED)
    assert codes(empty.problems) == {"no_amounts"}
    assert codes(check_opening([], CHART, CONTROLLED).problems) == {"no_rows"}


# --- members ------------------------------------------------------------------------------


def member(**cells: object) -> dict[str, object]:
    base: dict[str, object] = {
        "number": "",
        "name": "Sri Rahayu",
        "nik": NIK_A,
        "joined": "05/01/2020",
        "phone": "081234567890",
        "address": "Kranggan",
        "pokok": 100_000,
        "wajib": "1.200.000",
        "sukarela": None,
    }
    base.update(cells)
    return base


def check(cells: Sequence[dict[str, object]], **options: object):  # type: ignore[no-untyped-def]
    settings: dict[str, object] = {
        "rules": member_problems,
        "existing_numbers": {"A-0001", "A-0002"},
        "existing_niks": {NIK_C},
        "pokok_limit": 100_000,
        "balance_date": date(2025, 12, 31),
    }
    settings.update(options)
    return check_members(rows(*cells), **settings)  # type: ignore[arg-type]


def test_good_members_get_numbers_and_totals() -> None:
    preview = check(
        [
            member(number="", nik=NIK_A),
            member(number="A-0007", name="Budi", nik=NIK_B, joined=datetime(2021, 3, 1)),
            member(number="", name="Tri", nik="3576 0312 1281 0004", sukarela="Rp 50.000"),
        ]
    )
    assert preview.ready, [row.issues for row in preview.rows]
    # Numbers left blank continue after the highest in use (here A-0007 in the file).
    assert [r.member_number for r in preview.rows] == ["A-0008", "A-0007", "A-0009"]
    assert [r.automatic_number for r in preview.rows] == [True, False, True]
    assert preview.rows[2].nik == "3576031212810004"
    assert preview.rows[1].joined_on == date(2021, 3, 1)
    assert dict(preview.totals) == {"pokok": 300_000, "wajib": 3_600_000, "sukarela": 50_000}
    assert preview.total == 3_950_000


def test_every_bad_member_row_says_why() -> None:
    preview = check(
        [
            member(number="A-0010", nik=NIK_A),  # 2 ok
            member(number="A-0001", nik=NIK_B),  # 3 taken in the koperasi
            member(number="A-0010", nik="3576021505850009"),  # 4 repeated in the file
            member(number="A 0011!", nik="3576021505850010"),  # 5 bad number
            member(name="", nik="12", phone="123"),  # 6 name, NIK and phone
            member(nik=NIK_C),  # 7 NIK of a member already there
            member(nik=NIK_A),  # 8 NIK repeated in the file
            member(nik=3576021505850011),  # 9 NIK as a number cell
            member(nik="3576021505850012", joined="31/02/2020"),  # 10
            member(nik="3576021505850013", joined="2026-01-01"),  # 11 after the balance date
            member(nik="3576021505850014", pokok=150_000),  # 12 over the koperasi's pokok
            member(nik="3576021505850015", wajib="1.000,50", sukarela=-1),  # 13
            member(nik="3576021505850016", name="Siti Aminah (contoh)"),  # 14
            member(nik="3576021505850017", address="x" * 501),  # 15
        ]
    )
    by_row = {row.number: codes(row.issues) for row in preview.rows}
    assert by_row == {
        2: set(),
        3: {"member_number_taken"},
        4: {"member_number_repeated"},
        5: {"member_number_invalid"},
        6: {"name_required", "nik_length", "phone_invalid"},
        7: {"nik_taken"},
        8: {"nik_repeated"},
        9: {"nik_number_cell"},
        10: {"date_invalid"},
        11: {"joined_after_balance"},
        12: {"pokok_exceeded"},
        13: {"amount_decimal", "amount_negative"},
        14: {"example_row"},
        15: {"address_too_long"},
    }
    fields = {issue.code: issue.field for row in preview.rows for issue in row.issues}
    assert fields["name_required"] == "name" and fields["phone_invalid"] == "phone"
    assert fields["pokok_exceeded"] == "pokok" and fields["date_invalid"] == "joined"
    # Only good rows count towards the totals.
    assert dict(preview.totals) == {"pokok": 100_000, "wajib": 1_200_000, "sukarela": 0}
    assert not preview.ready


def test_phone_typed_as_a_number_keeps_its_leading_zero() -> None:
    preview = check([member(phone=81234567890)])
    assert preview.ready and preview.rows[0].phone == "081234567890"


def test_member_rules_report_every_field() -> None:
    nik, refusals = member_problems("", "3576", "12")
    assert nik is None
    assert [(r.details[0]["field"], r.code) for r in refusals] == [
        ("full_name", "name_required"),
        ("nik", "nik_length"),
        ("phone", "phone_invalid"),
    ]
    assert member_problems("Ani", "3576 0141 0190 0001", "") == (NIK_A, [])


# --- templates and the suspense explanation -------------------------------------------------


def test_templates_read_back_with_their_example_row_refused() -> None:
    _ = translator("id")
    chart = [templates.ChartLine("1-1100", "Kas", "aset", False)]
    opening = sheets.read_table("t.xlsx", templates.opening_template(chart, _), OPENING_COLUMNS)
    assert opening.rows[0].cells == {
        "code": "1-1100",
        "name": "Kas (contoh)",
        "debit": 5_000_000,
        "credit": None,
    }
    assert codes(check_opening(opening.rows, CHART, CONTROLLED).rows[0].issues) == {"example_row"}
    members = sheets.read_table(
        "t.xlsx", templates.members_template(100_000, translator("en")), MEMBER_COLUMNS
    )
    preview = check([dict(members.rows[0].cells)], existing_numbers=set())
    assert codes(preview.rows[0].issues) == {"example_row"}
    book = openpyxl.load_workbook(io.BytesIO(templates.opening_template(chart, _)))
    assert book.sheetnames == ["Saldo awal", "Petunjuk", "Bagan akun"]


def test_suspense_explanation() -> None:
    assert suspense_explanation(0)[1] == {}
    more, params = suspense_explanation(50_000)
    assert "lebih besar daripada jumlah saldo simpanan anggota" in more
    assert params == {"amount": "Rp 50.000"}
    less, params = suspense_explanation(-50_000)
    assert less.startswith("Jumlah saldo simpanan anggota") and params == {"amount": "Rp 50.000"}
