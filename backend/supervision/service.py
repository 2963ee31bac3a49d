"""Supervision use cases: the legality record of a koperasi (kept by its pengurus, verified
by the Dinas of its region), its documents, the compliance calendar (one koperasi, the whole
region, and `due_soon` for notifications) and the KUK class from the books.

Every write runs in one transaction that takes the koperasi's turn first (PostgreSQL: the
koperasi row, as the books do; SQLite's IMMEDIATE transaction serialises every writer) and
writes its audit event in the same transaction."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any

from backend.accounts import audit
from backend.accounts.domain import Actor, Role
from backend.db import is_sqlite, write_transaction
from backend.errors import Conflict, Forbidden, NotFound
from backend.ledger.statements import neraca
from backend.members.tables import Member
from backend.supervision import compliance as rules
from backend.supervision.compliance import (
    ComplianceInput,
    ComplianceItem,
    ComplianceStatus,
    best_status,
    sort_key,
)
from backend.supervision.documents import CheckedUpload, check_upload
from backend.supervision.domain import (
    Amendment,
    Bentuk,
    BoardBody,
    BoardMember,
    DocumentKind,
    Profile,
    ProfileDraft,
    Refused,
    VerificationStatus,
    amendments_plain,
    board_plain,
    check_amendments,
    check_board,
    check_profile,
    check_verdict,
    coordinate_text,
    profile_changes,
    status_after_edit,
)
from backend.supervision.kuk import KukInputs, KukResult, classify, sector_of, version_for
from backend.supervision.tables import (
    BoardMemberRow,
    DeedAmendment,
    LegalityDocument,
    LegalityProfile,
)
from backend.tenancy.domain import KoperasiKind
from backend.tenancy.tables import Koperasi
from backend.texts import N_

MAX_DOCUMENTS = 200  # per koperasi: enough for years of RAT reports, bounded storage
# Deadlines count in days on the region's wall clock. Kota Mojokerto, the only region so
# far, is on WIB (UTC+7); a region's own zone belongs in its data once there are others.
WIB = timezone(timedelta(hours=7), "WIB")


def today() -> date:
    """Today in the region (WIB): a deadline at midnight is the region's midnight."""
    return datetime.now(UTC).astimezone(WIB).date()


# Who may see and change what


@dataclass(frozen=True)
class KoperasiRef:
    id: int
    slug: str
    name: str
    kind: str
    kind_label: str
    region_id: int
    address: str = ""


def _kind_label(kind: str) -> str:
    try:
        return KoperasiKind(kind).label
    except ValueError:
        return kind


def _ref(row: dict[str, Any]) -> KoperasiRef:
    return KoperasiRef(
        id=int(row["id"]),
        slug=str(row["slug"]),
        name=str(row["name"]),
        kind=str(row["kind"]),
        kind_label=_kind_label(str(row["kind"])),
        region_id=int(row["region_id"]),
        address=", ".join(part for part in (row["address"], row["city"]) if part),
    )


_REF_COLUMNS = (
    Koperasi.id,
    Koperasi.slug,
    Koperasi.name,
    Koperasi.kind,
    Koperasi.address,
    Koperasi.city,
    Koperasi.region.as_alias("region_id"),
)


async def koperasi_by_id(koperasi_id: int) -> KoperasiRef:
    row = await Koperasi.select(*_REF_COLUMNS).where(Koperasi.id == koperasi_id).first()
    if row is None:
        raise NotFound("koperasi_not_found", N_("Koperasi tidak ditemukan."))
    return _ref(row)


async def koperasi_by_slug(slug: str) -> KoperasiRef:
    row = await Koperasi.select(*_REF_COLUMNS).where(Koperasi.slug == slug).first()
    if row is None:
        raise NotFound("koperasi_not_found", N_("Koperasi tidak ditemukan."))
    return _ref(row)


def _refuse_read() -> Forbidden:
    return Forbidden(
        "record_forbidden",
        N_("Rekam koperasi hanya untuk pengurus koperasinya dan Dinas wilayahnya."),
    )


async def readable(actor: Actor, slug: str | None = None) -> KoperasiRef:
    """The koperasi whose record `actor` asks for: a pengurus their own (by default), a
    Dinas officer any koperasi of their region (named by slug); nobody else any."""
    if actor.role is Role.PENGURUS and actor.koperasi_id is not None:
        koperasi = await koperasi_by_id(actor.koperasi_id)
        if slug is not None and slug != koperasi.slug:
            raise _refuse_read()
        return koperasi
    if actor.role is Role.DINAS:
        if slug is None:
            raise NotFound("koperasi_required", N_("Pilih koperasi yang rekamnya dilihat."))
        koperasi = await koperasi_by_slug(slug)
        if koperasi.region_id != actor.region_id:
            raise _refuse_read()
        return koperasi
    raise _refuse_read()


def editable(actor: Actor) -> int:
    """Only pengurus keep their own koperasi's record."""
    if actor.role is not Role.PENGURUS or actor.koperasi_id is None:
        raise Forbidden(
            "record_forbidden", N_("Hanya pengurus koperasi yang dapat mengubah rekamnya.")
        )
    return actor.koperasi_id


def _officer_of(actor: Actor, koperasi: KoperasiRef) -> None:
    if actor.role is not Role.DINAS or koperasi.region_id != actor.region_id:
        raise Forbidden(
            "verify_forbidden",
            N_("Hanya petugas Dinas wilayah koperasi ini yang dapat memverifikasi."),
        )


async def _take_turn(koperasi_id: int) -> None:
    if not is_sqlite():
        await Koperasi.raw("SELECT id FROM koperasi WHERE id = {} FOR UPDATE", koperasi_id)


def _as_date(value: object) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value))


# The profile


@dataclass(frozen=True)
class ProfileOut:
    badan_hukum_number: str
    badan_hukum_date: date | None
    akta_number: str
    akta_date: date | None
    akta_notary: str
    nik: str
    nik_issued_on: date | None
    nik_expires_on: date | None
    nib: str
    kbli: list[str]
    npwp: str
    izin_usp_number: str
    izin_usp_date: date | None
    last_rat_date: date | None
    last_rat_report_date: date | None
    bentuk: str
    bentuk_label: str
    kelompok: str
    latitude: str
    longitude: str
    status: str
    status_label: str
    revision: int
    verified_by: str | None
    verified_at: datetime | None
    verification_note: str
    updated_by: str | None
    updated_at: datetime | None


_PROFILE_COLUMNS = (
    LegalityProfile.badan_hukum_number,
    LegalityProfile.badan_hukum_date,
    LegalityProfile.akta_number,
    LegalityProfile.akta_date,
    LegalityProfile.akta_notary,
    LegalityProfile.nik,
    LegalityProfile.nik_issued_on,
    LegalityProfile.nik_expires_on,
    LegalityProfile.nib,
    LegalityProfile.kbli,
    LegalityProfile.npwp,
    LegalityProfile.izin_usp_number,
    LegalityProfile.izin_usp_date,
    LegalityProfile.last_rat_date,
    LegalityProfile.last_rat_report_date,
    LegalityProfile.bentuk,
    LegalityProfile.kelompok,
    LegalityProfile.latitude_e6,
    LegalityProfile.longitude_e6,
    LegalityProfile.status,
    LegalityProfile.revision,
    LegalityProfile.verified_at,
    LegalityProfile.verification_note,
    LegalityProfile.updated_at,
    LegalityProfile.koperasi.as_alias("koperasi_id"),
    LegalityProfile.verified_by.display_name.as_alias("verified_by_name"),
    LegalityProfile.updated_by.display_name.as_alias("updated_by_name"),
)


def _profile_of(row: dict[str, Any]) -> Profile:
    return Profile(
        badan_hukum_number=row["badan_hukum_number"],
        badan_hukum_date=_as_date(row["badan_hukum_date"]),
        akta_number=row["akta_number"],
        akta_date=_as_date(row["akta_date"]),
        akta_notary=row["akta_notary"],
        nik=row["nik"],
        nik_issued_on=_as_date(row["nik_issued_on"]),
        nik_expires_on=_as_date(row["nik_expires_on"]),
        nib=row["nib"],
        kbli=tuple(code for code in str(row["kbli"] or "").split(",") if code),
        npwp=row["npwp"],
        izin_usp_number=row["izin_usp_number"],
        izin_usp_date=_as_date(row["izin_usp_date"]),
        last_rat_date=_as_date(row["last_rat_date"]),
        last_rat_report_date=_as_date(row["last_rat_report_date"]),
        bentuk=Bentuk(row["bentuk"]),
        kelompok=row["kelompok"],
        latitude_e6=row["latitude_e6"],
        longitude_e6=row["longitude_e6"],
    )


def _as_datetime(value: object) -> datetime | None:
    if value is None or isinstance(value, datetime):
        return value
    return datetime.fromisoformat(str(value))


def _profile_out(row: dict[str, Any]) -> ProfileOut:
    profile = _profile_of(row)
    status = VerificationStatus(row["status"])
    return ProfileOut(
        badan_hukum_number=profile.badan_hukum_number,
        badan_hukum_date=profile.badan_hukum_date,
        akta_number=profile.akta_number,
        akta_date=profile.akta_date,
        akta_notary=profile.akta_notary,
        nik=profile.nik,
        nik_issued_on=profile.nik_issued_on,
        nik_expires_on=profile.nik_expires_on,
        nib=profile.nib,
        kbli=list(profile.kbli),
        npwp=profile.npwp,
        izin_usp_number=profile.izin_usp_number,
        izin_usp_date=profile.izin_usp_date,
        last_rat_date=profile.last_rat_date,
        last_rat_report_date=profile.last_rat_report_date,
        bentuk=profile.bentuk.value,
        bentuk_label=profile.bentuk.label,
        kelompok=profile.kelompok,
        latitude=coordinate_text(profile.latitude_e6),
        longitude=coordinate_text(profile.longitude_e6),
        status=status.value,
        status_label=status.label,
        revision=int(row["revision"]),
        verified_by=row["verified_by_name"],
        verified_at=_as_datetime(row["verified_at"]),
        verification_note=row["verification_note"] or "",
        updated_by=row["updated_by_name"],
        updated_at=_as_datetime(row["updated_at"]),
    )


async def _profile_row(koperasi_id: int) -> dict[str, Any] | None:
    row: dict[str, Any] | None = (
        await LegalityProfile.select(*_PROFILE_COLUMNS)
        .where(LegalityProfile.koperasi == koperasi_id)
        .first()
    )
    return row


async def profile(koperasi_id: int) -> ProfileOut | None:
    row = await _profile_row(koperasi_id)
    return _profile_out(row) if row else None


def profile_values(profile: Profile) -> dict[str, Any]:
    """The profile as the table's column values."""
    return {
        "badan_hukum_number": profile.badan_hukum_number,
        "badan_hukum_date": profile.badan_hukum_date,
        "akta_number": profile.akta_number,
        "akta_date": profile.akta_date,
        "akta_notary": profile.akta_notary,
        "nik": profile.nik,
        "nik_issued_on": profile.nik_issued_on,
        "nik_expires_on": profile.nik_expires_on,
        "nib": profile.nib,
        "kbli": ",".join(profile.kbli),
        "npwp": profile.npwp,
        "izin_usp_number": profile.izin_usp_number,
        "izin_usp_date": profile.izin_usp_date,
        "last_rat_date": profile.last_rat_date,
        "last_rat_report_date": profile.last_rat_report_date,
        "bentuk": profile.bentuk.value,
        "kelompok": profile.kelompok,
        "latitude_e6": profile.latitude_e6,
        "longitude_e6": profile.longitude_e6,
    }


async def _touch(
    koperasi_id: int, changed: bool, actor_id: int | None
) -> tuple[VerificationStatus | None, VerificationStatus]:
    """After a change to the record by its pengurus: the profile goes back to the Dinas
    (menunggu) and its revision moves on. Returns (before, after)."""
    row = (
        await LegalityProfile.select(LegalityProfile.status)
        .where(LegalityProfile.koperasi == koperasi_id)
        .first()
    )
    if row is None:  # nothing for the Dinas to verify until the profile is filled in
        return None, VerificationStatus.MENUNGGU
    before = VerificationStatus(row["status"])
    after = status_after_edit(before, changed)
    if changed:
        await LegalityProfile.update(
            {
                LegalityProfile.status: after.value,
                LegalityProfile.revision: LegalityProfile.revision + 1,
                LegalityProfile.updated_by: actor_id,
                LegalityProfile.updated_at: datetime.now(UTC),
            }
        ).where(LegalityProfile.koperasi == koperasi_id)
    return before, after


async def save_profile(
    koperasi_id: int,
    draft: ProfileDraft,
    today: date,
    *,
    actor_id: int | None = None,
    region_id: int | None = None,
    ip: str = "",
) -> ProfileOut:
    """Store the profile the pengurus typed. A change sends it back to the Dinas
    (menunggu); the audit log keeps every changed field before and after."""
    current = rules.rules_for(today)
    new = check_profile(draft, today, current.nik_digits, current.nik_valid_years)
    async with write_transaction():
        await _take_turn(koperasi_id)
        row = await _profile_row(koperasi_id)
        old = _profile_of(row) if row else Profile()
        changes = profile_changes(old, new)
        if row is None:
            await LegalityProfile.insert(
                LegalityProfile(
                    koperasi=koperasi_id, updated_by=actor_id, revision=1, **profile_values(new)
                )
            )
            before, after = None, VerificationStatus.MENUNGGU
        else:
            if changes:
                await LegalityProfile.update(
                    {getattr(LegalityProfile, name): v for name, v in profile_values(new).items()}
                ).where(LegalityProfile.koperasi == koperasi_id)
            before, after = await _touch(koperasi_id, bool(changes), actor_id)
        if changes or row is None:
            await audit.record(
                "legality_profile_changed",
                actor_id=actor_id,
                region_id=region_id,
                koperasi_id=koperasi_id,
                ip=ip,
                changes=changes,
                status_before=before.value if before else None,
                status_after=after.value,
            )
        saved = await _profile_row(koperasi_id)
    assert saved is not None
    return _profile_out(saved)


# Deed amendments and the board


@dataclass(frozen=True)
class AmendmentOut:
    number: str
    deed_date: date
    notary: str
    summary: str


@dataclass(frozen=True)
class BoardMemberOut:
    body: str
    body_label: str
    name: str
    title: str
    term_start: date | None
    term_end: date | None


async def _amendments(koperasi_id: int) -> list[Amendment]:
    rows = (
        await DeedAmendment.select(
            DeedAmendment.number,
            DeedAmendment.deed_date,
            DeedAmendment.notary,
            DeedAmendment.summary,
        )
        .where(DeedAmendment.koperasi == koperasi_id)
        .order_by(DeedAmendment.position)
    )
    return [
        Amendment(r["number"], _as_date(r["deed_date"]) or date.min, r["notary"], r["summary"])
        for r in rows
    ]


async def _board(koperasi_id: int) -> list[BoardMember]:
    rows = (
        await BoardMemberRow.select(
            BoardMemberRow.body,
            BoardMemberRow.name,
            BoardMemberRow.title,
            BoardMemberRow.term_start,
            BoardMemberRow.term_end,
        )
        .where(BoardMemberRow.koperasi == koperasi_id)
        .order_by(BoardMemberRow.position)
    )
    return [
        BoardMember(
            BoardBody(r["body"]),
            r["name"],
            r["title"],
            _as_date(r["term_start"]),
            _as_date(r["term_end"]),
        )
        for r in rows
    ]


def amendment_out(item: Amendment) -> AmendmentOut:
    return AmendmentOut(item.number, item.deed_date, item.notary, item.summary)


def board_out(member: BoardMember) -> BoardMemberOut:
    return BoardMemberOut(
        body=member.body.value,
        body_label=member.body.label,
        name=member.name,
        title=member.title,
        term_start=member.term_start,
        term_end=member.term_end,
    )


async def save_amendments(
    koperasi_id: int,
    items: Sequence[Amendment],
    today: date,
    *,
    actor_id: int | None = None,
    region_id: int | None = None,
    ip: str = "",
) -> list[AmendmentOut]:
    """Replace the list of deed amendments (sorted by date); audited before and after."""
    new = check_amendments(items, today)
    async with write_transaction():
        await _take_turn(koperasi_id)
        old = await _amendments(koperasi_id)
        changed = old != new
        if changed:
            await DeedAmendment.delete().where(DeedAmendment.koperasi == koperasi_id)
            if new:
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
                        for index, a in enumerate(new)
                    ]
                )
            before, after = await _touch(koperasi_id, True, actor_id)
            await audit.record(
                "legality_amendments_changed",
                actor_id=actor_id,
                region_id=region_id,
                koperasi_id=koperasi_id,
                ip=ip,
                before=amendments_plain(old),
                after=amendments_plain(new),
                count=len(new),
                status_before=before.value if before else None,
                status_after=after.value,
            )
    return [amendment_out(a) for a in new]


async def save_board(
    koperasi_id: int,
    members: Sequence[BoardMember],
    *,
    actor_id: int | None = None,
    region_id: int | None = None,
    ip: str = "",
) -> list[BoardMemberOut]:
    """Replace the board and supervisors (in the order given); audited before and after."""
    new = check_board(members)
    async with write_transaction():
        await _take_turn(koperasi_id)
        old = await _board(koperasi_id)
        if old != new:
            await BoardMemberRow.delete().where(BoardMemberRow.koperasi == koperasi_id)
            if new:
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
                        for index, m in enumerate(new)
                    ]
                )
            before, after = await _touch(koperasi_id, True, actor_id)
            await audit.record(
                "legality_board_changed",
                actor_id=actor_id,
                region_id=region_id,
                koperasi_id=koperasi_id,
                ip=ip,
                before=board_plain(old),
                after=board_plain(new),
                status_before=before.value if before else None,
                status_after=after.value,
            )
    return [board_out(m) for m in new]


# Documents


@dataclass(frozen=True)
class DocumentOut:
    id: int
    kind: str
    kind_label: str
    filename: str
    content_type: str
    size: int
    uploaded_at: datetime | None
    uploaded_by: str | None
    status: str
    status_label: str
    verified_by: str | None
    verified_at: datetime | None
    verification_note: str


_DOCUMENT_COLUMNS = (
    LegalityDocument.id,
    LegalityDocument.kind,
    LegalityDocument.filename,
    LegalityDocument.content_type,
    LegalityDocument.size,
    LegalityDocument.uploaded_at,
    LegalityDocument.status,
    LegalityDocument.verified_at,
    LegalityDocument.verification_note,
    LegalityDocument.koperasi.as_alias("koperasi_id"),
    LegalityDocument.uploaded_by.display_name.as_alias("uploaded_by_name"),
    LegalityDocument.verified_by.display_name.as_alias("verified_by_name"),
)


def _document_out(row: dict[str, Any]) -> DocumentOut:
    kind = DocumentKind(row["kind"])
    status = VerificationStatus(row["status"])
    return DocumentOut(
        id=int(row["id"]),
        kind=kind.value,
        kind_label=kind.label,
        filename=row["filename"],
        content_type=row["content_type"],
        size=int(row["size"]),
        uploaded_at=_as_datetime(row["uploaded_at"]),
        uploaded_by=row["uploaded_by_name"],
        status=status.value,
        status_label=status.label,
        verified_by=row["verified_by_name"],
        verified_at=_as_datetime(row["verified_at"]),
        verification_note=row["verification_note"] or "",
    )


async def documents(koperasi_id: int) -> list[DocumentOut]:
    """The koperasi's documents (without their bytes), by kind, newest first in a kind."""
    rows = (
        await LegalityDocument.select(*_DOCUMENT_COLUMNS)
        .where(LegalityDocument.koperasi == koperasi_id)
        .order_by(LegalityDocument.id, ascending=False)
    )
    order = {kind: index for index, kind in enumerate(DocumentKind)}
    found = [_document_out(r) for r in rows]
    return sorted(found, key=lambda d: order[DocumentKind(d.kind)])


async def _document_row(document_id: int) -> dict[str, Any]:
    row: dict[str, Any] | None = (
        await LegalityDocument.select(*_DOCUMENT_COLUMNS)
        .where(LegalityDocument.id == document_id)
        .first()
    )
    if row is None:
        raise NotFound("document_not_found", N_("Dokumen tidak ditemukan."))
    return row


async def upload_document(
    koperasi_id: int,
    kind: DocumentKind,
    filename: str,
    content: bytes,
    max_bytes: int,
    *,
    actor_id: int | None = None,
    region_id: int | None = None,
    ip: str = "",
) -> DocumentOut:
    """Store a document of the koperasi, waiting for the Dinas. Refused (nothing written)
    when it is empty, too big or not a PDF/PNG/JPEG/WebP by its own first bytes."""
    checked: CheckedUpload = check_upload(filename, content, max_bytes)
    async with write_transaction():
        await _take_turn(koperasi_id)
        count = await LegalityDocument.count().where(LegalityDocument.koperasi == koperasi_id)
        if count >= MAX_DOCUMENTS:
            raise Refused(
                "documents_limit",
                N_("Sudah ada {count} dokumen. Hapus dokumen yang tidak dipakai lagi."),
                status=409,
                count=count,
            )
        inserted = await LegalityDocument.insert(
            LegalityDocument(
                koperasi=koperasi_id,
                kind=kind.value,
                filename=checked.filename,
                content_type=checked.content_type,
                size=checked.size,
                sha256=checked.sha256,
                content=content,
                uploaded_by=actor_id,
                status=VerificationStatus.MENUNGGU.value,
            )
        ).returning(LegalityDocument.id)
        document_id = int(inserted[0]["id"])
        await audit.record(
            "legality_document_uploaded",
            actor_id=actor_id,
            region_id=region_id,
            koperasi_id=koperasi_id,
            ip=ip,
            name=checked.filename,
            kind=kind.value,
            size=checked.size,
            sha256=checked.sha256,
            document=document_id,
        )
    return _document_out(await _document_row(document_id))


async def delete_document(
    koperasi_id: int,
    document_id: int,
    *,
    actor_id: int | None = None,
    region_id: int | None = None,
    ip: str = "",
) -> None:
    """A pengurus removes a document the Dinas has not verified (a verified one stays: it
    is what the Dinas relied on)."""
    async with write_transaction():
        await _take_turn(koperasi_id)
        row = await _document_row(document_id)
        if int(row["koperasi_id"]) != koperasi_id:
            raise NotFound("document_not_found", N_("Dokumen tidak ditemukan."))
        if row["status"] == VerificationStatus.TERVERIFIKASI.value:
            raise Conflict(
                "document_verified",
                N_("Dokumen yang sudah diverifikasi Dinas tidak dapat dihapus."),
            )
        await LegalityDocument.delete().where(
            (LegalityDocument.id == document_id) & (LegalityDocument.koperasi == koperasi_id)
        )
        await audit.record(
            "legality_document_deleted",
            actor_id=actor_id,
            region_id=region_id,
            koperasi_id=koperasi_id,
            ip=ip,
            name=row["filename"],
            kind=row["kind"],
            status=row["status"],
            document=document_id,
        )


@dataclass(frozen=True)
class StoredFile:
    filename: str
    content_type: str
    content: bytes


async def document_file(actor: Actor, document_id: int) -> StoredFile:
    """A document's bytes, for whoever may read its koperasi's record (anyone else gets
    "not found", the same as for a document that does not exist)."""
    row = (
        await LegalityDocument.select(
            LegalityDocument.koperasi.as_alias("koperasi_id"),
            LegalityDocument.koperasi.region.as_alias("region_id"),
            LegalityDocument.filename,
            LegalityDocument.content_type,
            LegalityDocument.content,
        )
        .where(LegalityDocument.id == document_id)
        .first()
    )
    if row is None or not _may_read(actor, int(row["koperasi_id"]), int(row["region_id"])):
        raise NotFound("document_not_found", N_("Dokumen tidak ditemukan."))
    return StoredFile(row["filename"], row["content_type"], bytes(row["content"]))


def _may_read(actor: Actor, koperasi_id: int, region_id: int) -> bool:
    if actor.role is Role.PENGURUS:
        return actor.koperasi_id == koperasi_id
    if actor.role is Role.DINAS:
        return actor.region_id == region_id
    return False


# The Dinas's verdicts


async def verify_profile(
    actor: Actor,
    koperasi: KoperasiRef,
    status: VerificationStatus,
    note: str,
    revision: int,
    *,
    ip: str = "",
) -> ProfileOut:
    """An officer of the koperasi's region verifies or rejects the profile (with the
    board and amendments) at the revision they read; a later change refuses the verdict
    (`record_changed`) so nothing unseen is approved."""
    _officer_of(actor, koperasi)
    note = check_verdict(status, note)
    async with write_transaction():
        await _take_turn(koperasi.id)
        row = await _profile_row(koperasi.id)
        if row is None:
            raise Conflict(
                "profile_empty", N_("Pengurus belum mengisi profil legalitas koperasi ini.")
            )
        if int(row["revision"]) != revision:
            raise Conflict(
                "record_changed",
                N_(
                    "Pengurus mengubah data sejak halaman ini dibuka. Muat ulang, lalu "
                    "periksa lagi."
                ),
            )
        await LegalityProfile.update(
            {
                LegalityProfile.status: status.value,
                LegalityProfile.verified_by: actor.user_id,
                LegalityProfile.verified_at: datetime.now(UTC),
                LegalityProfile.verification_note: note,
            }
        ).where(LegalityProfile.koperasi == koperasi.id)
        await audit.record(
            "legality_profile_verified",
            actor_id=actor.user_id,
            region_id=actor.region_id,
            koperasi_id=koperasi.id,
            ip=ip,
            status=status.value,
            status_before=row["status"],
            note=note,
            revision=revision,
        )
        saved = await _profile_row(koperasi.id)
    assert saved is not None
    return _profile_out(saved)


async def verify_document(
    actor: Actor,
    document_id: int,
    status: VerificationStatus,
    note: str,
    *,
    ip: str = "",
) -> DocumentOut:
    """An officer of the document's koperasi's region verifies or rejects it."""
    row = await _document_row(document_id)
    koperasi = await koperasi_by_id(int(row["koperasi_id"]))
    if actor.role is not Role.DINAS or koperasi.region_id != actor.region_id:
        # Another region's document is not theirs to know about.
        raise NotFound("document_not_found", N_("Dokumen tidak ditemukan."))
    note = check_verdict(status, note)
    async with write_transaction():
        await _take_turn(koperasi.id)
        await LegalityDocument.update(
            {
                LegalityDocument.status: status.value,
                LegalityDocument.verified_by: actor.user_id,
                LegalityDocument.verified_at: datetime.now(UTC),
                LegalityDocument.verification_note: note,
            }
        ).where((LegalityDocument.id == document_id) & (LegalityDocument.koperasi == koperasi.id))
        await audit.record(
            "legality_document_verified",
            actor_id=actor.user_id,
            region_id=actor.region_id,
            koperasi_id=koperasi.id,
            ip=ip,
            name=row["filename"],
            kind=row["kind"],
            status=status.value,
            status_before=row["status"],
            note=note,
            document=document_id,
        )
    return _document_out(await _document_row(document_id))


# Compliance


def _input(
    kind: str,
    profile_row: dict[str, Any] | None,
    document_rows: Sequence[dict[str, Any]],
    board: Sequence[BoardMember],
) -> ComplianceInput:
    states: dict[DocumentKind, list[VerificationStatus]] = defaultdict(list)
    notes: dict[DocumentKind, str] = {}
    for row in sorted(document_rows, key=lambda r: int(r["id"])):
        kind_of = DocumentKind(row["kind"])
        state = VerificationStatus(row["status"])
        states[kind_of].append(state)
        if state is VerificationStatus.DITOLAK:
            notes[kind_of] = row["verification_note"] or ""
    return ComplianceInput(
        koperasi_kind=kind,
        profile=_profile_of(profile_row) if profile_row else None,
        profile_status=VerificationStatus(profile_row["status"]) if profile_row else None,
        profile_note=(profile_row or {}).get("verification_note") or "",
        documents={k: best_status(v) for k, v in states.items()},
        rejection_notes=notes,
        board=board,
    )


_DOCUMENT_STATE_COLUMNS = (
    LegalityDocument.id,
    LegalityDocument.kind,
    LegalityDocument.status,
    LegalityDocument.verification_note,
    LegalityDocument.koperasi.as_alias("koperasi_id"),
)


async def compliance_items(koperasi_id: int, today: date) -> list[ComplianceItem]:
    """The koperasi's compliance items on `today`, most urgent first. (The outreach issue
    hooks notifications on this and `region_compliance` / `due_soon`.)"""
    koperasi = await koperasi_by_id(koperasi_id)
    profile_row = await _profile_row(koperasi_id)
    document_rows = await LegalityDocument.select(*_DOCUMENT_STATE_COLUMNS).where(
        LegalityDocument.koperasi == koperasi_id
    )
    board = await _board(koperasi_id)
    return rules.compliance(
        _input(koperasi.kind, profile_row, document_rows, board), today, rules.rules_for(today)
    )


@dataclass(frozen=True)
class RegionItem:
    koperasi: KoperasiRef
    item: ComplianceItem


def region_sort_key(entry: RegionItem) -> tuple[int, int, str, str]:
    days, kind, key = sort_key(entry.item)
    return (days, kind, entry.koperasi.name, key)


async def _region_inputs(region_id: int) -> list[tuple[KoperasiRef, ComplianceInput]]:
    """Every koperasi of the region with its compliance input, in five queries whatever
    the number of koperasi."""
    koperasi = [
        _ref(row)
        for row in await Koperasi.select(*_REF_COLUMNS)
        .where(Koperasi.region == region_id)
        .order_by(Koperasi.name)
    ]
    ids = [k.id for k in koperasi]
    if not ids:
        return []
    profiles = {
        int(row["koperasi_id"]): row
        for row in await LegalityProfile.select(*_PROFILE_COLUMNS).where(
            LegalityProfile.koperasi.is_in(ids)
        )
    }
    documents_of: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for row in await LegalityDocument.select(*_DOCUMENT_STATE_COLUMNS).where(
        LegalityDocument.koperasi.is_in(ids)
    ):
        documents_of[int(row["koperasi_id"])].append(row)
    board_of: dict[int, list[BoardMember]] = defaultdict(list)
    for row in (
        await BoardMemberRow.select(
            BoardMemberRow.koperasi.as_alias("koperasi_id"),
            BoardMemberRow.body,
            BoardMemberRow.name,
            BoardMemberRow.title,
            BoardMemberRow.term_start,
            BoardMemberRow.term_end,
        )
        .where(BoardMemberRow.koperasi.is_in(ids))
        .order_by(BoardMemberRow.position)
    ):
        board_of[int(row["koperasi_id"])].append(
            BoardMember(
                BoardBody(row["body"]),
                row["name"],
                row["title"],
                _as_date(row["term_start"]),
                _as_date(row["term_end"]),
            )
        )
    return [
        (k, _input(k.kind, profiles.get(k.id), documents_of[k.id], board_of[k.id]))
        for k in koperasi
    ]


async def region_compliance(region_id: int, today: date) -> list[RegionItem]:
    """Every compliance item of every koperasi in the region, most urgent first."""
    current = rules.rules_for(today)
    found = [
        RegionItem(koperasi, item)
        for koperasi, inp in await _region_inputs(region_id)
        for item in rules.compliance(inp, today, current)
    ]
    return sorted(found, key=region_sort_key)


async def due_soon(
    region_id: int, today: date, within_days: int, *, include_overdue: bool = True
) -> list[RegionItem]:
    """Items of the region with a deadline within `within_days` days (0 = today), and
    (by default) those already past it: what a notification should remind people of.
    `item.key` with `item.due_date` identifies a reminder, so it is sent once."""
    return [
        entry
        for entry in await region_compliance(region_id, today)
        if entry.item.days_left is not None
        and entry.item.days_left <= within_days
        and (include_overdue or entry.item.days_left >= 0)
    ]


# KUK


async def active_members(koperasi_id: int, as_of: date) -> int:
    """Members with status "aktif" who had joined by `as_of` (the status is today's)."""
    return int(
        await Member.count().where(
            (Member.koperasi == koperasi_id)
            & (Member.status == "aktif")
            & (Member.joined_on <= as_of)
        )
    )


async def kuk(koperasi_id: int, as_of: date, kind: str | None = None) -> KukResult:
    """The KUK class on `as_of` from the data: active members, own capital (the Neraca's
    equity: equity accounts plus SHU not yet distributed) and total assets (the Neraca)."""
    if kind is None:
        kind = (await koperasi_by_id(koperasi_id)).kind
    position = await neraca(koperasi_id, as_of)
    inputs = KukInputs(
        members=await active_members(koperasi_id, as_of),
        own_capital=int(position.ekuitas.totals[0]),
        assets=int(position.aset.totals[0]),
    )
    return classify(inputs, sector_of(kind), version_for(as_of))


# The whole record, and the region at a glance (for the Dinas dashboard)


@dataclass(frozen=True)
class KoperasiRecord:
    koperasi: KoperasiRef
    profile: ProfileOut | None
    amendments: list[AmendmentOut]
    board: list[BoardMemberOut]
    documents: list[DocumentOut]
    compliance: list[ComplianceItem]
    kuk: KukResult
    today: date
    rules_version: str


async def record(koperasi: KoperasiRef, today: date) -> KoperasiRecord:
    """Everything the record page shows: the same for the pengurus and the Dinas."""
    return KoperasiRecord(
        koperasi=koperasi,
        profile=await profile(koperasi.id),
        amendments=[amendment_out(a) for a in await _amendments(koperasi.id)],
        board=[board_out(m) for m in await _board(koperasi.id)],
        documents=await documents(koperasi.id),
        compliance=await compliance_items(koperasi.id, today),
        kuk=await kuk(koperasi.id, today, koperasi.kind),
        today=today,
        rules_version=rules.rules_for(today).version,
    )


@dataclass(frozen=True)
class KoperasiOverview:
    koperasi: KoperasiRef
    profile_status: str | None  # None: never filled in
    terlambat: int
    segera: int
    aman: int
    most_urgent: ComplianceItem | None
    documents_waiting: int
    kuk_class: int


async def region_overview(region_id: int, today: date) -> list[KoperasiOverview]:
    """One line per koperasi of the region: verification state, how many items are late,
    due soon or fine, the most urgent one, documents waiting for the Dinas, the KUK class."""
    current = rules.rules_for(today)
    result = []
    for koperasi, inp in await _region_inputs(region_id):
        items = rules.compliance(inp, today, current)
        counts = {s: sum(1 for i in items if i.status is s) for s in ComplianceStatus}
        waiting = await LegalityDocument.count().where(
            (LegalityDocument.koperasi == koperasi.id)
            & (LegalityDocument.status == VerificationStatus.MENUNGGU.value)
        )
        result.append(
            KoperasiOverview(
                koperasi=koperasi,
                profile_status=inp.profile_status.value if inp.profile_status else None,
                terlambat=counts[ComplianceStatus.TERLAMBAT],
                segera=counts[ComplianceStatus.SEGERA],
                aman=counts[ComplianceStatus.AMAN],
                most_urgent=items[0] if items else None,
                documents_waiting=int(waiting),
                kuk_class=(await kuk(koperasi.id, today, koperasi.kind)).kuk_class,
            )
        )
    return result
