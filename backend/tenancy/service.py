"""Tenancy use cases: the public directory of a region's koperasi and their outlets."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from piccolo.query.functions.aggregate import Count

from backend.catalog.tables import Product
from backend.errors import NotFound
from backend.members.tables import Member
from backend.tenancy.domain import KoperasiKind
from backend.tenancy.tables import Koperasi, Outlet, Region
from backend.texts import N_


@dataclass(frozen=True)
class RegionInfo:
    id: int
    slug: str
    name: str
    dinas_name: str


@dataclass(frozen=True)
class KoperasiSummary:
    id: int
    slug: str
    name: str
    kind: str
    kind_label: str
    city: str
    member_count: int
    outlet_count: int
    product_count: int


@dataclass(frozen=True)
class OutletInfo:
    code: str
    name: str
    address: str


@dataclass(frozen=True)
class KoperasiProfile:
    id: int
    slug: str
    name: str
    kind: str
    kind_label: str
    address: str
    city: str
    region: RegionInfo
    outlets: list[OutletInfo]
    member_count: int
    active_member_count: int
    product_count: int


def _kind_label(kind: str) -> str:
    try:
        return KoperasiKind(kind).label
    except ValueError:
        return kind


async def list_regions() -> list[RegionInfo]:
    rows = await Region.select(Region.id, Region.slug, Region.name, Region.dinas_name).order_by(
        Region.name
    )
    return [RegionInfo(**row) for row in rows]


async def get_region(slug: str) -> RegionInfo:
    row = (
        await Region.select(Region.id, Region.slug, Region.name, Region.dinas_name)
        .where(Region.slug == slug)
        .first()
    )
    if row is None:
        raise NotFound("region_not_found", N_("Wilayah tidak ditemukan."))
    return RegionInfo(**row)


async def _counts_by_koperasi(
    table: type[Member] | type[Outlet] | type[Product], *where: Any
) -> dict[int, int]:
    # One GROUP BY per table instead of one query per koperasi.
    query = table.select(table.koperasi, Count(alias="n"))
    for clause in where:
        query = query.where(clause)
    rows = await query.group_by(table.koperasi)
    return {row["koperasi_id"]: row["n"] for row in rows}


async def region_directory(region_slug: str) -> tuple[RegionInfo, list[KoperasiSummary]]:
    region = await get_region(region_slug)
    rows = (
        await Koperasi.select(
            Koperasi.id, Koperasi.slug, Koperasi.name, Koperasi.kind, Koperasi.city
        )
        .where(Koperasi.region == region.id)
        .order_by(Koperasi.name)
    )
    members = await _counts_by_koperasi(Member)
    outlets = await _counts_by_koperasi(Outlet)
    products = await _counts_by_koperasi(Product, Product.active.eq(True))  # not retired
    summaries = [
        KoperasiSummary(
            id=row["id"],
            slug=row["slug"],
            name=row["name"],
            kind=row["kind"],
            kind_label=_kind_label(row["kind"]),
            city=row["city"],
            member_count=members.get(row["id"], 0),
            outlet_count=outlets.get(row["id"], 0),
            product_count=products.get(row["id"], 0),
        )
        for row in rows
    ]
    return region, summaries


async def koperasi_profile(slug: str) -> KoperasiProfile:
    row = (
        await Koperasi.select(
            Koperasi.id,
            Koperasi.slug,
            Koperasi.name,
            Koperasi.kind,
            Koperasi.address,
            Koperasi.city,
            Koperasi.region.id.as_alias("region_id"),
            Koperasi.region.slug.as_alias("region_slug"),
            Koperasi.region.name.as_alias("region_name"),
            Koperasi.region.dinas_name.as_alias("region_dinas_name"),
        )
        .where(Koperasi.slug == slug)
        .first()
    )
    if row is None:
        raise NotFound("koperasi_not_found", N_("Koperasi tidak ditemukan."))
    koperasi_id = row["id"]
    outlets = (
        await Outlet.select(Outlet.code, Outlet.name, Outlet.address)
        .where(Outlet.koperasi == koperasi_id)
        .order_by(Outlet.code)
    )
    member_count = await Member.count().where(Member.koperasi == koperasi_id)
    active = await Member.count().where(
        (Member.koperasi == koperasi_id) & (Member.status == "aktif")
    )
    product_count = await Product.count().where(Product.koperasi == koperasi_id)
    return KoperasiProfile(
        id=koperasi_id,
        slug=row["slug"],
        name=row["name"],
        kind=row["kind"],
        kind_label=_kind_label(row["kind"]),
        address=row["address"],
        city=row["city"],
        region=RegionInfo(
            id=row["region_id"],
            slug=row["region_slug"],
            name=row["region_name"],
            dinas_name=row["region_dinas_name"],
        ),
        outlets=[OutletInfo(**o) for o in outlets],
        member_count=member_count,
        active_member_count=active,
        product_count=product_count,
    )
