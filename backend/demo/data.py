"""The demo region, Kota Mojokerto: plain data, no ORM.

Names and addresses are made up but typical for the city; NIKs use Kota Mojokerto's
region code 35.76 with its three kecamatan (01 Prajurit Kulon, 02 Magersari, 03 Kranggan).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from backend.texts import N_


@dataclass(frozen=True)
class DemoKoperasi:
    slug: str
    name: str
    kind: str
    address: str
    outlets: tuple[tuple[str, str, str], ...]  # (code, name, address)
    has_shop: bool


REGION = {
    "slug": "kota-mojokerto",
    "name": "Kota Mojokerto",
    "dinas_name": "Dinas Koperasi, Usaha Mikro dan Perdagangan Kota Mojokerto",
}

KECAMATAN = {"01": "Prajurit Kulon", "02": "Magersari", "03": "Kranggan"}

KOPERASI: tuple[DemoKoperasi, ...] = (
    DemoKoperasi(
        "ksp-artha-mandiri", "KSP Artha Mandiri", "ksp",
        "Jl. Majapahit No. 112, Kel. Kauman, Kec. Prajurit Kulon",
        (("K01", "Kantor Pelayanan Pusat", "Jl. Majapahit No. 112"),),
        has_shop=False,
    ),
    DemoKoperasi(
        "kopwan-srikandi", "Koperasi Wanita Srikandi", "wanita",
        "Jl. Empu Nala No. 27, Kel. Balongsari, Kec. Magersari",
        (("T01", "Toko Srikandi", "Jl. Empu Nala No. 27"),),
        has_shop=True,
    ),
    DemoKoperasi(
        "ksu-bina-usaha-sejahtera", "KSU Bina Usaha Sejahtera", "ksu",
        "Jl. Gajah Mada No. 45, Kel. Mergelo, Kec. Magersari",
        (
            ("T01", "Toko Sejahtera Gajah Mada", "Jl. Gajah Mada No. 45"),
            ("T02", "Toko Sejahtera Surodinawan", "Jl. Raya Surodinawan No. 8"),
        ),
        has_shop=True,
    ),
    DemoKoperasi(
        "kpri-majapahit", "Koperasi Konsumen Pegawai Republik Indonesia Majapahit", "konsumen",
        "Jl. Pahlawan No. 1, Kel. Jagalan, Kec. Magersari",
        (("T01", "Toko KPRI Balai Kota", "Jl. Gajah Mada No. 145"),),
        has_shop=True,
    ),
    DemoKoperasi(
        "kopprod-sumber-rejeki", "Koperasi Produsen Tahu Tempe Sumber Rejeki", "produsen",
        "Jl. Brawijaya No. 60, Kel. Miji, Kec. Kranggan",
        (("T01", "Gerai Bahan Baku Kedelai", "Jl. Brawijaya No. 60"),),
        has_shop=True,
    ),
    DemoKoperasi(
        "kopjas-wilwatikta", "Koperasi Jasa Angkutan Wilwatikta", "jasa",
        "Jl. Benteng Pancasila No. 19, Kel. Pulorejo, Kec. Prajurit Kulon",
        (("K01", "Pangkalan Terminal Kertajaya", "Jl. Raya Kertajaya"),),
        has_shop=False,
    ),
    DemoKoperasi(
        "koppas-onde-onde-kranggan", "Koperasi Pemasaran Onde-Onde Kranggan", "pemasaran",
        "Jl. Kyai Haji Hasyim Asyari No. 33, Kel. Kranggan, Kec. Kranggan",
        (
            ("T01", "Gerai Onde-Onde Alun-Alun", "Jl. Alun-Alun Kota"),
            ("T02", "Gerai Onde-Onde Stasiun", "Jl. Bhayangkara No. 2"),
        ),
        has_shop=True,
    ),
)  # fmt: skip

# (full name, female?, birth date, kecamatan code, phone)
MEMBERS: tuple[tuple[str, bool, date, str, str], ...] = (
    ("Siti Nurhaliza", True, date(1978, 3, 14), "02", "081231415161"),
    ("Bambang Sutrisno", False, date(1969, 8, 2), "01", "081330221045"),
    ("Sri Wahyuningsih", True, date(1982, 11, 23), "03", "085732104588"),
    ("Agus Setiawan", False, date(1985, 5, 9), "02", "081252336710"),
    ("Dewi Lestari", True, date(1990, 1, 30), "01", "082143550912"),
    ("Slamet Riyadi", False, date(1961, 12, 17), "03", "081357008123"),
    ("Endang Purwati", True, date(1975, 7, 4), "02", "085648211930"),
    ("Hadi Santoso", False, date(1972, 4, 21), "01", "081216774402"),
    ("Sulastri", True, date(1966, 9, 11), "03", "085791003217"),
    ("Joko Prasetyo", False, date(1988, 2, 28), "02", "081334905576"),
    ("Tri Rahayu", True, date(1993, 6, 6), "01", "089677120348"),
    ("Mochammad Ridwan", False, date(1980, 10, 15), "03", "081249006631"),
    ("Yuliana Kusumawati", True, date(1987, 7, 19), "02", "085236781204"),
    ("Suparman", False, date(1958, 3, 3), "01", "081332117890"),
    ("Rina Marlina", True, date(1995, 12, 25), "03", "082232456019"),
    ("Eko Wahyudi", False, date(1979, 8, 17), "02", "081703349921"),
    ("Ninik Suryani", True, date(1970, 5, 1), "01", "085655902113"),
    ("Imam Syafi'i", False, date(1983, 1, 12), "03", "081359400218"),
    ("Wiwik Handayani", True, date(1976, 4, 8), "02", "081231998432"),
    ("Didik Kurniawan", False, date(1991, 9, 29), "01", "085730047765"),
    ("Lilik Masruroh", True, date(1984, 2, 16), "03", "082330671284"),
    ("Sugeng Haryanto", False, date(1964, 11, 5), "02", "081217560094"),
    ("Puji Astuti", True, date(1989, 3, 22), "01", "085852301476"),
    ("Ahmad Fauzi", False, date(1992, 7, 7), "03", "081336720185"),
    ("Kartini Wulandari", True, date(1981, 4, 21), "02", "081249337012"),
    ("Heru Cahyono", False, date(1974, 6, 30), "01", "085706612390"),
    ("Umi Kulsum", True, date(1968, 10, 10), "03", "081330987645"),
    ("Budi Hartono", False, date(1986, 12, 1), "02", "082141208837"),
    ("Nur Aini", True, date(1994, 8, 8), "01", "085749923406"),
    ("Wahyu Hidayat", False, date(1977, 5, 27), "03", "081252004719"),
    ("Anik Rofiah", True, date(1973, 1, 19), "02", "081357781230"),
    ("Dwi Cahyani", True, date(1996, 11, 3), "01", "089530184472"),
    ("Fajar Nugroho", False, date(1990, 3, 31), "03", "081233650198"),
    ("Suwarni", True, date(1960, 7, 15), "02", "085646700321"),
    ("Rudi Hermawan", False, date(1982, 9, 9), "01", "081335590847"),
    ("Mega Puspitasari", True, date(1997, 2, 2), "03", "082257340916"),
)

# Products typical of a koperasi shop: (sku, name, category, unit, price, member price, cost)
PRODUCTS: tuple[tuple[str, str, str, str, int, int | None, int], ...] = (
    ("BRS-PRM-5", "Beras Premium 5 kg", N_("Sembako"), "karung", 78_000, 76_000, 71_500),
    ("BRS-MED-5", "Beras Medium SPHP 5 kg", N_("Sembako"), "karung", 62_500, None, 59_000),
    ("MYK-1L", "Minyak Goreng Minyakita 1 L", N_("Sembako"), "botol", 15_700, None, 14_500),
    ("MYK-2L", "Minyak Goreng Pouch 2 L", N_("Sembako"), "pouch", 38_000, 37_000, 35_200),
    ("GLA-1KG", "Gula Pasir 1 kg", N_("Sembako"), "kg", 18_000, 17_500, 16_400),
    ("TLR-1KG", "Telur Ayam Ras 1 kg", N_("Sembako"), "kg", 29_000, 28_000, 26_500),
    ("TPG-1KG", "Tepung Terigu 1 kg", N_("Sembako"), "bungkus", 13_000, None, 11_800),
    ("GRM-250", "Garam Beryodium 250 g", N_("Sembako"), "bungkus", 3_500, None, 2_700),
    ("KCP-520", "Kecap Manis 520 ml", N_("Bumbu"), "botol", 24_500, None, 22_300),
    ("SKM-370", "Susu Kental Manis 370 g", N_("Minuman"), "kaleng", 13_500, None, 12_100),
    ("MIE-GRG", "Mi Instan Goreng", N_("Makanan"), "bungkus", 3_500, None, 2_950),
    ("MIE-SOTO", "Mi Instan Kuah Rasa Soto", N_("Makanan"), "bungkus", 3_300, None, 2_800),
    ("KOPI-SCH", "Kopi Bubuk Sachet isi 10", N_("Minuman"), "renteng", 15_000, 14_500, 13_200),
    ("TEH-25", "Teh Celup isi 25", N_("Minuman"), "kotak", 8_500, None, 7_300),
    ("AIR-600", "Air Mineral 600 ml", N_("Minuman"), "botol", 4_000, None, 2_900),
    ("AIR-GLN", "Air Mineral Galon Isi Ulang 19 L", N_("Minuman"), "galon", 7_000, 6_000, 4_500),
    ("SBN-85", "Sabun Mandi Batang 85 g", N_("Kebutuhan Rumah"), "batang", 4_500, None, 3_700),
    ("SCP-780", "Sabun Cuci Piring 780 ml", N_("Kebutuhan Rumah"), "pouch", 16_500, None, 14_600),
    ("DTJ-800", "Deterjen Bubuk 800 g", N_("Kebutuhan Rumah"), "bungkus", 24_000, 23_000, 21_400),
    ("PGG-190", "Pasta Gigi 190 g", N_("Kebutuhan Rumah"), "tube", 14_000, None, 12_300),
    ("LPG-3KG", "Isi Ulang LPG 3 kg", N_("Kebutuhan Rumah"), "tabung", 20_000, 19_000, 17_500),
    ("PLS-10K", "Pulsa 10.000", N_("Pulsa & Token"), "transaksi", 12_000, None, 10_400),
    ("PLS-25K", "Pulsa 25.000", N_("Pulsa & Token"), "transaksi", 27_000, None, 25_200),
    ("TKN-50K", "Token Listrik 50.000", N_("Pulsa & Token"), "transaksi", 52_500, None, 50_500),
)


def ean13(twelve_digits: str) -> str:
    """Append the EAN-13 check digit (weights 1,3,1,3,… from the left)."""
    if len(twelve_digits) != 12 or not twelve_digits.isdigit():
        raise ValueError("EAN-13 needs 12 digits before the check digit")
    total = sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(twelve_digits))
    return twelve_digits + str((10 - total % 10) % 10)


def demo_barcode(index: int) -> str:
    # 899 is Indonesia's GS1 prefix; 99999 marks these as made-up demo codes.
    return ean13(f"89999999{index:04d}")


def demo_nik(kecamatan: str, born: date, female: bool, sequence: int) -> str:
    day = born.day + (40 if female else 0)
    return f"3576{kecamatan}{day:02d}{born.month:02d}{born.year % 100:02d}{sequence:04d}"
