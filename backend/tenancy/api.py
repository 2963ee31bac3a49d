"""Public directory API: regions, koperasi profiles, shop price lists."""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, get
from litestar.params import PathParameter, QueryParameter

from backend.accounts.guards import PUBLIC
from backend.catalog import service as catalog
from backend.tenancy import service

Slug = Annotated[str, PathParameter(max_length=80)]


class DirectoryController(Controller):
    """Public: what the Dinas publishes about its koperasi."""

    tags = ["direktori"]
    opt = PUBLIC

    @get("/regions", summary="Daftar wilayah (Dinas)")
    async def regions(self) -> list[service.RegionInfo]:
        return await service.list_regions()

    @get("/regions/{slug:str}/koperasi", summary="Koperasi di satu wilayah")
    async def region_koperasi(self, slug: Slug) -> list[service.KoperasiSummary]:
        _, koperasi = await service.region_directory(slug)
        return koperasi

    @get("/koperasi/{slug:str}", summary="Profil publik koperasi")
    async def koperasi(self, slug: Slug) -> service.KoperasiProfile:
        return await service.koperasi_profile(slug)

    @get("/koperasi/{slug:str}/products", summary="Daftar harga toko koperasi")
    async def products(
        self,
        slug: Slug,
        category: Annotated[str | None, QueryParameter(max_length=60)] = None,
    ) -> list[catalog.ProductInfo]:
        profile = await service.koperasi_profile(slug)
        return await catalog.list_products(profile.id, category=category)
