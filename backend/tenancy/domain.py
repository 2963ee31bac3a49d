"""Pure tenancy rules: koperasi kinds and slugs."""

from __future__ import annotations

import re
import unicodedata
from enum import StrEnum

from backend.texts import N_


class KoperasiKind(StrEnum):
    """Kinds of koperasi by business (jenis) as the Dinas records them."""

    KSP = "ksp"
    KSU = "ksu"
    KONSUMEN = "konsumen"
    PRODUSEN = "produsen"
    PEMASARAN = "pemasaran"
    JASA = "jasa"
    WANITA = "wanita"

    @property
    def label(self) -> str:
        return KIND_LABELS[self]

    @property
    def is_savings_and_loan(self) -> bool:
        return self is KoperasiKind.KSP


KIND_LABELS: dict[KoperasiKind, str] = {
    KoperasiKind.KSP: N_("Koperasi Simpan Pinjam"),
    KoperasiKind.KSU: N_("Koperasi Serba Usaha"),
    KoperasiKind.KONSUMEN: N_("Koperasi Konsumen"),
    KoperasiKind.PRODUSEN: N_("Koperasi Produsen"),
    KoperasiKind.PEMASARAN: N_("Koperasi Pemasaran"),
    KoperasiKind.JASA: N_("Koperasi Jasa"),
    KoperasiKind.WANITA: N_("Koperasi Wanita"),
}

_SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def slugify(name: str) -> str:
    """`Koperasi Wanita "Srikandi"` -> `koperasi-wanita-srikandi`."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")[:80]


def is_valid_slug(slug: str) -> bool:
    return bool(_SLUG_RE.match(slug)) and len(slug) <= 80
