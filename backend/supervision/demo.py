"""Legality records of the demo koperasi (Kota Mojokerto), varied so the compliance
calendar has something to say: the KSP complete with its licence and verified, one NIK
certificate running out within 30 days, one RAT long overdue, one koperasi with its
documents missing, one profile rejected by the Dinas, one never filled in. Dates are
relative to `today`; sample documents (a one-page PDF, a small PNG) are made here.

Idempotent: a koperasi that already has a profile, board, amendments or documents keeps
them."""

from __future__ import annotations

import hashlib
import struct
import zlib
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta

from fpdf import FPDF

from backend.db import write_transaction
from backend.supervision.compliance import rules_for
from backend.supervision.domain import (
    Amendment,
    Bentuk,
    BoardBody,
    BoardMember,
    DocumentKind,
    Profile,
    VerificationStatus,
    add_years,
)
from backend.supervision.service import profile_values
from backend.supervision.service import today as wib_today
from backend.supervision.tables import (
    BoardMemberRow,
    DeedAmendment,
    LegalityDocument,
    LegalityProfile,
)
from backend.tenancy.tables import Koperasi


def sample_pdf(title: str, lines: list[str]) -> bytes:
    """A one-page PDF saying it is a demo copy."""
    pdf = FPDF(format="A4")
    pdf.set_creator("Koroena (data contoh)")
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 14)
    pdf.multi_cell(0, 8, title, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "", 10)
    for line in [*lines, "", "DATA CONTOH - bukan dokumen resmi."]:
        pdf.multi_cell(0, 6, line, new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def sample_png(width: int = 48, height: int = 32) -> bytes:
    """A small valid PNG (a green card with a gold stripe), written by hand."""
    green, gold = b"\x0b\x6e\x4f", b"\xf2\xb7\x05"
    rows = b"".join(
        b"\x00"
        + b"".join(gold if height // 3 <= y < height // 3 + 4 else green for _ in range(width))
        for y in range(height)
    )

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows, 9))
        + chunk(b"IEND", b"")
    )


@dataclass(frozen=True)
class DemoDocument:
    kind: DocumentKind
    filename: str
    content: bytes
    content_type: str
    status: VerificationStatus = VerificationStatus.MENUNGGU
    note: str = ""


@dataclass(frozen=True)
class DemoRecord:
    profile: Profile | None
    status: VerificationStatus = VerificationStatus.MENUNGGU
    note: str = ""
    board: tuple[BoardMember, ...] = ()
    amendments: tuple[Amendment, ...] = ()
    documents: tuple[DemoDocument, ...] = field(default_factory=tuple)


def _last_rat(today: date, month: int = 3, day: int = 20) -> date:
    """This year's RAT if it has been held by `today`, else last year's."""
    this_year = date(today.year, month, day)
    return this_year if this_year <= today else date(today.year - 1, month, day)


def _board(today: date, names: tuple[str, str, str, str, str]) -> tuple[BoardMember, ...]:
    start = date(today.year - 2, 1, 1)
    end = date(today.year + 3, 12, 31)
    titles = (
        (BoardBody.PENGURUS, "Ketua"),
        (BoardBody.PENGURUS, "Sekretaris"),
        (BoardBody.PENGURUS, "Bendahara"),
        (BoardBody.PENGAWAS, "Ketua Pengawas"),
        (BoardBody.PENGAWAS, "Anggota Pengawas"),
    )
    return tuple(
        BoardMember(body, name, title, start, end)
        for (body, title), name in zip(titles, names, strict=True)
    )


def _pdf(
    kind: DocumentKind,
    name: str,
    number: str,
    status: VerificationStatus = VerificationStatus.MENUNGGU,
) -> DemoDocument:
    title = {
        DocumentKind.AKTA: "Akta Pendirian Koperasi",
        DocumentKind.SK_BADAN_HUKUM: "Keputusan Pengesahan Badan Hukum Koperasi",
        DocumentKind.NIK_SERTIFIKAT: "Sertifikat Nomor Induk Koperasi",
        DocumentKind.NIB: "Nomor Induk Berusaha",
        DocumentKind.NPWP: "Nomor Pokok Wajib Pajak",
        DocumentKind.IZIN_USP: "Izin Usaha Simpan Pinjam",
        DocumentKind.LAPORAN_RAT: "Laporan Hasil Rapat Anggota Tahunan",
        DocumentKind.OTHER: "Dokumen Koperasi",
    }[kind]
    content = sample_pdf(title, [name, f"Nomor: {number}"])
    slug = kind.value.replace("_", "-")
    return DemoDocument(kind, f"{slug}-contoh.pdf", content, "application/pdf", status)


def demo_records(today: date) -> dict[str, DemoRecord]:
    """slug -> the record to load."""
    verified = VerificationStatus.TERVERIFIKASI
    rat = _last_rat(today)
    return {
        # The KSP: complete, its licence included, verified by the Dinas.
        "ksp-artha-mandiri": DemoRecord(
            Profile(
                badan_hukum_number="188.4/12/BH/XVI.30/2009",
                badan_hukum_date=date(2009, 4, 14),
                akta_number="07",
                akta_date=date(2009, 2, 2),
                akta_notary="Sri Wahyuni, S.H., M.Kn.",
                nik="3576010030000112",
                nik_issued_on=today - timedelta(days=200),
                nik_expires_on=add_years(today - timedelta(days=200), 2),
                nib="9120001234567",
                kbli=("64141",),
                npwp="012345674602000",
                izin_usp_number="503/045/IUSP/417.302/2010",
                izin_usp_date=date(2010, 6, 1),
                last_rat_date=rat,
                last_rat_report_date=min(rat + timedelta(days=14), today),
                bentuk=Bentuk.PRIMER,
                kelompok="Koperasi Simpan Pinjam",
                latitude_e6=-7_472_638,
                longitude_e6=112_433_790,
            ),
            status=verified,
            board=_board(
                today,
                ("H. Suparno", "Dwi Lestari", "Agus Salim", "Bambang Irawan", "Nur Aini"),
            ),
            amendments=(
                Amendment("15", date(2016, 8, 22), "Sri Wahyuni, S.H., M.Kn.", "Perubahan modal"),
            ),
            documents=(
                _pdf(DocumentKind.AKTA, "KSP Artha Mandiri", "07", status=verified),
                _pdf(DocumentKind.SK_BADAN_HUKUM, "KSP Artha Mandiri", "188.4/12", status=verified),
                _pdf(
                    DocumentKind.NIK_SERTIFIKAT,
                    "KSP Artha Mandiri",
                    "3576010030000112",
                    status=verified,
                ),
                _pdf(DocumentKind.NIB, "KSP Artha Mandiri", "9120001234567", status=verified),
                DemoDocument(
                    DocumentKind.NPWP, "npwp-foto.png", sample_png(), "image/png", verified
                ),
                _pdf(DocumentKind.IZIN_USP, "KSP Artha Mandiri", "503/045/IUSP", status=verified),
            ),
        ),
        # The NIK certificate runs out within 30 days.
        "kopwan-srikandi": DemoRecord(
            Profile(
                badan_hukum_number="518/07/BH/XVI.30/2012",
                badan_hukum_date=date(2012, 9, 3),
                akta_number="03",
                akta_date=date(2012, 7, 16),
                akta_notary="Retno Palupi, S.H.",
                nik="3576020030000245",
                nik_issued_on=add_years(today, -2) + timedelta(days=20),
                nik_expires_on=today + timedelta(days=20),
                nib="9120002345678",
                kbli=("47111", "64141"),
                npwp="023456781602000",
                last_rat_date=rat,
                last_rat_report_date=min(rat + timedelta(days=10), today),
                kelompok="Koperasi Wanita",
            ),
            board=_board(
                today, ("Siti Aminah", "Rina Kartika", "Endang Sulastri", "Yuli Astuti", "Wiwik")
            ),
            documents=(
                _pdf(DocumentKind.AKTA, "Koperasi Wanita Srikandi", "03"),
                _pdf(DocumentKind.SK_BADAN_HUKUM, "Koperasi Wanita Srikandi", "518/07"),
                _pdf(DocumentKind.NIK_SERTIFIKAT, "Koperasi Wanita Srikandi", "3576020030000245"),
                _pdf(DocumentKind.NIB, "Koperasi Wanita Srikandi", "9120002345678"),
                _pdf(DocumentKind.NPWP, "Koperasi Wanita Srikandi", "02.345.678.1-602.000"),
            ),
        ),
        # No RAT for two financial years: overdue, with the sanctions warning.
        "ksu-bina-usaha-sejahtera": DemoRecord(
            Profile(
                badan_hukum_number="518/11/BH/XVI.30/2005",
                badan_hukum_date=date(2005, 11, 28),
                akta_number="21",
                akta_date=date(2005, 10, 10),
                akta_notary="Bambang Sutrisno, S.H.",
                nik="3576020030000078",
                nik_issued_on=today - timedelta(days=400),
                nib="9120003456789",
                kbli=("47111", "46311"),
                npwp="034567898602000",
                last_rat_date=date(today.year - 2, 4, 12),
                last_rat_report_date=date(today.year - 2, 5, 2),
                kelompok="Koperasi Serba Usaha",
            ),
            board=_board(
                today, ("Joko Prasetyo", "Hadi Susanto", "Lilik Rahayu", "Sugeng Riyadi", "Tutik")
            ),
            documents=(
                _pdf(DocumentKind.AKTA, "KSU Bina Usaha Sejahtera", "21"),
                _pdf(DocumentKind.SK_BADAN_HUKUM, "KSU Bina Usaha Sejahtera", "518/11"),
                _pdf(DocumentKind.NIB, "KSU Bina Usaha Sejahtera", "9120003456789"),
                _pdf(DocumentKind.NPWP, "KSU Bina Usaha Sejahtera", "03.456.789.8-602.000"),
            ),
        ),
        # Complete on paper, but no document uploaded.
        "kpri-majapahit": DemoRecord(
            Profile(
                badan_hukum_number="4521/BH/II/1985",
                badan_hukum_date=date(1985, 3, 7),
                akta_number="4521",
                akta_date=date(1985, 1, 21),
                nik="3576020030000011",
                nik_issued_on=today - timedelta(days=90),
                nib="9120004567890",
                kbli=("47111",),
                npwp="045678905602000",
                last_rat_date=rat,
                last_rat_report_date=min(rat + timedelta(days=25), today),
                kelompok="KPRI",
            ),
            board=_board(
                today, ("Drs. Suyanto", "Endah Purwanti", "Kusnadi", "Slamet Widodo", "Ninik")
            ),
        ),
        "kopprod-sumber-rejeki": DemoRecord(
            Profile(
                badan_hukum_number="518/03/BH/XVI.30/2015",
                badan_hukum_date=date(2015, 2, 19),
                akta_number="11",
                akta_date=date(2015, 1, 12),
                nik="3576030030000134",
                nik_issued_on=today - timedelta(days=300),
                nib="9120005678901",
                kbli=("10392",),
                npwp="056789012602000",
                last_rat_date=rat,
                kelompok="Koperasi Produsen",
            ),
            board=_board(
                today, ("Mulyono", "Sri Handayani", "Teguh Santoso", "Paimin", "Kasiyati")
            ),
            documents=(
                _pdf(DocumentKind.AKTA, "Koperasi Produsen Tahu Tempe Sumber Rejeki", "11"),
                DemoDocument(DocumentKind.NIB, "nib-foto.png", sample_png(), "image/png"),
            ),
        ),
        # Rejected by the Dinas, with what to fix.
        "kopjas-wilwatikta": DemoRecord(
            Profile(
                badan_hukum_number="518/09/BH/XVI.30/2018",
                badan_hukum_date=date(2018, 8, 6),
                akta_number="05",
                akta_date=date(2018, 7, 2),
                nib="9120006789012",
                npwp="067890129602000",
                last_rat_date=rat,
                kelompok="Koperasi Jasa",
            ),
            status=VerificationStatus.DITOLAK,
            note="Nomor badan hukum tidak sama dengan SK yang diunggah. Periksa lagi.",
        ),
        # "koppas-onde-onde-kranggan": never filled in (the pengurus starts from nothing).
    }


async def load_demo_records(today: date | None = None) -> int:
    """Write what is missing; returns how many rows were written."""
    day = today or wib_today()
    records = demo_records(day)
    written = 0
    async with write_transaction():
        ids = {
            row["slug"]: int(row["id"])
            for row in await Koperasi.select(Koperasi.id, Koperasi.slug).where(
                Koperasi.slug.is_in(list(records))
            )
        }
        for slug, record in records.items():
            koperasi_id = ids.get(slug)
            if koperasi_id is None:
                continue
            written += await _load_one(koperasi_id, record, day)
    return written


async def _load_one(koperasi_id: int, record: DemoRecord, today: date) -> int:
    written = 0
    now = datetime.now(UTC)
    mine = LegalityProfile.koperasi == koperasi_id
    if record.profile is not None and not await LegalityProfile.exists().where(mine):
        profile = record.profile
        if profile.nik_issued_on is not None and profile.nik_expires_on is None:
            years = rules_for(today).nik_valid_years
            profile = replace(profile, nik_expires_on=add_years(profile.nik_issued_on, years))
        decided = record.status is not VerificationStatus.MENUNGGU
        await LegalityProfile.insert(
            LegalityProfile(
                koperasi=koperasi_id,
                status=record.status.value,
                verification_note=record.note,
                verified_at=now if decided else None,
                **profile_values(profile),
            )
        )
        written += 1
    if record.board and not await BoardMemberRow.exists().where(
        BoardMemberRow.koperasi == koperasi_id
    ):
        await BoardMemberRow.insert(
            *[
                BoardMemberRow(
                    koperasi=koperasi_id,
                    body=m.body.value,
                    name=m.name,
                    title=m.title,
                    term_start=m.term_start,
                    term_end=m.term_end,
                    position=index,
                )
                for index, m in enumerate(record.board)
            ]
        )
        written += len(record.board)
    if record.amendments and not await DeedAmendment.exists().where(
        DeedAmendment.koperasi == koperasi_id
    ):
        await DeedAmendment.insert(
            *[
                DeedAmendment(
                    koperasi=koperasi_id,
                    number=a.number,
                    deed_date=a.deed_date,
                    notary=a.notary,
                    summary=a.summary,
                    position=index,
                )
                for index, a in enumerate(record.amendments)
            ]
        )
        written += len(record.amendments)
    if record.documents and not await LegalityDocument.exists().where(
        LegalityDocument.koperasi == koperasi_id
    ):
        await LegalityDocument.insert(
            *[
                LegalityDocument(
                    koperasi=koperasi_id,
                    kind=d.kind.value,
                    filename=d.filename,
                    content_type=d.content_type,
                    size=len(d.content),
                    sha256=hashlib.sha256(d.content).hexdigest(),
                    content=d.content,
                    status=d.status.value,
                    verification_note=d.note,
                    verified_at=None if d.status is VerificationStatus.MENUNGGU else now,
                )
                for d in record.documents
            ]
        )
        written += len(record.documents)
    return written
