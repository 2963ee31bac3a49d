"""Education material, news and trainings of the demo region (Kota Mojokerto), so the
public pages and the Dinas's desks have something to show: three published articles (one
with a PDF checklist), a public Dinas announcement and one of Koperasi Wanita Srikandi, a
training open for registration in two weeks and a draft one. Dates are relative to
`today`. Written directly (no notifications: nobody has subscribed yet).

Idempotent: a region that already has articles, news or trainings keeps them."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, date, datetime, time, timedelta

from backend.db import write_transaction
from backend.outreach.domain import REGION_TZ, ArticleStatus, EduTopic, NewsScope, TrainingStatus
from backend.outreach.tables import (
    EduArticle,
    EduAttachment,
    NewsPost,
    TrainingAudienceKoperasi,
    TrainingEvent,
)
from backend.supervision.demo import sample_pdf
from backend.tenancy.tables import Koperasi, Region

REGION_SLUG = "kota-mojokerto"

ARTICLES: list[dict[str, object]] = [
    {
        "slug": "tujuh-prinsip-koperasi-dalam-keseharian",
        "topic": EduTopic.DASAR,
        "title": "Tujuh Prinsip Koperasi dalam Keseharian",
        "summary": "Keanggotaan sukarela, pengelolaan demokratis, partisipasi ekonomi "
        "anggota: seperti apa wujudnya di koperasi kita.",
        "body": (
            "Koperasi berbeda dari usaha biasa karena dimiliki dan dikendalikan oleh "
            "anggotanya.\n\n"
            "## Prinsip yang dipegang\n\n"
            "1. Keanggotaan sukarela dan terbuka\n"
            "2. Pengelolaan yang **demokratis**: satu anggota, satu suara\n"
            "3. Partisipasi ekonomi anggota\n"
            "4. Otonomi dan kemandirian\n"
            "5. Pendidikan, pelatihan dan informasi\n"
            "6. Kerja sama antarkoperasi\n"
            "7. Kepedulian terhadap masyarakat\n\n"
            "## Dalam keseharian\n\n"
            "- Setiap anggota diundang ke RAT dan boleh bersuara.\n"
            "- Sisa hasil usaha dibagi menurut jasa anggota, bukan besar modalnya saja.\n"
            "- Sebagian SHU disisihkan untuk dana pendidikan anggota."
        ),
        "links": [],
        "days_ago": 40,
        "pdf": None,
    },
    {
        "slug": "menyiapkan-rat-tepat-waktu",
        "topic": EduTopic.TATA_KELOLA,
        "title": "Menyiapkan RAT Tepat Waktu",
        "summary": "RAT paling lambat tiga bulan setelah tahun buku berakhir. Daftar periksa "
        "persiapannya ada di lampiran.",
        "body": (
            "Rapat Anggota Tahunan (RAT) adalah kekuasaan tertinggi koperasi. Laporan "
            "pertanggungjawaban pengurus dibahas dan disahkan di sini.\n\n"
            "## Yang perlu disiapkan\n\n"
            "- Neraca dan perhitungan hasil usaha tahun buku yang lalu\n"
            "- Rencana kerja dan anggaran tahun berikutnya\n"
            "- Usulan pembagian SHU sesuai anggaran dasar\n"
            "- Undangan kepada seluruh anggota\n\n"
            "Kirim laporan hasil RAT ke Dinas Koperasi paling lambat satu bulan setelah "
            "rapat."
        ),
        "links": [],
        "days_ago": 20,
        "pdf": (
            "daftar-periksa-rat.pdf",
            "Daftar periksa persiapan RAT",
            [
                "1. Tutup buku tahun lalu dan susun neraca serta PHU.",
                "2. Rapat pengurus dan pengawas: jadwal, tempat, acara.",
                "3. Undangan ke anggota paling lambat 7 hari sebelum RAT.",
                "4. Siapkan daftar hadir dan bahan rapat.",
                "5. Kirim laporan hasil RAT ke Dinas paling lambat 1 bulan kemudian.",
            ],
        ),
    },
    {
        "slug": "mengenal-sak-ep-untuk-koperasi-simpan-pinjam",
        "topic": EduTopic.KEUANGAN,
        "title": "Mengenal SAK EP untuk Koperasi Simpan Pinjam",
        "summary": "Sejak tahun buku 2025 koperasi simpan pinjam menyusun laporan keuangan "
        "dengan SAK EP.",
        "body": (
            "Standar Akuntansi Keuangan Entitas Privat (SAK EP) menggantikan SAK ETAP. "
            "Bagi koperasi simpan pinjam, perubahan ini berlaku mulai tahun buku 2025.\n\n"
            "## Laporan yang disusun\n\n"
            "- Laporan posisi keuangan (neraca)\n"
            "- Laporan hasil usaha\n"
            "- Laporan perubahan ekuitas dan arus kas\n"
            "- Catatan atas laporan keuangan\n\n"
            "Koroena menyusun neraca dan PHU langsung dari jurnal koperasi Anda."
        ),
        "links": [{"title": "Ikatan Akuntan Indonesia", "url": "https://iaiglobal.or.id/"}],
        "days_ago": 5,
        "pdf": None,
    },
]


def _at(day: date, hour: int) -> datetime:
    return datetime.combine(day, time(hour, 0), tzinfo=REGION_TZ).astimezone(UTC)


async def load_demo_outreach(today: date | None = None) -> int:
    """Rows written (0 when the region already has its material)."""
    day = today or datetime.now(UTC).astimezone(REGION_TZ).date()
    written = 0
    async with write_transaction():
        region = await Region.select(Region.id).where(Region.slug == REGION_SLUG).first()
        if region is None:
            return 0
        region_id = int(region["id"])
        if not await EduArticle.exists().where(EduArticle.region == region_id):
            written += await _articles(region_id, day)
        if not await NewsPost.exists().where(NewsPost.region == region_id):
            written += await _news(region_id, day)
        if not await TrainingEvent.exists().where(TrainingEvent.region == region_id):
            written += await _trainings(region_id, day)
    return written


async def _articles(region_id: int, day: date) -> int:
    written = 0
    for item in ARTICLES:
        moment = _at(day - timedelta(days=int(str(item["days_ago"]))), 9)
        topic = item["topic"]
        assert isinstance(topic, EduTopic)
        made = await EduArticle.insert(
            EduArticle(
                region=region_id,
                slug=str(item["slug"]),
                topic=topic.value,
                title=str(item["title"]),
                summary=str(item["summary"]),
                body=str(item["body"]),
                links=json.dumps(item["links"], ensure_ascii=False),
                status=ArticleStatus.TERBIT.value,
                published_at=moment,
                announced_at=moment,
                created_at=moment,
                updated_at=moment,
            )
        ).returning(EduArticle.id)
        written += 1
        pdf = item["pdf"]
        if isinstance(pdf, tuple):
            name, title, lines = pdf
            content = sample_pdf(title, lines)
            await EduAttachment.insert(
                EduAttachment(
                    article=int(made[0]["id"]),
                    region=region_id,
                    filename=name,
                    content_type="application/pdf",
                    size=len(content),
                    sha256=hashlib.sha256(content).hexdigest(),
                    content=content,
                    created_at=moment,
                )
            )
            written += 1
    return written


async def _news(region_id: int, day: date) -> int:
    srikandi = await Koperasi.select(Koperasi.id).where(Koperasi.slug == "kopwan-srikandi").first()
    posts = [
        NewsPost(
            scope=NewsScope.WILAYAH.value,
            region=region_id,
            title="Jadwal pendampingan pembukuan koperasi",
            body=(
                "Dinas Koperasi membuka pendampingan pembukuan setiap **Selasa dan Kamis**, "
                "pukul 09.00–12.00 WIB di kantor Dinas.\n\n"
                "Bawa buku kas dan bukti transaksi tiga bulan terakhir."
            ),
            public=True,
            created_at=_at(day - timedelta(days=3), 8),
            updated_at=_at(day - timedelta(days=3), 8),
            published_at=_at(day - timedelta(days=3), 8),
        )
    ]
    if srikandi is not None:
        posts.append(
            NewsPost(
                scope=NewsScope.KOPERASI.value,
                region=region_id,
                koperasi=int(srikandi["id"]),
                title="Simpanan wajib bulan ini",
                body=(
                    "Ibu-ibu anggota, simpanan wajib bulan ini dapat disetor di loket "
                    "koperasi sampai tanggal 10. Terima kasih."
                ),
                created_at=_at(day - timedelta(days=1), 10),
                updated_at=_at(day - timedelta(days=1), 10),
                published_at=_at(day - timedelta(days=1), 10),
            )
        )
    await NewsPost.insert(*posts)
    return len(posts)


async def _trainings(region_id: int, day: date) -> int:
    starts = _at(day + timedelta(days=14), 9)
    await TrainingEvent.insert(
        TrainingEvent(
            region=region_id,
            title="Pelatihan Pembukuan Koperasi dengan SAK EP",
            description=(
                "Praktik menyusun jurnal, neraca dan perhitungan hasil usaha. Bawa laptop "
                "atau ponsel dengan aplikasi Koroena."
            ),
            starts_at=starts,
            ends_at=starts + timedelta(hours=6),
            registration_deadline=starts - timedelta(days=2),
            place="Aula Dinas Koperasi dan UKM Kota Mojokerto",
            quota=40,
            audience_roles="anggota,pengurus",
            public=True,
            status=TrainingStatus.DIBUKA.value,
            announced_at=_at(day - timedelta(days=2), 8),
            created_at=_at(day - timedelta(days=2), 8),
            updated_at=_at(day - timedelta(days=2), 8),
        )
    )
    later = _at(day + timedelta(days=45), 13)
    draft = await TrainingEvent.insert(
        TrainingEvent(
            region=region_id,
            title="Bimbingan Teknis Persiapan RAT untuk Pengurus",
            description="Khusus pengurus koperasi simpan pinjam dan serba usaha.",
            starts_at=later,
            ends_at=later + timedelta(hours=3),
            registration_deadline=later - timedelta(days=3),
            place="",
            online_url="https://meet.jit.si/koroena-bimtek-rat",
            quota=60,
            audience_roles="pengurus",
            status=TrainingStatus.DRAF.value,
            created_at=_at(day, 8),
            updated_at=_at(day, 8),
        )
    ).returning(TrainingEvent.id)
    limited = await Koperasi.select(Koperasi.id).where(
        Koperasi.slug.is_in(["ksp-artha-mandiri", "ksu-bina-usaha-sejahtera"])
    )
    audience = [
        TrainingAudienceKoperasi(event=int(draft[0]["id"]), koperasi=int(k["id"])) for k in limited
    ]
    if audience:
        await TrainingAudienceKoperasi.insert(*audience)
    return 2 + len(audience)
