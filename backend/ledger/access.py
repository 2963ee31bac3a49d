"""Who may read and write a koperasi's books: pengurus of the koperasi read and write;
Dinas officers read the books of every koperasi in their region; nobody else."""

from __future__ import annotations

from backend.accounts.domain import Actor, Role, may_read_koperasi
from backend.errors import Forbidden, NotFound
from backend.tenancy.tables import Koperasi
from backend.texts import N_


async def books_to_read(actor: Actor, koperasi_slug: str | None) -> int:
    """The koperasi whose books `actor` asks for (their own when no slug is given)."""
    if koperasi_slug is None:
        if actor.koperasi_id is None:
            raise NotFound("koperasi_required", N_("Pilih koperasi yang laporannya dilihat."))
        koperasi_id, region_id = actor.koperasi_id, actor.region_id
    else:
        row = (
            await Koperasi.select(Koperasi.id, Koperasi.region.as_alias("region_id"))
            .where(Koperasi.slug == koperasi_slug)
            .first()
        )
        if row is None:
            raise NotFound("koperasi_not_found", N_("Koperasi tidak ditemukan."))
        koperasi_id, region_id = row["id"], row["region_id"]
    if actor.role not in (Role.PENGURUS, Role.DINAS) or not may_read_koperasi(
        actor, koperasi_id, region_id
    ):
        raise Forbidden("books_forbidden", N_("Anda tidak berhak melihat pembukuan koperasi ini."))
    return int(koperasi_id)


def books_to_write(actor: Actor) -> int:
    """Only pengurus post to (their own koperasi's) books by hand."""
    if actor.role is not Role.PENGURUS or actor.koperasi_id is None:
        raise Forbidden("books_forbidden", N_("Hanya pengurus yang dapat mencatat jurnal."))
    return actor.koperasi_id
