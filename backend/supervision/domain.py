"""Pure rules of a koperasi's legality record (DOMAIN.md "Legality and compliance"): what
the profile holds and how each field is checked and normalised, the board and supervisors,
deed amendments, and the Dinas's verification states. No ORM, no HTTP."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, fields
from datetime import date
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import Any

from backend.errors import AppError, ValidationFailed
from backend.texts import N_

# Lengths of the free-text fields (characters).
NUMBER_MAX = 100
NAME_MAX = 200
SUMMARY_MAX = 500
NOTE_MAX = 1000
KBLI_MAX = 20
BOARD_MAX = 60
AMENDMENTS_MAX = 100
NIB_DIGITS = 13  # Nomor Induk Berusaha (OSS RBA)
KBLI_DIGITS = 5  # KBLI 2020 codes
NPWP_DIGITS = (15, 16)  # the old 15-digit form and the 16-digit form used since 2024


class VerificationStatus(StrEnum):
    """Where the Dinas stands on a profile or a document."""

    MENUNGGU = "menunggu"  # waiting for the Dinas (new, or changed since it was verified)
    TERVERIFIKASI = "terverifikasi"
    DITOLAK = "ditolak"

    @property
    def label(self) -> str:
        return {
            "menunggu": N_("Menunggu verifikasi Dinas"),
            "terverifikasi": N_("Terverifikasi"),
            "ditolak": N_("Ditolak Dinas"),
        }[self.value]


# A record whose profile was never saved: nothing for the Dinas to verify yet.
NOT_FILLED_LABEL = N_("Belum diisi")


class DocumentKind(StrEnum):
    AKTA = "akta"
    SK_BADAN_HUKUM = "sk_badan_hukum"
    NIK_SERTIFIKAT = "nik_sertifikat"
    NIB = "nib"
    NPWP = "npwp"
    IZIN_USP = "izin_usp"
    LAPORAN_RAT = "laporan_rat"
    OTHER = "other"

    @property
    def label(self) -> str:
        return DOCUMENT_LABELS[self]


DOCUMENT_LABELS: dict[DocumentKind, str] = {
    DocumentKind.AKTA: N_("Akta pendirian"),
    DocumentKind.SK_BADAN_HUKUM: N_("SK badan hukum"),
    DocumentKind.NIK_SERTIFIKAT: N_("Sertifikat NIK"),
    DocumentKind.NIB: N_("NIB"),
    DocumentKind.NPWP: N_("NPWP"),
    DocumentKind.IZIN_USP: N_("Izin usaha simpan pinjam"),
    DocumentKind.LAPORAN_RAT: N_("Laporan RAT"),
    DocumentKind.OTHER: N_("Dokumen lain"),
}


class BoardBody(StrEnum):
    PENGURUS = "pengurus"
    PENGAWAS = "pengawas"

    @property
    def label(self) -> str:
        return {"pengurus": N_("Pengurus"), "pengawas": N_("Pengawas")}[self.value]


class Bentuk(StrEnum):
    """Primary koperasi have people as members; secondary ones have koperasi as members
    (their RAT may come later: see compliance_rules.json)."""

    PRIMER = "primer"
    SEKUNDER = "sekunder"

    @property
    def label(self) -> str:
        return {"primer": N_("Koperasi primer"), "sekunder": N_("Koperasi sekunder")}[self.value]


@dataclass(frozen=True)
class Profile:
    """The legality profile, checked and normalised (digits only in numbers, dates as
    dates, coordinates in millionths of a degree)."""

    badan_hukum_number: str = ""
    badan_hukum_date: date | None = None
    akta_number: str = ""
    akta_date: date | None = None
    akta_notary: str = ""
    nik: str = ""  # Nomor Induk Koperasi
    nik_issued_on: date | None = None
    nik_expires_on: date | None = None
    nib: str = ""
    kbli: tuple[str, ...] = ()
    npwp: str = ""
    izin_usp_number: str = ""
    izin_usp_date: date | None = None
    last_rat_date: date | None = None
    last_rat_report_date: date | None = None
    bentuk: Bentuk = Bentuk.PRIMER
    kelompok: str = ""
    latitude_e6: int | None = None
    longitude_e6: int | None = None


PROFILE_FIELDS: tuple[str, ...] = tuple(f.name for f in fields(Profile))

FIELD_LABELS: dict[str, str] = {
    "badan_hukum_number": N_("Nomor badan hukum"),
    "badan_hukum_date": N_("Tanggal badan hukum"),
    "akta_number": N_("Nomor akta pendirian"),
    "akta_date": N_("Tanggal akta pendirian"),
    "akta_notary": N_("Notaris"),
    "nik": N_("Nomor Induk Koperasi (NIK)"),
    "nik_issued_on": N_("Tanggal terbit sertifikat NIK"),
    "nik_expires_on": N_("Sertifikat NIK berlaku sampai"),
    "nib": N_("NIB"),
    "kbli": N_("Kode KBLI"),
    "npwp": N_("NPWP"),
    "izin_usp_number": N_("Nomor izin usaha simpan pinjam"),
    "izin_usp_date": N_("Tanggal izin usaha simpan pinjam"),
    "last_rat_date": N_("Tanggal RAT terakhir"),
    "last_rat_report_date": N_("Tanggal laporan RAT diserahkan"),
    "bentuk": N_("Bentuk koperasi"),
    "kelompok": N_("Kelompok koperasi"),
    "latitude_e6": N_("Lintang"),
    "longitude_e6": N_("Bujur"),
}


@dataclass(frozen=True)
class ProfileDraft:
    """A profile as typed: numbers may carry dots, dashes and spaces; coordinates are
    decimal text (e.g. "-7.4726"); KBLI codes a list."""

    badan_hukum_number: str = ""
    badan_hukum_date: date | None = None
    akta_number: str = ""
    akta_date: date | None = None
    akta_notary: str = ""
    nik: str = ""
    nik_issued_on: date | None = None
    nik_expires_on: date | None = None
    nib: str = ""
    kbli: Sequence[str] = ()
    npwp: str = ""
    izin_usp_number: str = ""
    izin_usp_date: date | None = None
    last_rat_date: date | None = None
    last_rat_report_date: date | None = None
    bentuk: str = Bentuk.PRIMER.value
    kelompok: str = ""
    latitude: str = ""
    longitude: str = ""


@dataclass(frozen=True)
class Problem:
    field: str
    code: str
    message: str
    params: Mapping[str, Any] = dataclasses.field(default_factory=dict)


class RecordInvalid(AppError):
    """One or more fields refused; `details` names each (field, code, message)."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        super().__init__(
            code="record_invalid",
            message=N_("Periksa isian yang ditandai."),
            status=422,
            details=[
                {"field": p.field, "code": p.code, "message": p.message, "params": dict(p.params)}
                for p in problems
            ],
        )
        self.problems = list(problems)


class Refused(AppError):
    """A refusal whose message has placeholders, filled in the reader's language."""

    def __init__(self, code: str, message: str, status: int = 422, **params: Any) -> None:
        super().__init__(code=code, message=message, status=status)
        self.params = params


# Identifier numbers


_SEPARATORS = re.compile(r"[\s.\-/]")


def digits_of(raw: str) -> str:
    """A number as typed, without the usual separators (spaces, dots, dashes, slashes)."""
    return _SEPARATORS.sub("", raw or "")


def check_npwp(raw: str) -> str:
    """The NPWP's digits: 15 (`01.234.567.8-901.000`) or 16 (the form used since 2024).
    The ninth digit of the old form is a check digit, but its algorithm is not published
    by the tax office, so only the form is checked."""
    value = digits_of(raw)
    if not value.isascii() or not value.isdigit():
        raise ValidationFailed("npwp_invalid", N_("NPWP hanya berisi angka."), "npwp")
    if len(value) not in NPWP_DIGITS:
        raise ValidationFailed("npwp_invalid", N_("NPWP terdiri dari 15 atau 16 angka."), "npwp")
    if set(value) == {"0"}:
        raise ValidationFailed("npwp_invalid", N_("NPWP tidak boleh nol semua."), "npwp")
    return value


def format_npwp(value: str) -> str:
    """`012345678901000` -> `01.234.567.8-901.000`; the 16-digit form in groups of four."""
    if len(value) == 15 and value.isdigit():
        return f"{value[0:2]}.{value[2:5]}.{value[5:8]}.{value[8]}-{value[9:12]}.{value[12:15]}"
    if len(value) == 16 and value.isdigit():
        return " ".join(value[i : i + 4] for i in range(0, 16, 4))
    return value


def check_nik_koperasi(raw: str, digits: int) -> str:
    """The Nomor Induk Koperasi: `digits` digits (compliance_rules.json, verify)."""
    value = digits_of(raw)
    if not value.isascii() or not value.isdigit() or len(value) != digits:
        raise Refused(
            "nik_invalid",
            N_("Nomor Induk Koperasi terdiri dari {digits} angka."),
            digits=digits,
        )
    if set(value) == {"0"}:
        raise Refused("nik_invalid", N_("Nomor Induk Koperasi tidak boleh nol semua."))
    return value


def check_nib(raw: str) -> str:
    value = digits_of(raw)
    if not value.isascii() or not value.isdigit() or len(value) != NIB_DIGITS:
        raise ValidationFailed("nib_invalid", N_("NIB terdiri dari 13 angka."), "nib")
    return value


def check_kbli(codes: Iterable[str]) -> tuple[str, ...]:
    """KBLI codes, five digits each, without repeats, in the order given."""
    seen: list[str] = []
    for raw in codes:
        code = digits_of(raw)
        if not code:
            continue
        if not code.isascii() or not code.isdigit() or len(code) != KBLI_DIGITS:
            raise Refused("kbli_invalid", N_("Kode KBLI terdiri dari 5 angka: {value}."), value=raw)
        if code not in seen:
            seen.append(code)
    if len(seen) > KBLI_MAX:
        raise Refused("kbli_invalid", N_("Paling banyak {count} kode KBLI."), count=KBLI_MAX)
    return tuple(seen)


def parse_coordinate(raw: str, limit: int) -> int:
    """Decimal degrees as text -> millionths of a degree (no floats). Refuses values
    outside ±`limit` and more than six decimals."""
    try:
        value = Decimal(raw.strip().replace(",", "."))
    except InvalidOperation as exc:
        raise ValueError("not a number") from exc
    if not value.is_finite() or abs(value) > limit:
        raise ValueError("out of range")
    scaled = value * 1_000_000
    if scaled != scaled.to_integral_value():
        raise ValueError("more than six decimals")
    return int(scaled)


def coordinate_text(value: int | None) -> str:
    """Millionths of a degree -> `-7.472638` (trailing zeros dropped, at least 1 decimal)."""
    if value is None:
        return ""
    text = f"{Decimal(value) / 1_000_000:.6f}".rstrip("0")
    return text + "0" if text.endswith(".") else text


def _clean(text: str) -> str:
    """Trimmed, inner whitespace (and control characters) folded to single spaces."""
    return " ".join("".join(ch if ch.isprintable() else " " for ch in text or "").split())


def add_years(day: date, years: int) -> date:
    """The same day `years` later; February 29 becomes February 28 in a common year."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def check_profile(
    draft: ProfileDraft, today: date, nik_digits: int, nik_valid_years: int
) -> Profile:
    """The profile to store, or `RecordInvalid` naming every field to fix. The NIK
    certificate's expiry is its issue date + `nik_valid_years` unless one is given."""
    problems: list[Problem] = []

    def refuse(name: str, code: str, message: str, **params: Any) -> None:
        problems.append(Problem(name, code, message, params))

    def text(name: str, limit: int) -> str:
        value = _clean(getattr(draft, name))
        if len(value) > limit:
            refuse(name, "too_long", N_("Paling banyak {limit} karakter."), limit=limit)
        return value

    def past(name: str) -> date | None:
        value: date | None = getattr(draft, name)
        if value is not None and value > today:
            refuse(name, "date_in_future", N_("Tanggal tidak boleh setelah hari ini."))
        return value

    def number(name: str, check: Any, *args: Any) -> str:
        raw = _clean(getattr(draft, name))
        if not raw:
            return ""
        try:
            return str(check(raw, *args))
        except Refused as error:
            refuse(name, error.code, error.message, **error.params)
        except AppError as error:
            refuse(name, error.code, error.message)
        return raw

    nik = number("nik", check_nik_koperasi, nik_digits)
    issued = past("nik_issued_on")
    expires = draft.nik_expires_on
    if expires is None and issued is not None:
        expires = add_years(issued, nik_valid_years)
    if issued is not None and expires is not None and expires <= issued:
        refuse(
            "nik_expires_on",
            "expiry_before_issue",
            N_("Masa berlaku harus sesudah tanggal terbit."),
        )
    if (issued is not None or draft.nik_expires_on is not None) and not nik:
        refuse("nik", "nik_required", N_("Isi Nomor Induk Koperasi dari sertifikatnya."))
    kbli: tuple[str, ...] = ()
    try:
        kbli = check_kbli(draft.kbli)
    except Refused as error:
        refuse("kbli", error.code, error.message, **error.params)
    try:
        bentuk = Bentuk(draft.bentuk)
    except ValueError:
        refuse("bentuk", "bentuk_invalid", N_("Pilih koperasi primer atau sekunder."))
        bentuk = Bentuk.PRIMER
    latitude = longitude = None
    lat_raw, lon_raw = draft.latitude.strip(), draft.longitude.strip()
    if bool(lat_raw) != bool(lon_raw):
        refuse(
            "latitude" if not lat_raw else "longitude",
            "coordinates_incomplete",
            N_("Isi lintang dan bujur, atau kosongkan keduanya."),
        )
    elif lat_raw:
        for name, raw, limit in (("latitude", lat_raw, 90), ("longitude", lon_raw, 180)):
            try:
                value = parse_coordinate(raw, limit)
            except ValueError:
                refuse(
                    name,
                    "coordinate_invalid",
                    N_(
                        "Tulis derajat desimal antara -{limit} dan {limit}, paling banyak 6 "
                        "angka di belakang koma."
                    ),
                    limit=limit,
                )
                continue
            if name == "latitude":
                latitude = value
            else:
                longitude = value
    profile = Profile(
        badan_hukum_number=text("badan_hukum_number", NUMBER_MAX),
        badan_hukum_date=past("badan_hukum_date"),
        akta_number=text("akta_number", NUMBER_MAX),
        akta_date=past("akta_date"),
        akta_notary=text("akta_notary", NAME_MAX),
        nik=nik,
        nik_issued_on=issued,
        nik_expires_on=expires,
        nib=number("nib", check_nib),
        kbli=kbli,
        npwp=number("npwp", check_npwp),
        izin_usp_number=text("izin_usp_number", NUMBER_MAX),
        izin_usp_date=past("izin_usp_date"),
        last_rat_date=past("last_rat_date"),
        last_rat_report_date=past("last_rat_report_date"),
        bentuk=bentuk,
        kelompok=text("kelompok", NAME_MAX),
        latitude_e6=latitude,
        longitude_e6=longitude,
    )
    founded = profile.badan_hukum_date or profile.akta_date
    if founded and profile.last_rat_date and profile.last_rat_date < founded:
        refuse(
            "last_rat_date",
            "rat_before_founding",
            N_("Tanggal RAT terakhir tidak boleh sebelum koperasi berdiri."),
        )
    if problems:
        raise RecordInvalid(problems)
    return profile


def profile_changes(old: Profile, new: Profile) -> dict[str, list[Any]]:
    """field -> [before, after] for each field that changes (for the audit log)."""
    return {
        name: [_plain(getattr(old, name)), _plain(getattr(new, name))]
        for name in PROFILE_FIELDS
        if getattr(old, name) != getattr(new, name)
    }


def _plain(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, tuple):
        return list(value)
    if isinstance(value, StrEnum):
        return value.value
    return value


# Board and supervisors, deed amendments


@dataclass(frozen=True)
class BoardMember:
    body: BoardBody
    name: str
    title: str
    term_start: date | None = None
    term_end: date | None = None


@dataclass(frozen=True)
class Amendment:
    number: str
    deed_date: date
    notary: str = ""
    summary: str = ""


def check_board(members: Sequence[BoardMember]) -> list[BoardMember]:
    """The board and supervisors as stored: names and titles required, a term ends after
    it starts. Refuses with every row to fix."""
    problems: list[Problem] = []
    if len(members) > BOARD_MAX:
        raise Refused("board_too_long", N_("Paling banyak {count} orang."), count=BOARD_MAX)
    result = []
    for index, member in enumerate(members):
        name, title = _clean(member.name), _clean(member.title)
        where = f"board.{index}"
        if not name or len(name) > NAME_MAX:
            problems.append(
                Problem(
                    f"{where}.name", "name_required", N_("Isi nama (paling banyak 200 karakter).")
                )
            )
        if not title or len(title) > NUMBER_MAX:
            problems.append(
                Problem(
                    f"{where}.title",
                    "title_required",
                    N_("Isi jabatan (paling banyak 100 karakter)."),
                )
            )
        if member.term_start and member.term_end and member.term_end <= member.term_start:
            problems.append(
                Problem(
                    f"{where}.term_end",
                    "term_invalid",
                    N_("Masa jabatan harus berakhir sesudah mulai."),
                )
            )
        result.append(BoardMember(member.body, name, title, member.term_start, member.term_end))
    if problems:
        raise RecordInvalid(problems)
    return result


def check_amendments(amendments: Sequence[Amendment], today: date) -> list[Amendment]:
    problems: list[Problem] = []
    if len(amendments) > AMENDMENTS_MAX:
        raise Refused(
            "amendments_too_long", N_("Paling banyak {count} perubahan akta."), count=AMENDMENTS_MAX
        )
    result = []
    for index, item in enumerate(amendments):
        number, notary, summary = _clean(item.number), _clean(item.notary), _clean(item.summary)
        where = f"amendments.{index}"
        if not number or len(number) > NUMBER_MAX:
            problems.append(
                Problem(
                    f"{where}.number",
                    "number_required",
                    N_("Isi nomor akta (paling banyak 100 karakter)."),
                )
            )
        if item.deed_date > today:
            problems.append(
                Problem(
                    f"{where}.deed_date",
                    "date_in_future",
                    N_("Tanggal tidak boleh setelah hari ini."),
                )
            )
        if len(notary) > NAME_MAX:
            problems.append(
                Problem(
                    f"{where}.notary",
                    "too_long",
                    N_("Paling banyak {limit} karakter."),
                    {"limit": NAME_MAX},
                )
            )
        if len(summary) > SUMMARY_MAX:
            problems.append(
                Problem(
                    f"{where}.summary",
                    "too_long",
                    N_("Paling banyak {limit} karakter."),
                    {"limit": SUMMARY_MAX},
                )
            )
        result.append(Amendment(number, item.deed_date, notary, summary))
    if problems:
        raise RecordInvalid(problems)
    return sorted(result, key=lambda a: (a.deed_date, a.number))


def board_plain(members: Iterable[BoardMember]) -> list[dict[str, Any]]:
    return [
        {
            "body": m.body.value,
            "name": m.name,
            "title": m.title,
            "term_start": _plain(m.term_start),
            "term_end": _plain(m.term_end),
        }
        for m in members
    ]


def amendments_plain(items: Iterable[Amendment]) -> list[dict[str, Any]]:
    return [
        {
            "number": a.number,
            "deed_date": a.deed_date.isoformat(),
            "notary": a.notary,
            "summary": a.summary,
        }
        for a in items
    ]


# Verification


def check_verdict(status: VerificationStatus, note: str) -> str:
    """A Dinas decision: verified or rejected (rejected needs a note saying what to fix)."""
    note = _clean(note)
    if status is VerificationStatus.MENUNGGU:
        raise ValidationFailed("verdict_invalid", N_("Pilih terverifikasi atau ditolak."), "status")
    if status is VerificationStatus.DITOLAK and not note:
        raise ValidationFailed(
            "note_required",
            N_("Tuliskan alasan penolakan: apa yang harus diperbaiki pengurus."),
            "note",
        )
    if len(note) > NOTE_MAX:
        raise Refused(
            "note_too_long", N_("Catatan paling banyak {limit} karakter."), limit=NOTE_MAX
        )
    return note


def status_after_edit(current: VerificationStatus | None, changed: bool) -> VerificationStatus:
    """A change by the pengurus sends the profile back to the Dinas: a verified or rejected
    profile that changes is waiting again; an unchanged one keeps its state."""
    if current is None or changed:
        return VerificationStatus.MENUNGGU
    return current
