"""Pure member rules: NIK (Nomor Induk Kependudukan) validation and member status."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from backend.texts import N_

# Province codes (kode wilayah, Kemendagri) that a NIK can start with.
PROVINCE_CODES: dict[str, str] = {
    "11": "Aceh", "12": "Sumatera Utara", "13": "Sumatera Barat", "14": "Riau",
    "15": "Jambi", "16": "Sumatera Selatan", "17": "Bengkulu", "18": "Lampung",
    "19": "Kepulauan Bangka Belitung", "21": "Kepulauan Riau", "31": "DKI Jakarta",
    "32": "Jawa Barat", "33": "Jawa Tengah", "34": "DI Yogyakarta", "35": "Jawa Timur",
    "36": "Banten", "51": "Bali", "52": "Nusa Tenggara Barat", "53": "Nusa Tenggara Timur",
    "61": "Kalimantan Barat", "62": "Kalimantan Tengah", "63": "Kalimantan Selatan",
    "64": "Kalimantan Timur", "65": "Kalimantan Utara", "71": "Sulawesi Utara",
    "72": "Sulawesi Tengah", "73": "Sulawesi Selatan", "74": "Sulawesi Tenggara",
    "75": "Gorontalo", "76": "Sulawesi Barat", "81": "Maluku", "82": "Maluku Utara",
    "91": "Papua Barat", "92": "Papua Barat Daya", "94": "Papua",
    "93": "Papua Selatan", "95": "Papua Tengah", "96": "Papua Pegunungan",
}  # fmt: skip


class NikError(StrEnum):
    """Machine-readable reasons a NIK is refused; the UI shows `NIK_MESSAGES`."""

    LENGTH = "nik_length"
    NOT_DIGITS = "nik_not_digits"
    PROVINCE = "nik_province"
    REGION = "nik_region"
    BIRTH_DATE = "nik_birth_date"
    SEQUENCE = "nik_sequence"


NIK_MESSAGES: dict[NikError, str] = {
    NikError.LENGTH: N_("NIK harus 16 digit."),
    NikError.NOT_DIGITS: N_("NIK hanya boleh berisi angka."),
    NikError.PROVINCE: N_("Kode provinsi pada NIK (2 digit pertama) tidak dikenal."),
    NikError.REGION: N_("Kode kabupaten/kota atau kecamatan pada NIK tidak boleh 00."),
    NikError.BIRTH_DATE: N_("Tanggal lahir pada NIK (digit 7–12) tidak valid."),
    NikError.SEQUENCE: N_("Nomor urut pada NIK (4 digit terakhir) tidak boleh 0000."),
}


class InvalidNik(ValueError):
    def __init__(self, reason: NikError) -> None:
        self.reason = reason
        super().__init__(NIK_MESSAGES[reason])


@dataclass(frozen=True)
class NikInfo:
    nik: str
    province_code: str
    province: str
    regency_code: str
    district_code: str
    birth_day: int
    birth_month: int
    birth_year_2digit: int
    is_female: bool


def normalize_nik(raw: str) -> str:
    """People type NIKs with spaces or dots in groups; keep only what they meant."""
    return "".join(ch for ch in raw if ch not in " .-\t")


def parse_nik(raw: str) -> NikInfo:
    """Validate a NIK's structure (PP KK CC DDMMYY SSSS) and return what it encodes.

    Women's NIKs add 40 to the day of birth. The year has two digits, so February 29
    is accepted for any year ending in a number divisible by 4 (00 included).
    """
    nik = normalize_nik(raw)
    if not nik.isdigit() or not nik.isascii():
        raise InvalidNik(NikError.NOT_DIGITS)
    if len(nik) != 16:
        raise InvalidNik(NikError.LENGTH)
    province = nik[0:2]
    if province not in PROVINCE_CODES:
        raise InvalidNik(NikError.PROVINCE)
    if nik[2:4] == "00" or nik[4:6] == "00":
        raise InvalidNik(NikError.REGION)
    day, month, year = int(nik[6:8]), int(nik[8:10]), int(nik[10:12])
    is_female = day > 40
    if is_female:
        day -= 40
    if not 1 <= month <= 12:
        raise InvalidNik(NikError.BIRTH_DATE)
    max_day = 29 if month == 2 and year % 4 == 0 else calendar.monthrange(2001, month)[1]
    if not 1 <= day <= max_day:
        raise InvalidNik(NikError.BIRTH_DATE)
    if nik[12:16] == "0000":
        raise InvalidNik(NikError.SEQUENCE)
    return NikInfo(
        nik=nik,
        province_code=province,
        province=PROVINCE_CODES[province],
        regency_code=nik[0:4],
        district_code=nik[0:6],
        birth_day=day,
        birth_month=month,
        birth_year_2digit=year,
        is_female=is_female,
    )


def birth_date(info: NikInfo, today: date) -> date:
    """The full birth date: the century is the one that makes the person not yet born
    in the future (a NIK holder is at least 17 at issue, but children appear on KK)."""
    year = 2000 + info.birth_year_2digit
    if year > today.year:
        year -= 100
    return date(year, info.birth_month, info.birth_day)


class MemberStatus(StrEnum):
    AKTIF = "aktif"
    NONAKTIF = "nonaktif"
    KELUAR = "keluar"

    @property
    def label(self) -> str:
        return {"aktif": N_("Aktif"), "nonaktif": N_("Tidak aktif"), "keluar": N_("Keluar")}[
            self.value
        ]


def member_sequence(member_number: str, prefix: str = "A") -> int:
    """`A-0012` -> 12; numbers in another format count as 0."""
    head, sep, digits = member_number.partition("-")
    return int(digits) if sep and head == prefix and digits.isdigit() else 0


def format_member_number(sequence: int, prefix: str = "A") -> str:
    """Member numbers as koperasi print them on the member card: A-0001."""
    if sequence < 1:
        raise ValueError("member sequence starts at 1")
    return f"{prefix}-{sequence:04d}"
