"""Pure rules of spreadsheet imports: the columns each import reads, parsing what people
type into cells (rupiah, dates, codes), and checking every row of an opening-balance file
and of a member file. No database, no HTTP: the service hands in what the koperasi already
has (its chart, its members) and gets back each row with its status and reasons.

A reason (`Issue`) carries a machine code and an Indonesian message with `{placeholders}`;
it is translated, and the placeholders filled, where it is shown."""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from dataclasses import field as default
from datetime import date, datetime, time, timedelta
from enum import StrEnum

from backend.errors import ValidationFailed
from backend.formatting import long_date, rupiah
from backend.ledger.domain import MAX_AMOUNT, MAX_LINES, Line
from backend.members.domain import member_sequence
from backend.texts import N_

Cell = str | int | float | bool | date | datetime | time | None

SUSPENSE_CODE = "3-9900"
SUSPENSE_NAME = N_("Ayat silang saldo awal")
# A template's example row says "(contoh)" in its name: left in the file, it is refused.
EXAMPLE_MARK = "(contoh)"
MAX_ADDRESS = 500
MAX_MEMBER_NUMBER = 20
_MEMBER_NUMBER_RE = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9./-]*[A-Za-z0-9])?$")


class RowStatus(StrEnum):
    OK = "ok"
    ERROR = "error"  # refused: the reasons say why
    SKIPPED = "skipped"  # nothing to record (an account with a zero balance)

    @property
    def label(self) -> str:
        return {
            "ok": N_("Siap"),
            "error": N_("Bermasalah"),
            "skipped": N_("Dilewati"),
        }[self.value]


@dataclass(frozen=True)
class Issue:
    """Why a row (or the whole file) cannot be imported. `field`: the column's key, or ""
    for the row as a whole."""

    field: str
    code: str
    message: str
    params: Mapping[str, str | int] = default(default_factory=dict)


class ImportRefused(ValidationFailed):
    """The file as a whole cannot be read or used (422); `params` fill the message's
    placeholders once it is translated."""

    def __init__(self, code: str, message: str, **params: str | int) -> None:
        super().__init__(code, message)
        self.params = params


class CellError(ValueError):
    def __init__(self, code: str, message: str, **params: str | int) -> None:
        super().__init__(code)
        self.code = code
        self.message = message
        self.params = params


# --- columns ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    key: str
    header: str  # as the template writes it
    label: str  # what the preview calls it (translated where shown)
    aliases: tuple[str, ...] = ()
    required: bool = True
    numeric: bool = False

    def names(self) -> set[str]:
        return {normalize_header(name) for name in (self.header, *self.aliases)}


OPENING_COLUMNS: tuple[Column, ...] = (
    Column(
        "code",
        "kode akun",
        N_("Kode akun"),
        ("kode", "kode rekening", "no akun", "nomor akun", "no rekening", "account code"),
    ),
    Column(
        "name",
        "nama akun",
        N_("Nama akun"),
        ("nama rekening", "account name", "account"),
        required=False,
    ),
    Column("debit", "debit", N_("Debit"), ("debet",), numeric=True),
    Column("credit", "kredit", N_("Kredit"), ("credit",), numeric=True),
)

MEMBER_COLUMNS: tuple[Column, ...] = (
    Column(
        "number",
        "nomor anggota",
        N_("Nomor anggota"),
        ("no anggota", "nomor", "no", "member number"),
    ),
    Column("name", "nama", N_("Nama"), ("nama lengkap", "nama anggota", "name", "full name")),
    Column("nik", "NIK", N_("NIK"), ("no ktp", "nomor ktp", "nomor induk kependudukan")),
    Column(
        "joined",
        "tanggal masuk",
        N_("Tanggal masuk"),
        ("tgl masuk", "tanggal bergabung", "tanggal daftar", "join date", "joined"),
    ),
    Column(
        "phone",
        "telepon",
        N_("Telepon"),
        ("telp", "no hp", "nomor hp", "hp", "no telepon", "nomor telepon", "phone"),
        required=False,
    ),
    Column("address", "alamat", N_("Alamat"), ("address",), required=False),
    Column("pokok", "simpanan pokok", N_("Simpanan pokok"), ("pokok",), numeric=True),
    Column("wajib", "simpanan wajib", N_("Simpanan wajib"), ("wajib",), numeric=True),
    Column("sukarela", "simpanan sukarela", N_("Simpanan sukarela"), ("sukarela",), numeric=True),
)


def normalize_header(text: str) -> str:
    """`Tanggal Masuk (dd/mm/yyyy)*` -> `tanggal masuk`; `No. Anggota` -> `no anggota`."""
    text = re.sub(r"\(.*?\)", " ", text.lower())
    text = re.sub(r"[*:._\u00a0]", " ", text)
    return " ".join(text.split())


def locate_columns(header: Sequence[Cell], columns: Sequence[Column]) -> dict[str, int] | None:
    """Where each column is in a header row; None if a required one is missing."""
    found: dict[str, int] = {}
    for index, cell in enumerate(header):
        if not isinstance(cell, str):
            continue
        name = normalize_header(cell)
        for column in columns:
            if column.key not in found and name in column.names():
                found[column.key] = index
                break
    if all(c.key in found for c in columns if c.required):
        return found
    return None


def missing_columns(header: Sequence[Cell], columns: Sequence[Column]) -> list[str]:
    names = {normalize_header(c) for c in header if isinstance(c, str)}
    return [c.header for c in columns if c.required and not (c.names() & names)]


@dataclass(frozen=True)
class SheetRow:
    """A data row: its number as the spreadsheet shows it, and its cells by column key."""

    number: int
    cells: Mapping[str, Cell]


# --- cells --------------------------------------------------------------------------------

_DIGITS = re.compile(r"[0-9]+")
_DOT_GROUPS = re.compile(r"[0-9]{1,3}(?:\.[0-9]{3})+")
_DECIMALS = re.compile(r"[0-9]+(?:\.[0-9]{3})*[.,][0-9]+")
_ZERO_DECIMALS = re.compile(r"(?:,0{1,2}|,-)$")
_CURRENCY = re.compile(r"^(?:rp\.?|idr)\s*", re.IGNORECASE)


def _amount_error(code: str) -> CellError:
    messages = {
        "amount_negative": N_("Jumlah tidak boleh negatif."),
        "amount_decimal": N_("Jumlah harus rupiah bulat tanpa desimal."),
        "amount_too_large": N_("Jumlah terlalu besar."),
        "amount_not_number": N_("Bukan jumlah rupiah: tulis angka seperti 1500000 atau 1.500.000."),
    }
    return CellError(code, messages[code])


def parse_rupiah(cell: Cell) -> int:
    """Whole rupiah from a cell: a number, or text such as `1500000`, `1.500.000`,
    `Rp 1.500.000` or `Rp 1.500.000,-`. Blank is 0. Decimals, negatives and text are
    refused (`CellError`)."""
    if cell is None:
        return 0
    if isinstance(cell, bool | date | time):
        raise _amount_error("amount_not_number")
    if isinstance(cell, int):
        amount = cell
    elif isinstance(cell, float):
        if not math.isfinite(cell):
            raise _amount_error("amount_not_number")
        if cell < 0:
            raise _amount_error("amount_negative")
        if cell > MAX_AMOUNT:
            raise _amount_error("amount_too_large")
        # Excel keeps every number as a float: 1500000.0 is whole; 0.000001 off is a
        # formula's rounding, not a decimal someone typed.
        amount = round(cell)
        if abs(cell - amount) > 1e-6:
            raise _amount_error("amount_decimal")
    else:
        amount = _parse_rupiah_text(cell)
    if amount < 0:
        raise _amount_error("amount_negative")
    if amount > MAX_AMOUNT:
        raise _amount_error("amount_too_large")
    return amount


def _parse_rupiah_text(raw: str) -> int:
    text = raw.replace("\u00a0", " ").strip()
    if not text:
        return 0
    negative = text.startswith(("-", "\u2212")) or (text.startswith("(") and text.endswith(")"))
    text = _CURRENCY.sub("", text.strip("()")).strip()
    if negative or text.startswith(("-", "\u2212")):
        raise _amount_error("amount_negative")
    text = _ZERO_DECIMALS.sub("", text.replace(" ", ""))
    if _DIGITS.fullmatch(text):
        return int(text)
    if _DOT_GROUPS.fullmatch(text):
        return int(text.replace(".", ""))
    if _DECIMALS.fullmatch(text):
        raise _amount_error("amount_decimal")
    raise _amount_error("amount_not_number")


def cell_text(cell: Cell) -> str:
    """A cell as text: numbers without a trailing `.0`, text trimmed, blank as ""."""
    if cell is None or isinstance(cell, bool):
        return "" if cell is None else str(cell)
    if isinstance(cell, float):
        return str(int(cell)) if cell.is_integer() else str(cell)
    if isinstance(cell, datetime):
        return cell.date().isoformat() if cell.time() == time() else cell.isoformat(" ")
    if isinstance(cell, date | time):
        return cell.isoformat()
    return " ".join(str(cell).split())


_DMY = re.compile(r"([0-9]{1,2})[/.-]([0-9]{1,2})[/.-]([0-9]{2,4})")
_YMD = re.compile(r"([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})")
_TIME_TAIL = re.compile(r"[ T][0-9]{1,2}[:.][0-9]{2}(?:[:.][0-9]{2}(?:\.[0-9]+)?)?$")
_EXCEL_EPOCH = date(1899, 12, 30)
FIRST_DATE = date(1900, 1, 1)


def parse_date(cell: Cell) -> date:
    """A date from a cell: an Excel date, `dd/mm/yyyy` (also with `-` or `.`), or
    `yyyy-mm-dd`. Refused (`CellError`): blank, two-digit years, days not on the calendar."""
    if cell is None or (isinstance(cell, str) and not cell.strip()):
        raise CellError("date_required", N_("Wajib diisi."))
    if isinstance(cell, datetime):
        return cell.date()
    if isinstance(cell, date):
        return cell
    if isinstance(cell, int | float) and not isinstance(cell, bool):
        # A date cell without a date format reaches us as Excel's day number.
        if math.isfinite(cell) and float(cell).is_integer() and 1 <= cell <= 2_958_465:
            return _EXCEL_EPOCH + timedelta(days=int(cell))
        raise _date_format()
    if not isinstance(cell, str):
        raise _date_format()
    text = _TIME_TAIL.sub("", cell.strip())
    if match := _YMD.fullmatch(text):
        year, month, day = (int(part) for part in match.groups())
    elif match := _DMY.fullmatch(text):
        day, month = int(match.group(1)), int(match.group(2))
        if len(match.group(3)) != 4:
            raise CellError("date_year", N_("Tulis tahun dengan 4 digit, misalnya 05/01/2020."))
        year = int(match.group(3))
    else:
        raise _date_format()
    try:
        return date(year, month, day)
    except ValueError:
        raise CellError("date_invalid", N_("Tanggal ini tidak ada di kalender.")) from None


def _date_format() -> CellError:
    return CellError(
        "date_format", N_("Tanggal tidak dikenali: tulis dd/mm/yyyy, misalnya 05/01/2020.")
    )


def parse_form_date(value: str, today: date) -> date:
    """The date chosen in the import form (`yyyy-mm-dd`): required, not in the future."""
    text = value.strip()
    if not text:
        raise ImportRefused("date_required", N_("Pilih tanggal saldo."))
    try:
        chosen = date.fromisoformat(text)
    except ValueError:
        raise ImportRefused("date_invalid", N_("Tanggal saldo tidak valid.")) from None
    if chosen > today:
        raise ImportRefused("date_future", N_("Tanggal saldo tidak boleh di masa depan."))
    if chosen < FIRST_DATE:
        raise ImportRefused("date_invalid", N_("Tanggal saldo tidak valid."))
    return chosen


def _is_example(*texts: str) -> bool:
    return any(EXAMPLE_MARK in text.lower() for text in texts)


def _example_issue() -> Issue:
    return Issue(
        "",
        "example_row",
        N_("Ini baris contoh dari templat: hapus baris ini atau ganti dengan data sebenarnya."),
    )


def _cell_issue(column: str, error: CellError) -> Issue:
    return Issue(column, error.code, error.message, error.params)


# --- opening balances ---------------------------------------------------------------------


@dataclass(frozen=True)
class OpeningRow:
    number: int
    code: str
    name: str  # as written in the file (informational)
    account_name: str  # the chart's name of `code` ("" if unknown)
    debit: int
    credit: int
    status: RowStatus
    issues: tuple[Issue, ...] = ()
    to_suspense: bool = False  # a savings account: recorded per member by the member import


@dataclass(frozen=True)
class OpeningPreview:
    rows: tuple[OpeningRow, ...]
    total_debit: int
    total_credit: int
    problems: tuple[Issue, ...]  # about the file as a whole

    @property
    def bad_rows(self) -> list[OpeningRow]:
        return [row for row in self.rows if row.status is RowStatus.ERROR]

    @property
    def balanced(self) -> bool:
        return self.total_debit == self.total_credit

    @property
    def ready(self) -> bool:
        return not self.problems and not self.bad_rows

    def lines(self, suspense: str = SUSPENSE_CODE) -> list[Line]:
        """The opening entry: each account's balance on its side; savings accounts' balances
        go to the suspense account (their memo says which account they stand for)."""
        lines = []
        for row in self.rows:
            if row.status is not RowStatus.OK:
                continue
            if row.to_suspense:
                lines.append(
                    Line(suspense, row.debit, row.credit, f"{row.code} {row.account_name}")
                )
            else:
                lines.append(Line(row.code, row.debit, row.credit))
        return lines

    @property
    def suspense_amount(self) -> int:
        """What the savings accounts hold in this file (credit side positive)."""
        return sum(
            r.credit - r.debit for r in self.rows if r.status is RowStatus.OK and r.to_suspense
        )


def check_opening(
    rows: Sequence[SheetRow],
    chart: Mapping[str, str],
    controlled: Collection[str],
    suspense: str = SUSPENSE_CODE,
) -> OpeningPreview:
    """Every row of an opening-balance file, checked against the koperasi's chart
    (`code -> name`). `controlled`: the savings accounts, whose balances go to `suspense`."""
    checked: list[OpeningRow] = []
    first_row: dict[str, int] = {}
    total_debit = total_credit = 0
    for row in rows:
        issues: list[Issue] = []
        code = cell_text(row.cells.get("code"))
        name = cell_text(row.cells.get("name"))
        if _is_example(name):
            issues.append(_example_issue())
        if not code:
            issues.append(Issue("code", "code_required", N_("Wajib diisi.")))
        elif code == suspense:
            issues.append(
                Issue(
                    "code",
                    "suspense_in_file",
                    N_("Akun ayat silang saldo awal diisi otomatis: hapus baris ini."),
                )
            )
        elif code not in chart:
            issues.append(
                Issue(
                    "code",
                    "account_unknown",
                    N_("{code} tidak ada di bagan akun koperasi ini."),
                    {"code": code},
                )
            )
        elif code in first_row:
            issues.append(
                Issue(
                    "code",
                    "account_repeated",
                    N_("{code} sudah ada di baris {row}."),
                    {"code": code, "row": first_row[code]},
                )
            )
        else:
            first_row[code] = row.number
        amounts: dict[str, int] = {}
        for key in ("debit", "credit"):
            try:
                amounts[key] = parse_rupiah(row.cells.get(key))
            except CellError as error:
                issues.append(_cell_issue(key, error))
        debit, credit = amounts.get("debit", 0), amounts.get("credit", 0)
        if debit > 0 and credit > 0:
            issues.append(
                Issue("", "both_sides", N_("Isi debit atau kredit saja, tidak keduanya."))
            )
        if len(amounts) == 2:
            total_debit += debit
            total_credit += credit
        if issues:
            status = RowStatus.ERROR
        elif debit == 0 and credit == 0:
            status = RowStatus.SKIPPED
        else:
            status = RowStatus.OK
        checked.append(
            OpeningRow(
                number=row.number,
                code=code,
                name=name,
                account_name=chart.get(code, ""),
                debit=debit,
                credit=credit,
                status=status,
                issues=tuple(issues),
                to_suspense=code in controlled,
            )
        )
    problems: list[Issue] = []
    posted = [row for row in checked if row.status is RowStatus.OK]
    if not checked:
        problems.append(Issue("", "no_rows", N_("Berkas tidak berisi baris data.")))
    elif not posted and not any(row.status is RowStatus.ERROR for row in checked):
        problems.append(Issue("", "no_amounts", N_("Berkas tidak berisi saldo apa pun.")))
    if total_debit != total_credit:
        problems.append(
            Issue(
                "",
                "unbalanced",
                N_(
                    "Total debit {debit} tidak sama dengan total kredit {credit} "
                    "(selisih {difference})."
                ),
                {
                    "debit": rupiah(total_debit),
                    "credit": rupiah(total_credit),
                    "difference": rupiah(abs(total_debit - total_credit)),
                },
            )
        )
    if len(posted) > MAX_LINES:
        problems.append(
            Issue(
                "",
                "too_many_accounts",
                N_("Paling banyak {count} akun dalam satu saldo awal."),
                {"count": MAX_LINES},
            )
        )
    return OpeningPreview(tuple(checked), total_debit, total_credit, tuple(problems))


# --- members ------------------------------------------------------------------------------

SAVINGS_KEYS = ("pokok", "wajib", "sukarela")

# (full_name, nik, phone) -> (normalized NIK or None when the NIK is refused, every rule
# the members context refuses them by). The service passes `backend.members.bulk`.
MemberRules = Callable[[str, str, str], tuple[str | None, list[ValidationFailed]]]
_MEMBER_FIELDS = {"full_name": "name", "nik": "nik", "phone": "phone"}


@dataclass(frozen=True)
class MemberRow:
    number: int
    member_number: str
    automatic_number: bool
    full_name: str
    nik: str
    joined_on: date | None
    phone: str
    address: str
    savings: Mapping[str, int]
    status: RowStatus
    issues: tuple[Issue, ...] = ()


@dataclass(frozen=True)
class MembersPreview:
    rows: tuple[MemberRow, ...]
    totals: Mapping[str, int]
    problems: tuple[Issue, ...]

    @property
    def bad_rows(self) -> list[MemberRow]:
        return [row for row in self.rows if row.status is RowStatus.ERROR]

    @property
    def ready(self) -> bool:
        return not self.problems and not self.bad_rows

    @property
    def total(self) -> int:
        return sum(self.totals.values())


def clean_phone(cell: Cell) -> str:
    """A phone number typed into a number cell lost its leading 0 (81234… -> 081234…)."""
    text = cell_text(cell)
    if isinstance(cell, int | float) and not isinstance(cell, bool) and text.startswith("8"):
        return "0" + text
    return text


def check_members(
    rows: Sequence[SheetRow],
    *,
    rules: MemberRules,
    existing_numbers: Collection[str],
    existing_niks: Collection[str],
    pokok_limit: int,
    balance_date: date,
) -> MembersPreview:
    """Every row of a member file: the member rules (name, NIK, phone), numbers and NIKs
    not repeated in the file nor already in the koperasi, dates, and savings balances.
    Rows without a member number get the next `A-NNNN` numbers, in file order."""
    taken_numbers = {n.casefold() for n in existing_numbers}
    taken_niks = set(existing_niks)
    written = [cell_text(row.cells.get("number")) for row in rows]
    file_numbers = {number.casefold() for number in written if number}
    sequence = max((member_sequence(n) for n in [*existing_numbers, *written]), default=0)
    seen_numbers: dict[str, int] = {}
    seen_niks: dict[str, int] = {}
    checked: list[MemberRow] = []
    totals = dict.fromkeys(SAVINGS_KEYS, 0)
    for row in rows:
        issues: list[Issue] = []
        name = cell_text(row.cells.get("name"))
        if _is_example(name):
            issues.append(_example_issue())
        # Member number: as written, or the next free A-NNNN.
        member_number = cell_text(row.cells.get("number"))
        automatic = not member_number
        if automatic:
            sequence += 1
            member_number = f"A-{sequence:04d}"
            while (
                member_number.casefold() in taken_numbers
                or member_number.casefold() in file_numbers
            ):
                sequence += 1
                member_number = f"A-{sequence:04d}"
        elif len(member_number) > MAX_MEMBER_NUMBER or not _MEMBER_NUMBER_RE.match(member_number):
            issues.append(
                Issue(
                    "number",
                    "member_number_invalid",
                    N_(
                        "Hanya boleh berisi huruf, angka, titik, garis miring dan tanda "
                        "hubung (paling banyak 20)."
                    ),
                )
            )
        elif member_number.casefold() in taken_numbers:
            issues.append(
                Issue(
                    "number",
                    "member_number_taken",
                    N_("{number} sudah dipakai di koperasi ini."),
                    {"number": member_number},
                )
            )
        elif member_number.casefold() in seen_numbers:
            issues.append(
                Issue(
                    "number",
                    "member_number_repeated",
                    N_("{number} sudah ada di baris {row}."),
                    {"number": member_number, "row": seen_numbers[member_number.casefold()]},
                )
            )
        seen_numbers.setdefault(member_number.casefold(), row.number)
        # Name, NIK and phone: the members context's own rules.
        raw_nik = row.cells.get("nik")
        nik_text = cell_text(raw_nik)
        phone = clean_phone(row.cells.get("phone"))
        nik, refusals = rules(name, nik_text, phone)
        for refusal in refusals:
            where = refusal.details[0]["field"] if refusal.details else ""
            issues.append(Issue(_MEMBER_FIELDS.get(where, ""), refusal.code, refusal.message))
        if isinstance(raw_nik, int | float) and not isinstance(raw_nik, bool) and nik_text:
            # Excel keeps 15 digits of a number: a 16-digit NIK typed as a number lost one.
            nik = None
            issues.append(
                Issue(
                    "nik",
                    "nik_number_cell",
                    N_(
                        "NIK tersimpan sebagai angka sehingga digit terakhirnya bisa berubah: "
                        "jadikan kolom NIK berformat Teks lalu ketik ulang NIK-nya."
                    ),
                )
            )
        if nik is not None:
            if nik in taken_niks:
                issues.append(
                    Issue(
                        "nik",
                        "nik_taken",
                        N_("NIK ini sudah terdaftar sebagai anggota koperasi ini."),
                    )
                )
            elif nik in seen_niks:
                issues.append(
                    Issue(
                        "nik",
                        "nik_repeated",
                        N_("Sudah ada di baris {row}."),
                        {"row": seen_niks[nik]},
                    )
                )
            seen_niks.setdefault(nik, row.number)
        # Joining date.
        joined: date | None = None
        try:
            joined = parse_date(row.cells.get("joined"))
        except CellError as error:
            issues.append(_cell_issue("joined", error))
        if joined is not None and joined > balance_date:
            issues.append(
                Issue(
                    "joined",
                    "joined_after_balance",
                    N_("Sesudah tanggal saldo ({date})."),
                    {"date": long_date(balance_date)},
                )
            )
        elif joined is not None and joined < FIRST_DATE:
            issues.append(Issue("joined", "date_invalid", N_("Tanggal ini tidak ada di kalender.")))
        address = cell_text(row.cells.get("address"))
        if len(address) > MAX_ADDRESS:
            issues.append(
                Issue(
                    "address",
                    "address_too_long",
                    N_("Terlalu panjang (paling banyak {count} huruf)."),
                    {"count": MAX_ADDRESS},
                )
            )
        # Savings balances.
        savings: dict[str, int] = {}
        for key in SAVINGS_KEYS:
            try:
                savings[key] = parse_rupiah(row.cells.get(key))
            except CellError as error:
                issues.append(_cell_issue(key, error))
                savings[key] = 0
        if savings["pokok"] > pokok_limit:
            issues.append(
                Issue(
                    "pokok",
                    "pokok_exceeded",
                    N_("Melebihi ketentuan koperasi ({amount})."),
                    {"amount": rupiah(pokok_limit)},
                )
            )
        status = RowStatus.ERROR if issues else RowStatus.OK
        if status is RowStatus.OK:
            for key in SAVINGS_KEYS:
                totals[key] += savings[key]
        checked.append(
            MemberRow(
                number=row.number,
                member_number=member_number,
                automatic_number=automatic,
                full_name=name,
                nik=nik or nik_text,
                joined_on=joined,
                phone=phone,
                address=address,
                savings=savings,
                status=status,
                issues=tuple(issues),
            )
        )
    problems = () if checked else (Issue("", "no_rows", N_("Berkas tidak berisi baris data.")),)
    return MembersPreview(tuple(checked), totals, problems)


def suspense_explanation(balance: int) -> tuple[str, dict[str, str]]:
    """What the suspense balance ("selisih saldo awal") means, and what to do about it.
    Positive: the opening balances hold more savings than the members imported so far."""
    if balance == 0:
        return (
            N_(
                "Saldo simpanan di saldo awal neraca sama dengan jumlah saldo simpanan anggota "
                "yang diimpor."
            ),
            {},
        )
    if balance > 0:
        return (
            N_(
                "Saldo simpanan di saldo awal neraca {amount} lebih besar daripada jumlah "
                "saldo simpanan anggota yang sudah diimpor. Impor anggota yang belum masuk, "
                "atau periksa angka simpanan di kedua berkas."
            ),
            {"amount": rupiah(balance)},
        )
    return (
        N_(
            "Jumlah saldo simpanan anggota yang sudah diimpor {amount} lebih besar daripada "
            "saldo simpanan di saldo awal neraca. Impor saldo awal neraca bila belum, atau "
            "periksa angka simpanan di kedua berkas."
        ),
        {"amount": rupiah(-balance)},
    )


def issue_text(issue: Issue, translate: Callable[..., str], labels: Mapping[str, str]) -> str:
    """`Debit: Jumlah tidak boleh negatif.` in the reader's language."""
    message = (
        translate(issue.message, **dict(issue.params)) if issue.params else translate(issue.message)
    )
    label = labels.get(issue.field)
    return f"{translate(label)}: {message}" if label else message
