"""Pure catalog rules: product fields (SKU, EAN-13 barcode, prices), the shop's discount
limit and its static QRIS payload (EMVCo TLV with a CRC-16/CCITT-FALSE checksum). No ORM,
no HTTP: the service hands in values and gets cleaned values or the problems with them.

A problem names its field, a machine code and an Indonesian message (translated where it
is shown); `validate_*` raise the first one as `ValidationFailed`."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from enum import StrEnum

from backend.errors import ValidationFailed
from backend.texts import N_

MAX_PRICE = 10**12  # rupiah; far above any shop price, far below int64
MAX_STOCK = 10**7
MAX_SKU = 40
MAX_NAME = 200
MAX_CATEGORY = 60
MAX_UNIT = 20
DEFAULT_UNIT = "pcs"
_SKU_RE = re.compile(r"^[A-Z0-9](?:[A-Z0-9._/-]*[A-Z0-9])?$")


@dataclass(frozen=True)
class Problem:
    field: str
    code: str
    message: str


def refuse(problem: Problem) -> ValidationFailed:
    return ValidationFailed(problem.code, problem.message, problem.field or None)


# --- barcodes -------------------------------------------------------------------------------


def gtin_check_digit(body: str) -> int:
    """The GS1 check digit of `body` (the digits before it): weights 3,1,3,… from the
    right, so one function serves EAN-13 (12 digits), UPC-A (11) and EAN-8 (7)."""
    total = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(body)))
    return (10 - total % 10) % 10


def has_valid_check_digit(code: str) -> bool:
    return len(code) > 1 and code.isdigit() and gtin_check_digit(code[:-1]) == int(code[-1])


class BarcodeKind(StrEnum):
    NONE = "none"
    EAN13 = "ean13"
    EAN8 = "ean8"
    INTERNAL = "internal"  # a shop's own code in GS1's in-store range: starts with 2


@dataclass(frozen=True)
class Barcode:
    code: str
    kind: BarcodeKind


def parse_barcode(text: str) -> Barcode:
    """A barcode as typed or scanned, checked and normalized:

    - empty: no barcode;
    - 13 digits: EAN-13 with a correct check digit (shop codes starting with 2 too);
    - 12 digits with a correct UPC-A check digit: the same code as EAN-13 ("0" in front,
      what a scanner reading it as EAN-13 gives);
    - 8 digits with a correct check digit: EAN-8;
    - otherwise 4 to 12 digits starting with 2: a shop's internal code (GS1 keeps
      prefix 2 for in-store use), kept as typed.

    Anything else raises `ValidationFailed` (field "barcode")."""
    code = "".join(text.split())
    if not code:
        return Barcode("", BarcodeKind.NONE)
    if not code.isdigit():
        raise refuse(
            Problem("barcode", "barcode_not_digits", N_("Barcode hanya boleh berisi angka."))
        )
    if len(code) == 13:
        if has_valid_check_digit(code):
            return Barcode(code, BarcodeKind.EAN13)
        raise refuse(
            Problem(
                "barcode",
                "barcode_check_digit",
                N_(
                    "Angka terakhir barcode (angka pemeriksa) tidak cocok: periksa lagi "
                    "ke-13 angkanya."
                ),
            )
        )
    if len(code) == 12 and has_valid_check_digit(code):
        return Barcode("0" + code, BarcodeKind.EAN13)
    if len(code) == 8 and has_valid_check_digit(code):
        return Barcode(code, BarcodeKind.EAN8)
    if code.startswith("2") and 4 <= len(code) <= 12:
        return Barcode(code, BarcodeKind.INTERNAL)
    raise refuse(
        Problem(
            "barcode",
            "barcode_length",
            N_(
                "Barcode harus EAN-13 (13 angka), EAN-8 atau UPC-A, atau kode toko sendiri "
                "yang diawali angka 2 (4 sampai 12 angka)."
            ),
        )
    )


def barcode_lookup_keys(scanned: str) -> tuple[str, ...]:
    """The stored barcodes a scanned or typed code may match (a UPC-A scan of 12 digits is
    stored as its EAN-13 form with a leading 0)."""
    code = "".join(scanned.split())
    if len(code) == 12 and code.isdigit():
        return (code, "0" + code)
    return (code,)


# --- products -------------------------------------------------------------------------------


def normalize_sku(text: str) -> str:
    """SKUs are codes: trimmed and upper case (`brs-prm-5` is `BRS-PRM-5`)."""
    return "".join(text.split()).upper()


def clean_text(text: str) -> str:
    return " ".join(text.split())


@dataclass(frozen=True)
class ProductFields:
    """What a pengurus sets on a product. Prices are whole rupiah."""

    sku: str
    name: str
    price: int
    barcode: str = ""
    category: str = ""
    unit: str = DEFAULT_UNIT
    member_price: int | None = None
    cost_price: int = 0
    track_stock: bool = True
    min_stock: int = 0
    active: bool = True


PRODUCT_FIELDS = (
    "sku",
    "barcode",
    "name",
    "category",
    "unit",
    "price",
    "member_price",
    "cost_price",
    "track_stock",
    "min_stock",
    "active",
)


def sku_problem(sku: str) -> Problem | None:
    if not sku:
        return Problem("sku", "sku_required", N_("SKU (kode barang) wajib diisi."))
    if len(sku) > MAX_SKU or not _SKU_RE.match(sku):
        return Problem(
            "sku",
            "sku_invalid",
            N_(
                "SKU hanya boleh berisi huruf, angka, titik, garis miring dan tanda hubung "
                "(paling banyak 40)."
            ),
        )
    return None


def check_product(fields: ProductFields) -> tuple[ProductFields, list[Problem]]:
    """The fields cleaned (SKU upper case, spaces collapsed, barcode normalized, unit
    defaulted) and every problem with them, in the order of the form."""
    problems: list[Problem] = []
    sku = normalize_sku(fields.sku)
    if problem := sku_problem(sku):
        problems.append(problem)
    barcode = fields.barcode
    try:
        barcode = parse_barcode(fields.barcode).code
    except ValidationFailed as error:
        problems.append(Problem("barcode", error.code, error.message))
    name = clean_text(fields.name)
    if not name:
        problems.append(Problem("name", "name_required", N_("Nama barang wajib diisi.")))
    elif len(name) > MAX_NAME:
        problems.append(
            Problem("name", "name_too_long", N_("Nama barang terlalu panjang (paling banyak 200)."))
        )
    category = clean_text(fields.category)
    if len(category) > MAX_CATEGORY:
        problems.append(
            Problem(
                "category", "category_too_long", N_("Kategori terlalu panjang (paling banyak 60).")
            )
        )
    unit = clean_text(fields.unit) or DEFAULT_UNIT
    if len(unit) > MAX_UNIT:
        problems.append(
            Problem("unit", "unit_too_long", N_("Satuan terlalu panjang (paling banyak 20)."))
        )
    if fields.price <= 0:
        problems.append(
            Problem("price", "price_required", N_("Harga jual wajib diisi, lebih dari nol."))
        )
    elif fields.price > MAX_PRICE:
        problems.append(Problem("price", "price_too_large", N_("Harga terlalu besar.")))
    member_price = fields.member_price or None  # 0 means "no member price"
    if member_price is not None:
        if member_price < 0 or member_price > MAX_PRICE:
            problems.append(
                Problem("member_price", "member_price_invalid", N_("Harga anggota tidak valid."))
            )
        elif fields.price > 0 and member_price > fields.price:
            problems.append(
                Problem(
                    "member_price",
                    "member_price_above_price",
                    N_("Harga anggota tidak boleh lebih tinggi daripada harga jual."),
                )
            )
    if fields.cost_price < 0 or fields.cost_price > MAX_PRICE:
        problems.append(
            Problem("cost_price", "cost_price_invalid", N_("Harga pokok tidak boleh negatif."))
        )
    if fields.min_stock < 0 or fields.min_stock > MAX_STOCK:
        problems.append(
            Problem(
                "min_stock",
                "min_stock_invalid",
                N_("Stok minimum berupa bilangan bulat, nol atau lebih."),
            )
        )
    cleaned = replace(
        fields,
        sku=sku,
        barcode=barcode,
        name=name,
        category=category,
        unit=unit,
        member_price=member_price,
    )
    return cleaned, problems


def validate_product(fields: ProductFields) -> ProductFields:
    cleaned, problems = check_product(fields)
    if problems:
        raise refuse(problems[0])
    return cleaned


def product_changes(old: ProductFields, new: ProductFields) -> dict[str, list[object]]:
    """Field -> [before, after] of what differs (for the audit log and the import
    preview)."""
    return {
        name: [getattr(old, name), getattr(new, name)]
        for name in PRODUCT_FIELDS
        if getattr(old, name) != getattr(new, name)
    }


# --- the discount limit ---------------------------------------------------------------------


def check_discount_limit(percent: int) -> int:
    if isinstance(percent, bool) or not 0 <= percent <= 100:
        raise refuse(
            Problem(
                "max_discount_percent",
                "discount_limit_invalid",
                N_("Batas diskon berupa persen bulat dari 0 sampai 100."),
            )
        )
    return percent


def max_line_discount(line_total: int, max_percent: int) -> int:
    """The largest discount in whole rupiah a cashier may give on a line of `line_total`
    (rounded down: the limit is never exceeded)."""
    if line_total <= 0 or max_percent <= 0:
        return 0
    return line_total * min(max_percent, 100) // 100


def discount_allowed(line_total: int, discount: int, max_percent: int) -> bool:
    """A line discount (whole rupiah) is within the limit set by pengurus: not negative,
    not above the line, and at most `max_percent` percent of it."""
    return 0 <= discount <= line_total and discount * 100 <= line_total * max_percent


# --- QRIS -------------------------------------------------------------------------------------

QRIS_MAX = 512
_CRC_TAG = "6304"


def crc16_ccitt(data: bytes) -> int:
    """CRC-16/CCITT-FALSE: polynomial 0x1021, initial 0xFFFF, no reflection, no final XOR
    (the check value of b"123456789" is 0x29B1)."""
    crc = 0xFFFF
    for byte in data:
        crc ^= byte << 8
        for _ in range(8):
            crc = ((crc << 1) ^ 0x1021) if crc & 0x8000 else (crc << 1)
            crc &= 0xFFFF
    return crc


def qris_crc(body: str) -> str:
    """The 4 upper-case hex digits of tag 63 for a payload that ends with "6304"."""
    return f"{crc16_ccitt(body.encode('utf-8')):04X}"


def _qris_problem(code: str, message: str) -> ValidationFailed:
    return refuse(Problem("qris_payload", code, message))


def parse_tlv(payload: str) -> list[tuple[str, str]]:
    """EMVCo merchant-presented QR data objects: `ID(2) LEN(2) VALUE` one after another."""
    objects: list[tuple[str, str]] = []
    position = 0
    while position < len(payload):
        head = payload[position : position + 4]
        if len(head) < 4 or not head.isdigit():
            raise _qris_problem(
                "qris_format", N_("Isi QRIS tidak dikenali: salin lagi teks QRIS selengkapnya.")
            )
        tag, length = head[:2], int(head[2:])
        value = payload[position + 4 : position + 4 + length]
        if len(value) != length:
            raise _qris_problem(
                "qris_format", N_("Isi QRIS tidak dikenali: salin lagi teks QRIS selengkapnya.")
            )
        objects.append((tag, value))
        position += 4 + length
    return objects


@dataclass(frozen=True)
class QrisInfo:
    payload: str
    merchant_name: str
    merchant_city: str


def validate_qris(text: str) -> QrisInfo | None:
    """The koperasi's static QRIS as read from its QR sticker (the text a QR reader app
    shows). Empty: none set. Checked: the TLV structure, the CRC in tag 63 (over the whole
    payload up to and including "6304"), payload format 01, static (tag 01 = 11), no amount,
    currency 360 (rupiah) and country ID where given."""
    payload = text.strip()
    if not payload:
        return None
    if len(payload) > QRIS_MAX:
        raise _qris_problem("qris_too_long", N_("Isi QRIS terlalu panjang."))
    objects = parse_tlv(payload)
    if not objects or objects[0] != ("00", "01"):
        raise _qris_problem(
            "qris_format", N_("Isi QRIS tidak dikenali: salin lagi teks QRIS selengkapnya.")
        )
    if objects[-1][0] != "63" or len(objects[-1][1]) != 4 or not payload.endswith(objects[-1][1]):
        raise _qris_problem(
            "qris_crc_missing", N_("Isi QRIS tidak lengkap: kode pemeriksa (CRC) tidak ada.")
        )
    if qris_crc(payload[:-4]) != objects[-1][1].upper():
        raise _qris_problem(
            "qris_crc",
            N_("Kode pemeriksa (CRC) QRIS tidak cocok: isi QRIS terpotong atau salah salin."),
        )
    tags = dict(objects)
    if tags.get("01") == "12" or "54" in tags:
        raise _qris_problem(
            "qris_dynamic",
            N_("Ini QRIS dinamis (sudah berisi jumlah). Masukkan QRIS statis koperasi."),
        )
    if tags.get("53", "360") != "360" or tags.get("58", "ID") != "ID":
        raise _qris_problem("qris_currency", N_("QRIS ini bukan untuk rupiah di Indonesia."))
    return QrisInfo(payload, tags.get("59", ""), tags.get("60", ""))


def qris_with_amount(payload: str, amount: int) -> str:
    """The dynamic QRIS for one payment: the static payload with point of initiation 12,
    the amount in tag 54 (whole rupiah) and a new CRC. (The POS page does the same in
    JavaScript; this is the reference its tests compare with.)"""
    if amount <= 0 or amount > MAX_PRICE:
        raise _qris_problem("qris_amount", N_("Jumlah pembayaran tidak valid."))
    objects = [(t, v) for t, v in parse_tlv(payload) if t not in ("54", "63")]
    objects = [(t, "12") if t == "01" else (t, v) for t, v in objects]
    objects.append(("54", str(amount)))
    objects.sort(key=lambda item: item[0])  # tags in ascending order, as EMVCo writes them
    body = "".join(f"{t}{len(v):02d}{v}" for t, v in objects) + _CRC_TAG
    return body + qris_crc(body)
