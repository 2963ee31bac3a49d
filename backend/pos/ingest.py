"""Sales from other retail apps (the seed: koperasi that already run a shop app feed their
sales into Koroena): per-koperasi API tokens, and uploads of a sales CSV export. Both go
through the same door as the tills (`service.sync`), so each sale posts its journal entry
and stock movements once: an app's own transaction id, namespaced by its token or upload
till, becomes the sale's client id, and a re-sent sale or re-uploaded file adds nothing."""

from __future__ import annotations

import csv
import hashlib
import io
import secrets
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any

from backend.catalog.tables import Product
from backend.db import write_transaction
from backend.errors import NotFound, Unauthenticated, ValidationFailed
from backend.pos.domain import REGION_TZ, Rejected
from backend.pos.service import ItemIn, ItemResult, Till, check_batch, sync
from backend.pos.tables import ApiToken, PosDevice
from backend.tenancy.tables import Outlet
from backend.texts import N_

TOKEN_PREFIX = "kor_"
NAMESPACE = uuid.UUID("6f1c2a36-9d2e-4b8f-8a39-0c3a4c1d5e77")
CSV_MAX_ROWS = 20_000
CSV_COLUMNS = (
    "id_transaksi",
    "waktu",
    "sku",
    "jumlah",
    "harga",
    "diskon",
    "cara_bayar",
    "nomor_anggota",
)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True)
class TokenInfo:
    id: int
    name: str
    prefix: str
    device: str
    created_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None


@dataclass(frozen=True)
class NewToken:
    info: TokenInfo
    token: str  # shown once


async def _feed_device(
    koperasi_id: int, outlet_code: str, letter: str, name: str
) -> tuple[int, str]:
    """A till of the outlet that stands for an app or for uploads: T01-X1, T01-C1, …"""
    outlet = (
        await Outlet.select(Outlet.id, Outlet.code)
        .where((Outlet.koperasi == koperasi_id) & (Outlet.code == outlet_code))
        .first()
    )
    if outlet is None:
        raise NotFound("outlet_not_found", N_("Toko/gerai tidak ditemukan di koperasi ini."))
    prefix = f"{outlet['code']}-{letter}"
    if letter == "C":  # one upload till per outlet
        existing = (
            await PosDevice.select(PosDevice.id, PosDevice.code)
            .where((PosDevice.koperasi == koperasi_id) & (PosDevice.code == f"{prefix}1"))
            .first()
        )
        if existing:
            return existing["id"], existing["code"]
    count = await PosDevice.count().where(
        (PosDevice.koperasi == koperasi_id) & PosDevice.code.like(f"{prefix}%")
    )
    code = f"{prefix}{count + 1}"
    created = await PosDevice.insert(
        PosDevice(koperasi=koperasi_id, outlet=outlet["id"], code=code, name=name[:100])
    ).returning(PosDevice.id)
    return created[0]["id"], code


async def create_token(koperasi_id: int, name: str, outlet_code: str, user_id: int) -> NewToken:
    label = " ".join(name.split())
    if not label or len(label) > 100:
        raise ValidationFailed("name_required", N_("Beri nama aplikasi pemakai kunci ini."), "name")
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    async with write_transaction():
        device_id, device = await _feed_device(koperasi_id, outlet_code, "X", label)
        row = await ApiToken.insert(
            ApiToken(
                koperasi=koperasi_id,
                device=device_id,
                name=label,
                prefix=token[:12],
                token_hash=hash_token(token),
                created_by=user_id,
            )
        ).returning(ApiToken.id, ApiToken.created_at)
    info = TokenInfo(row[0]["id"], label, token[:12], device, row[0]["created_at"], None, None)
    return NewToken(info, token)


async def list_tokens(koperasi_id: int) -> list[TokenInfo]:
    rows = await (
        ApiToken.select(
            ApiToken.id,
            ApiToken.name,
            ApiToken.prefix,
            ApiToken.device.code.as_alias("device"),
            ApiToken.created_at,
            ApiToken.last_used_at,
            ApiToken.revoked_at,
        )
        .where(ApiToken.koperasi == koperasi_id)
        .order_by(ApiToken.id)
    )
    return [TokenInfo(**row) for row in rows]


async def revoke_token(koperasi_id: int, token_id: int) -> None:
    async with write_transaction():
        found = await ApiToken.exists().where(
            (ApiToken.koperasi == koperasi_id) & (ApiToken.id == token_id)
        )
        if not found:
            raise NotFound("token_not_found", N_("Kunci API tidak ditemukan."))
        await ApiToken.update({ApiToken.revoked_at: datetime.now(UTC)}).where(
            (ApiToken.id == token_id) & ApiToken.revoked_at.is_null()
        )


async def till_of_token(token: str) -> Till:
    row = (
        await ApiToken.select(
            ApiToken.id,
            ApiToken.koperasi.as_alias("koperasi_id"),
            ApiToken.device.as_alias("device_id"),
            ApiToken.device.code.as_alias("device"),
            ApiToken.device.outlet.as_alias("outlet_id"),
            ApiToken.created_by.as_alias("created_by"),
        )
        .where((ApiToken.token_hash == hash_token(token)) & ApiToken.revoked_at.is_null())
        .first()
    )
    if row is None:
        raise Unauthenticated("token_invalid", N_("Kunci API tidak dikenal atau sudah dicabut."))
    await ApiToken.update({ApiToken.last_used_at: datetime.now(UTC)}).where(
        ApiToken.id == row["id"]
    )
    return Till(
        row["koperasi_id"], row["device_id"], row["device"], row["outlet_id"], row["created_by"]
    )


async def _product_ids(koperasi_id: int, skus: set[str]) -> dict[str, int]:
    rows = await Product.select(Product.id, Product.sku).where(
        (Product.koperasi == koperasi_id) & Product.sku.is_in(sorted(skus) or [""])
    )
    return {row["sku"]: row["id"] for row in rows}


async def ingest(till: Till, sales: Sequence[dict[str, Any]], source: str) -> list[ItemResult]:
    """Sales in another app's terms — its transaction id, our SKUs, its prices — through
    the tills' door. Results carry the app's own ids."""
    skus = set()
    for sale in sales:
        lines = sale.get("lines")
        if isinstance(lines, list):
            skus |= {str(line.get("sku")) for line in lines if isinstance(line, dict)}
    ids = await _product_ids(till.koperasi_id, skus)
    items, answers = [], {}
    for sale in sales:
        their_id = str(sale.get("id", ""))
        client_id = str(uuid.uuid5(NAMESPACE, f"{till.device_id}:{their_id}"))
        try:
            payload = _as_till_payload(sale, ids)
        except Rejected as refused:
            answers[client_id] = ItemResult(their_id, "rejected", refused.code, refused.message)
            continue
        items.append(ItemIn(client_id, "sale", payload, source=source))
        answers[client_id] = ItemResult(their_id, "pending")
    check_batch(till.device_code, items)
    for item, result in zip(items, await sync(till, items), strict=True):
        answers[item.id] = replace_id(result, answers[item.id].id)
    return list(answers.values())


def replace_id(result: ItemResult, their_id: str) -> ItemResult:
    return replace(result, id=their_id)


def _as_till_payload(sale: dict[str, Any], ids: dict[str, int]) -> dict[str, Any]:
    lines = sale.get("lines")
    if not isinstance(lines, list) or not sale.get("id"):
        raise Rejected("payload_invalid", N_("Data penjualan tidak lengkap atau rusak."))
    converted = []
    for line in lines:
        if not isinstance(line, dict) or str(line.get("sku")) not in ids:
            raise Rejected("unknown_product", N_("Barang tidak dikenal di katalog koperasi ini."))
        converted.append(
            {
                "product_id": ids[str(line["sku"])],
                "quantity": line.get("quantity"),
                "unit_price": line.get("unit_price"),
                "discount": line.get("discount") or 0,
            }
        )
    return {
        "receipt_number": str(sale.get("receipt_number") or sale["id"])[:30],
        "device_seq": 0,
        "sold_at": sale.get("sold_at"),
        "shift_id": None,
        "member_number": sale.get("member_number") or None,
        "method": sale.get("method") or "tunai",
        "cash_given": None,
        "lines": converted,
        "total": sale.get("total"),
    }


@dataclass(frozen=True)
class CsvRowError:
    row: int
    reason: str


@dataclass(frozen=True)
class CsvSales:
    sales: list[dict[str, Any]]
    errors: list[CsvRowError]


def _whole_number(text: str) -> int:
    cleaned = text.strip().replace("Rp", "").replace(" ", "").replace(".", "")
    if not cleaned.isdigit():
        raise ValueError(text)
    return int(cleaned)


def parse_sales_csv(data: bytes) -> CsvSales:
    """One line per sold product, grouped into sales by `id_transaksi`. Columns:
    id_transaksi, waktu (ISO 8601 with offset, or 'YYYY-MM-DD HH:MM' in WIB), sku, jumlah,
    harga, diskon, cara_bayar, nomor_anggota."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ValidationFailed(
            "csv_encoding", N_("Berkas harus CSV dengan pengodean UTF-8.")
        ) from exc
    sample = text[:2048]
    delimiter = ";" if sample.count(";") > sample.count(",") else ","
    reader = csv.DictReader(io.StringIO(text), delimiter=delimiter)
    header = [name.strip().lower() for name in reader.fieldnames or []]
    missing = [name for name in CSV_COLUMNS[:5] if name not in header]
    if missing:
        raise ValidationFailed(
            "csv_columns", N_("Kolom wajib tidak ada: id_transaksi, waktu, sku, jumlah, harga.")
        )
    sales: dict[str, dict[str, Any]] = {}
    errors = []
    for number, raw in enumerate(reader, start=2):
        if number > CSV_MAX_ROWS + 1:
            raise ValidationFailed(
                "csv_too_long", N_("Berkas terlalu panjang (paling banyak 20.000 baris).")
            )
        row = {(k or "").strip().lower(): (v or "").strip() for k, v in raw.items()}
        try:
            quantity = _whole_number(row["jumlah"])
            price = _whole_number(row["harga"])
            discount = _whole_number(row.get("diskon") or "0")
            moment = _csv_time(row["waktu"])
        except (ValueError, KeyError):
            errors.append(
                CsvRowError(number, N_("Jumlah, harga, diskon atau waktu tidak terbaca."))
            )
            continue
        if not row["id_transaksi"] or not row["sku"]:
            errors.append(CsvRowError(number, N_("id_transaksi dan sku wajib diisi.")))
            continue
        sale = sales.setdefault(
            row["id_transaksi"],
            {
                "id": row["id_transaksi"],
                "receipt_number": row["id_transaksi"],
                "sold_at": moment,
                "method": (row.get("cara_bayar") or "tunai").lower(),
                "member_number": row.get("nomor_anggota") or None,
                "lines": [],
                "total": 0,
            },
        )
        sale["lines"].append(
            {"sku": row["sku"], "quantity": quantity, "unit_price": price, "discount": discount}
        )
        sale["total"] += quantity * price - discount
    return CsvSales(list(sales.values()), errors)


def _csv_time(text: str) -> str:
    """A time without an offset is on the region's clock (WIB)."""
    moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=REGION_TZ)
    return moment.isoformat()


async def upload_till(koperasi_id: int, outlet_code: str) -> Till:
    async with write_transaction():
        device_id, code = await _feed_device(koperasi_id, outlet_code, "C", "Unggahan CSV")
        outlet = (
            await PosDevice.select(PosDevice.outlet.as_alias("outlet_id"))
            .where(PosDevice.id == device_id)
            .first()
        )
    assert outlet is not None
    return Till(koperasi_id, device_id, code, outlet["outlet_id"], None)
