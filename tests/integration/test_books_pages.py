"""The books pages (/pembukuan, /pembukuan/jurnal, /pembukuan/akun) as the server renders
them: a pengurus sees their own koperasi's statements with the same figures as the
statement functions, a Dinas officer reads any koperasi of the region (and no other),
everyone else gets a friendly refusal."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from html.parser import HTMLParser
from urllib.parse import parse_qs, urlsplit

import pytest

from backend.accounts.domain import Role
from backend.ledger import cashflow, service, statements
from backend.ledger.domain import Line
from backend.settings import Settings
from backend.tenancy.tables import Koperasi, Region
from frontend.books.common import money
from tests.support.client import app_client
from tests.support.sessions import as_person, person

ORIGIN = "http://localhost:8000"
SRIKANDI = "kopwan-srikandi"


class Page(HTMLParser):
    """The parts of a page the tests look at: table rows (cell texts), links, elements
    by id, and the visible text."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.rows: list[list[str]] = []
        self.links: list[tuple[str, str]] = []  # (href, aria-label or text)
        self.ids: set[str] = set()
        self.options: dict[str, list[str]] = {}  # select id -> option values
        self._row: list[str] | None = None
        self._cell: list[str] | None = None
        self._link: tuple[str, str | None, list[str]] | None = None
        self._select: str | None = None
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if found.get("id"):
            self.ids.add(str(found["id"]))
        if tag == "tr":
            self._row = []
        elif tag in ("td", "th") and self._row is not None:
            self._cell = []
        elif tag == "a":
            self._link = (str(found.get("href")), found.get("aria-label"), [])
        elif tag == "select":
            self._select = str(found.get("id"))
            self.options[self._select] = []
        elif tag == "option" and self._select is not None:
            self.options[self._select].append(str(found.get("value")))

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._row is not None and self._cell is not None:
            self._row.append(" ".join("".join(self._cell).split()))
            self._cell = None
        elif tag == "tr" and self._row is not None:
            self.rows.append(self._row)
            self._row = None
        elif tag == "a" and self._link is not None:
            href, label, text = self._link
            self.links.append((href, label or "".join(text).strip()))
            self._link = None
        elif tag == "select":
            self._select = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)
        if self._link is not None:
            self._link[2].append(data)

    def row(self, label: str) -> list[str]:
        """The amounts of the first row whose header is `label`."""
        for row in self.rows:
            if row and row[0] == label:
                return row[1:]
        raise AssertionError(f"no row {label!r} in {self.rows}")

    def link(self, label: str) -> str:
        for href, text in self.links:
            if text == label:
                return href
        raise AssertionError(f"no link {label!r} in {self.links}")


def amounts(values: list[int]) -> list[str]:
    return [money(v) for v in values]


def assert_line(page: Page, label: str, values: list[int]) -> None:
    """A statement line: shown with its amounts, or left out when they are all zero."""
    if any(values):
        assert page.row(label) == amounts(values), label
    else:
        assert not [row for row in page.rows if row and row[0] == label], label


async def _koperasi(slug: str) -> tuple[int, int]:
    row = (
        await Koperasi.select(Koperasi.id, Koperasi.region.as_alias("region_id"))
        .where(Koperasi.slug == slug)
        .first()
    )
    assert row is not None
    return row["id"], row["region_id"]


async def _post(k: int, day: date, text: str, *lines: Line) -> int:
    return (await service.post_entry(k, day, text, list(lines))).number


async def _books_of_srikandi(k: int) -> dict[str, int]:
    """Two months of a small koperasi: a grant, income, costs, a purchase of equipment,
    depreciation, and a reversed mistake."""
    numbers = {
        "hibah": await _post(
            k,
            date(2026, 2, 10),
            "Hibah pemerintah daerah",
            Line("1-1100", 2_000_000),
            Line("3-1400", 0, 2_000_000),
        ),
        "listrik": await _post(
            k,
            date(2026, 2, 20),
            "Bayar listrik Februari",
            Line("5-2100", 150_000),
            Line("1-1100", 0, 150_000),
        ),
        "jasa": await _post(
            k,
            date(2026, 3, 5),
            "Pendapatan lain Maret",
            Line("1-1100", 400_000),
            Line("4-3100", 0, 400_000),
        ),
        "aset": await _post(
            k,
            date(2026, 3, 8),
            "Beli lemari arsip",
            Line("1-2100", 900_000),
            Line("1-1100", 0, 900_000),
        ),
        "susut": await _post(
            k,
            date(2026, 3, 31),
            "Penyusutan Maret",
            Line("5-4100", 25_000),
            Line("1-2190", 0, 25_000),
        ),
        "salah": await _post(
            k, date(2026, 3, 12), "Salah catat", Line("5-2100", 70_000), Line("1-1100", 0, 70_000)
        ),
    }
    numbers["pembalik"] = (
        await service.reverse_entry(k, numbers["salah"], date(2026, 3, 13))
    ).number
    return numbers


@pytest.fixture
def settings(demo: Settings) -> Settings:
    return replace(demo, auth_attempts_per_minute=10_000)


async def test_pengurus_statements_match_the_statement_functions(settings: Settings) -> None:
    k, region = await _koperasi(SRIKANDI)
    await _books_of_srikandi(k)
    march = {"periode": "bulan", "bulan": "2026-03"}
    async with app_client(settings, origin=ORIGIN) as client:
        as_person(client, await person(settings, Role.PENGURUS, k, region))

        response = await client.get("/pembukuan", params={"laporan": "neraca", **march})
        assert response.status_code == 200, response.text
        assert response.headers["cache-control"] == "no-store"
        page = Page(response.text)
        sheet = await statements.neraca(k, date(2026, 3, 31), date(2026, 2, 28))
        assert page.row("Akun") == ["31 Maret 2026", "28 Februari 2026"]
        for section in (sheet.aset, sheet.kewajiban, sheet.ekuitas):
            for line in section.lines:
                assert_line(page, f"{line.code} {line.name}".strip(), line.amounts)
        assert "Akun yang bersaldo nol tidak ditampilkan." in response.text
        assert page.row("Jumlah aset") == amounts(sheet.aset.totals)
        assert page.row("Jumlah kewajiban dan ekuitas") == amounts(sheet.total_kewajiban_ekuitas)
        assert sheet.aset.totals == [2_000_000 - 150_000 + 400_000 - 25_000, 1_850_000]
        # A contra account reduces its section, with a minus sign.
        assert page.row("1-2190 Akumulasi penyusutan") == ["−Rp 25.000", "Rp 0"]
        assert "Kolom pembanding: posisi per 28 Februari 2026" in response.text
        assert "empty-books" not in page.ids
        pdf = page.link("Unduh Neraca sebagai PDF")
        assert parse_qs(urlsplit(pdf).query) == {
            "as_of": ["2026-03-31"],
            "compare_as_of": ["2026-02-28"],
            "format": ["pdf"],
        }
        download = await client.get(pdf)
        assert download.status_code == 200 and download.content.startswith(b"%PDF")
        xlsx = await client.get(page.link("Unduh Neraca sebagai Excel"))
        assert xlsx.status_code == 200 and xlsx.content.startswith(b"PK")

        page = Page((await client.get("/pembukuan", params={"laporan": "phu", **march})).text)
        income = await statements.phu(
            k, date(2026, 3, 1), date(2026, 3, 31), (date(2026, 2, 1), date(2026, 2, 28))
        )
        assert page.row("Akun") == ["Maret 2026", "Februari 2026"]
        for line in income.pendapatan.lines + income.beban.lines:
            assert_line(page, f"{line.code} {line.name}", line.amounts)
        assert page.row("Sisa hasil usaha (SHU)") == amounts(income.shu)
        assert income.shu == [400_000 - 25_000, -150_000]
        assert page.row("Sisa hasil usaha (SHU)") == ["Rp 375.000", "−Rp 150.000"]

        # A year, without the comparison column.
        page = Page(
            (
                await client.get(
                    "/pembukuan",
                    params={
                        "laporan": "phu",
                        "periode": "tahun",
                        "tahun": "2026",
                        "banding": "tidak",
                    },
                )
            ).text
        )
        assert page.row("Akun") == ["Tahun 2026"]
        assert page.row("Sisa hasil usaha (SHU)") == ["Rp 225.000"]
        assert "compare_since" not in page.link("Unduh Perhitungan Hasil Usaha sebagai PDF")

        # A date range, compared with as many days right before it.
        response = await client.get(
            "/pembukuan",
            params={
                "laporan": "arus-kas",
                "periode": "rentang",
                "dari": "2026-03-01",
                "sampai": "2026-03-10",
            },
        )
        page = Page(response.text)
        flows = await cashflow.arus_kas(
            k, date(2026, 3, 1), date(2026, 3, 10), (date(2026, 2, 19), date(2026, 2, 28))
        )
        assert page.row("Kas dan bank awal periode") == amounts(flows.opening_cash)
        assert page.row("Kenaikan (penurunan) kas bersih") == amounts(flows.net_change)
        assert page.row("Kas dan bank akhir periode") == amounts(flows.closing_cash)
        assert page.row("SHU periode berjalan") == amounts(flows.sections[0].lines[0].amounts)
        assert flows.closing_cash[0] == 2_000_000 - 150_000 + 400_000 - 900_000
        href = page.link("Unduh Arus Kas sebagai Excel")
        assert href.startswith("/api/v1/books/exports/cash-flow?")
        assert parse_qs(urlsplit(href).query)["compare_since"] == ["2026-02-19"]

        page = Page((await client.get("/pembukuan", params={"laporan": "ekuitas", **march})).text)
        changes = await statements.perubahan_ekuitas(k, date(2026, 3, 1), date(2026, 3, 31))
        for row in changes.rows:
            label = f"{row.code} {row.name}".strip()
            assert_line(page, label, [row.opening, row.change, row.closing])
        assert page.row("Jumlah ekuitas") == amounts(
            [changes.opening, changes.change, changes.closing]
        )

        page = Page(
            (await client.get("/pembukuan", params={"laporan": "neraca-saldo", **march})).text
        )
        balances = {
            b.code: b.debit - b.credit
            for b in await service.trial_balance(k, until=date(2026, 3, 31))
        }
        assert page.row("1-1100 Kas") == amounts([balances["1-1100"], 0])
        assert page.row("3-1400 Hibah") == amounts([0, -balances["3-1400"]])
        debit = sum(v for v in balances.values() if v > 0)
        assert page.row("Jumlah") == amounts([debit, debit])

        page = Page(
            (
                await client.get(
                    "/pembukuan", params={"laporan": "buku-besar", "akun": "1-1100", **march}
                )
            ).text
        )
        book = await statements.general_ledger(k, "1-1100", date(2026, 3, 1), date(2026, 3, 31))
        assert page.row("Saldo awal") == amounts([book.opening])
        assert page.row("Saldo akhir") == amounts(
            [sum(r.debit for r in book.rows), sum(r.credit for r in book.rows), book.closing]
        )
        assert len([r for r in page.rows if len(r) == 6]) == 1 + len(book.rows) == 5
        assert page.link("Unduh Buku Besar sebagai PDF").startswith(
            "/api/v1/books/exports/ledger/1-1100?"
        )
        # An account the koperasi does not have: said so, nothing else shown.
        response = await client.get(
            "/pembukuan", params={"laporan": "buku-besar", "akun": "9-0001", **march}
        )
        assert response.status_code == 200
        assert "Akun tidak ditemukan di bagan akun koperasi ini." in response.text

        # Requests that cannot be used fall back to this month, and say so.
        response = await client.get("/pembukuan", params={"periode": "bulan", "bulan": "2026-13"})
        assert response.status_code == 200
        assert "Bulan tidak valid" in response.text
        response = await client.get(
            "/pembukuan",
            params={
                "laporan": "x",
                "periode": "rentang",
                "dari": "2026-03-10",
                "sampai": "2026-03-01",
            },
        )
        assert "Laporan tidak dikenal" in response.text
        assert "Rentang tanggal tidak valid" in response.text


async def test_books_without_entries_say_so(settings: Settings) -> None:
    k, region = await _koperasi("kpri-majapahit")
    async with app_client(settings, origin=ORIGIN) as client:
        as_person(client, await person(settings, Role.PENGURUS, k, region))
        response = await client.get("/pembukuan")
        assert response.status_code == 200
        page = Page(response.text)
        assert "empty-books" in page.ids
        assert "Belum ada jurnal" in response.text
        assert page.link("Catat jurnal pertama") == "/pembukuan/jurnal"
        journal = await client.get("/pembukuan/jurnal")
        assert "Belum ada jurnal di pembukuan koperasi ini." in journal.text
        assert "Belum ada periode yang ditutup." in journal.text


async def test_pengurus_journal_and_chart(settings: Settings) -> None:
    k, region = await _koperasi(SRIKANDI)
    numbers = await _books_of_srikandi(k)
    saving = (
        await service.post_entry(
            k,
            date(2026, 3, 20),
            "Setoran simpanan sukarela",
            [Line("1-1100", 50_000), Line("2-1100", 0, 50_000)],
            source="savings",
        )
    ).number
    for i in range(20):  # more than one page of entries
        await _post(
            k,
            date(2026, 4, 1),
            f"Setoran kas {i}",
            Line("1-1100", 1000 + i),
            Line("4-3100", 0, 1000 + i),
        )
    await service.close_period(k, "2026-02")
    async with app_client(settings, origin=ORIGIN) as client:
        as_person(client, await person(settings, Role.PENGURUS, k, region))
        response = await client.get("/pembukuan/jurnal")
        assert response.status_code == 200
        assert response.headers["cache-control"] == "no-store"
        text = response.text
        page = Page(text)
        assert {"entry-form", "close-form", "entries", "more-entries"} <= page.ids
        # Savings accounts are not offered for manual entries (the API refuses them).
        offered = set(page.options["line-1-account"]) - {""}
        assert "1-1100" in offered and "5-2100" in offered
        assert not offered & {"2-1100", "3-1100", "3-1200"}
        assert "Periode tertutup sampai Februari 2026." in text
        # Newest first: the 20 April entries fill the first page.
        assert "#28 · Setoran kas 19" in text and "Setoran kas 0" in text
        assert "Hibah pemerintah daerah" not in text
        assert "Rp 1.019" in text
        more = page.link("Muat lagi")
        assert more == "/pembukuan/jurnal?sebelum=9"
        older = await client.get(more)
        text = older.text
        page = Page(text)
        assert f"#{numbers['pembalik']} · Pembalik jurnal #{numbers['salah']}" in text
        assert f"Dibalik oleh #{numbers['pembalik']}" in text
        assert f"Membalik #{numbers['salah']}" in text
        # Only manual entries that stand may be reversed.
        assert f'data-reverse="{numbers["jasa"]}"' in text
        assert f'data-reverse="{numbers["salah"]}"' not in text
        assert f'data-reverse="{numbers["pembalik"]}"' not in text
        # A savings movement's entry is corrected through the savings records, not here.
        assert f"#{saving} · Setoran simpanan sukarela" in text
        assert "Transaksi simpanan" in text
        assert f'data-reverse="{saving}"' not in text
        assert "more-entries" not in page.ids and "entry-form" not in page.ids
        assert page.link("Kembali ke jurnal terbaru") == "/pembukuan/jurnal"

        response = await client.get("/pembukuan/akun")
        assert response.status_code == 200
        text = response.text
        page = Page(text)
        kas = page.row("1-1100 Kas")
        assert kas[0] == "Kas dan bank" and "Sudah dipakai" in kas[1]
        sukarela = page.row("2-1100 Simpanan sukarela")
        assert "Akun simpanan" in sukarela[1]
        assert page.row("1-1390 Penyisihan piutang tak tertagih (PPAP)")[1] == (
            "Kontra Belum dipakai"
        )
        assert 'data-delete="1-1390"' in text  # unused: may be deleted
        assert 'data-delete="1-1100"' not in text  # used
        assert 'data-delete="2-1100"' not in text  # a savings account
        assert 'data-edit="1-1100"' in text
        assert "account-form" in page.ids and "edit-dialog" in page.ids


async def _other_region_koperasi() -> str:
    region = await Region.insert(
        Region(slug="kabupaten-lain", name="Kabupaten Lain", dinas_name="Dinas Lain")
    ).returning(Region.id)
    await Koperasi.insert(
        Koperasi(region=region[0]["id"], slug="kud-lain", name="KUD Lain", kind="ksu")
    )
    return "kud-lain"


async def test_dinas_reads_the_books_of_its_region_only(settings: Settings) -> None:
    k, region = await _koperasi(SRIKANDI)
    await _books_of_srikandi(k)
    foreign = await _other_region_koperasi()
    async with app_client(settings, origin=ORIGIN) as client:
        as_person(client, await person(settings, Role.DINAS, None, region))
        # No koperasi chosen yet: the region's koperasi to choose from, no statement.
        response = await client.get("/pembukuan")
        assert response.status_code == 200
        page = Page(response.text)
        assert "choose-koperasi" in page.ids
        assert SRIKANDI in page.options["koperasi"]
        assert "ksp-artha-mandiri" in page.options["koperasi"]
        assert foreign not in page.options["koperasi"]
        assert "statement-heading" not in page.ids
        for path in ("/pembukuan/jurnal", "/pembukuan/akun"):
            chooser = await client.get(path)
            assert chooser.status_code == 200 and "choose-koperasi" in Page(chooser.text).ids

        march = {"laporan": "neraca", "periode": "bulan", "bulan": "2026-03"}
        response = await client.get("/pembukuan", params={"koperasi": SRIKANDI, **march})
        assert response.status_code == 200
        page = Page(response.text)
        assert "Koperasi Wanita Srikandi" in response.text
        assert "hanya baca" in response.text
        sheet = await statements.neraca(k, date(2026, 3, 31), date(2026, 2, 28))
        assert page.row("Jumlah aset") == amounts(sheet.aset.totals)
        pdf = page.link("Unduh Neraca sebagai PDF")
        assert parse_qs(urlsplit(pdf).query)["koperasi"] == [SRIKANDI]
        assert (await client.get(pdf)).content.startswith(b"%PDF")
        # The books' own links keep the koperasi.
        assert page.link("Jurnal umum") == f"/pembukuan/jurnal?koperasi={SRIKANDI}"

        journal = await client.get("/pembukuan/jurnal", params={"koperasi": SRIKANDI})
        assert journal.status_code == 200
        page = Page(journal.text)
        assert "Hibah pemerintah daerah" in journal.text
        assert not {"entry-form", "close-form"} & page.ids
        assert "data-reverse" not in journal.text
        assert "Belum ada periode yang ditutup." in journal.text
        chart = await client.get("/pembukuan/akun", params={"koperasi": SRIKANDI})
        assert chart.status_code == 200
        assert "data-edit" not in chart.text and "account-form" not in Page(chart.text).ids

        for path in ("/pembukuan", "/pembukuan/jurnal", "/pembukuan/akun"):
            refused = await client.get(path, params={"koperasi": foreign})
            assert refused.status_code == 403, path
            assert "Tidak diizinkan" in refused.text
            assert "KUD Lain" not in refused.text
            missing = await client.get(path, params={"koperasi": "tidak-ada"})
            assert missing.status_code == 404
            assert "Koperasi tidak ditemukan" in missing.text


@pytest.mark.parametrize("role", [Role.KASIR, Role.ANGGOTA], ids=["kasir", "anggota"])
async def test_other_roles_are_refused_politely(settings: Settings, role: Role) -> None:
    k, region = await _koperasi(SRIKANDI)
    await _books_of_srikandi(k)
    async with app_client(settings, origin=ORIGIN) as client:
        as_person(client, await person(settings, role, k, region))
        for path in ("/pembukuan", "/pembukuan/jurnal", "/pembukuan/akun"):
            response = await client.get(path)
            assert response.status_code == 403, path
            assert response.headers["content-type"].startswith("text/html")
            assert response.headers["cache-control"] == "no-store"
            assert "Tidak diizinkan" in response.text
            assert "pengurus koperasi dan petugas Dinas Koperasi" in response.text
            assert "Hibah pemerintah daerah" not in response.text


async def test_anonymous_visitors_are_sent_to_sign_in(settings: Settings) -> None:
    async with app_client(settings, origin=ORIGIN) as client:
        for path in ("/pembukuan?laporan=phu", "/pembukuan/jurnal", "/pembukuan/akun"):
            response = await client.get(path)
            assert response.status_code == 303, path
            assert response.headers["location"].startswith("/masuk?next=/pembukuan")


async def test_pages_speak_english(settings: Settings) -> None:
    k, region = await _koperasi(SRIKANDI)
    await _books_of_srikandi(k)
    async with app_client(settings, origin=ORIGIN) as client:
        as_person(client, await person(settings, Role.PENGURUS, k, region))
        client.cookies.set("koroena_lang", "en", domain="testserver.local")
        response = await client.get(
            "/pembukuan", params={"laporan": "phu", "periode": "bulan", "bulan": "2026-03"}
        )
        assert response.status_code == 200
        assert '<html lang="en">' in response.text
        assert "Financial statements" in response.text
        assert "March 2026" in response.text
        assert "Rp 375.000" in response.text  # the same figures in every language
