"""Pure outreach rules (decision 0017): education topics and article checks, who sees a
news post, a training's audience, statuses and the waiting list. No ORM, no HTTP."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from enum import StrEnum

from backend.accounts.domain import Role
from backend.errors import AppError, Conflict, ValidationFailed
from backend.outreach.markup import safe_https_url
from backend.texts import N_

# The region's wall clock. Kota Mojokerto, the only region so far, is on WIB (UTC+7); a
# region's own zone belongs in its data once there are others (frontend.personal.REGION_TZ).
REGION_TZ = timezone(timedelta(hours=7), "WIB")


def local_date(moment: datetime) -> date:
    return moment.astimezone(REGION_TZ).date()


# Education


class EduTopic(StrEnum):
    DASAR = "dasar"
    TATA_KELOLA = "tata-kelola"
    KEUANGAN = "keuangan"
    SIMPAN_PINJAM = "simpan-pinjam"
    USAHA = "usaha"
    DIGITAL = "digital"
    REGULASI = "regulasi"

    @property
    def label(self) -> str:
        return EDU_TOPIC_LABELS[self]


EDU_TOPIC_LABELS: dict[EduTopic, str] = {
    EduTopic.DASAR: N_("Dasar perkoperasian"),
    EduTopic.TATA_KELOLA: N_("Tata kelola dan RAT"),
    EduTopic.KEUANGAN: N_("Pembukuan dan keuangan"),
    EduTopic.SIMPAN_PINJAM: N_("Simpan pinjam"),
    EduTopic.USAHA: N_("Usaha dan pemasaran"),
    EduTopic.DIGITAL: N_("Digitalisasi koperasi"),
    EduTopic.REGULASI: N_("Peraturan"),
}


class ArticleStatus(StrEnum):
    DRAF = "draf"
    TERBIT = "terbit"

    @property
    def label(self) -> str:
        return {"draf": N_("Draf"), "terbit": N_("Terbit")}[self.value]


TITLE_MIN = 3
TITLE_MAX = 200
SUMMARY_MAX = 500
ARTICLE_BODY_MAX = 50_000
LINKS_MAX = 20
LINK_TITLE_MAX = 200
ATTACHMENTS_MAX = 10
# PDFs of education material are stored in the database: at most 10 MB each.
ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024
SLUG_MAX = 80


@dataclass(frozen=True)
class ExternalLink:
    title: str
    url: str


@dataclass(frozen=True)
class ArticleDraft:
    title: str
    topic: EduTopic
    summary: str = ""
    body: str = ""
    links: tuple[ExternalLink, ...] = ()


def _title(value: str, code: str = "title_invalid") -> str:
    value = " ".join(value.split())
    if not TITLE_MIN <= len(value) <= TITLE_MAX:
        raise ValidationFailed(code, N_("Judul wajib diisi, 3 sampai 200 huruf."), "title")
    return value


def check_link(link: ExternalLink, index: int) -> ExternalLink:
    url = safe_https_url(link.url)
    if url is None:
        raise ValidationFailed(
            "link_invalid",
            N_("Tautan harus alamat lengkap yang diawali https://."),
            f"links.{index}.url",
        )
    title = " ".join(link.title.split())
    if len(title) > LINK_TITLE_MAX:
        raise ValidationFailed(
            "link_title_invalid",
            N_("Nama tautan paling banyak 200 huruf."),
            f"links.{index}.title",
        )
    return ExternalLink(title=title or url, url=url)


def check_article(draft: ArticleDraft) -> ArticleDraft:
    """The article tidied (spaces in the title, links checked), or refused."""
    summary = " ".join(draft.summary.split())
    if len(summary) > SUMMARY_MAX:
        raise ValidationFailed(
            "summary_invalid", N_("Ringkasan paling banyak 500 huruf."), "summary"
        )
    body = draft.body.strip()
    if len(body) > ARTICLE_BODY_MAX:
        raise ValidationFailed("body_invalid", N_("Isi paling banyak 50.000 huruf."), "body")
    if len(draft.links) > LINKS_MAX:
        raise ValidationFailed("links_invalid", N_("Paling banyak 20 tautan."), "links")
    return ArticleDraft(
        title=_title(draft.title),
        topic=EduTopic(draft.topic),
        summary=summary,
        body=body,
        links=tuple(check_link(link, i) for i, link in enumerate(draft.links)),
    )


def may_publish_article(draft: ArticleDraft, attachments: int) -> None:
    """A published article has something to read: a body, a PDF or a link."""
    if not draft.body and not attachments and not draft.links:
        raise ValidationFailed(
            "article_empty",
            N_("Artikel belum berisi apa pun: tulis isinya, lampirkan PDF atau beri tautan."),
            "body",
        )


def slugify(title: str) -> str:
    """`Pembukuan SAK EP untuk Koperasi!` -> `pembukuan-sak-ep-untuk-koperasi`."""
    ascii_text = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    slug = slug[:SLUG_MAX].rstrip("-")
    return slug or "artikel"


def unique_slug(base: str, taken: Iterable[str]) -> str:
    """`base`, or `base-2`, `base-3`… the first one not `taken`."""
    used = set(taken)
    if base not in used:
        return base
    number = 2
    while True:
        suffix = f"-{number}"
        candidate = base[: SLUG_MAX - len(suffix)].rstrip("-") + suffix
        if candidate not in used:
            return candidate
        number += 1


# News


class NewsScope(StrEnum):
    WILAYAH = "wilayah"  # by the Dinas, to everyone of its region (and the public if marked)
    KOPERASI = "koperasi"  # by pengurus, to their koperasi's people only

    @property
    def label(self) -> str:
        return {"wilayah": N_("Dinas Koperasi"), "koperasi": N_("Koperasi")}[self.value]


NEWS_BODY_MAX = 20_000


@dataclass(frozen=True)
class NewsDraft:
    title: str
    body: str
    public: bool = False


def check_news(draft: NewsDraft, scope: NewsScope) -> NewsDraft:
    body = draft.body.strip()
    if not body:
        raise ValidationFailed("body_invalid", N_("Isi berita wajib diisi."), "body")
    if len(body) > NEWS_BODY_MAX:
        raise ValidationFailed("body_invalid", N_("Isi berita paling banyak 20.000 huruf."), "body")
    if draft.public and scope is not NewsScope.WILAYAH:
        raise ValidationFailed(
            "news_public_invalid",
            N_("Hanya berita Dinas yang dapat ditampilkan di halaman publik."),
            "public",
        )
    return NewsDraft(title=_title(draft.title), body=body, public=draft.public)


@dataclass(frozen=True)
class Viewer:
    """Who reads: the role they act in, their region and koperasi (None for Dinas)."""

    role: Role
    region_id: int
    koperasi_id: int | None


@dataclass(frozen=True)
class NewsView:
    scope: NewsScope
    region_id: int
    koperasi_id: int | None
    published: bool
    public: bool = False


def news_visible(post: NewsView, viewer: Viewer | None) -> bool:
    """Who reads a post in their feed: a region's post everyone signed in in that region
    (and the public, on the public page, if it is marked public); a koperasi's post only
    the pengurus, kasir and anggota of that koperasi (not even the Dinas). Drafts nobody
    here (their authors see them where they write)."""
    if not post.published:
        return False
    if viewer is None:
        return post.scope is NewsScope.WILAYAH and post.public
    if post.scope is NewsScope.WILAYAH:
        return post.region_id == viewer.region_id
    return (
        viewer.role is not Role.DINAS
        and viewer.koperasi_id is not None
        and viewer.koperasi_id == post.koperasi_id
    )


def news_author_scope(role: Role) -> NewsScope:
    """The scope a role writes in: pengurus to their koperasi, the Dinas to the region."""
    if role is Role.PENGURUS:
        return NewsScope.KOPERASI
    if role is Role.DINAS:
        return NewsScope.WILAYAH
    raise AppError(
        code="news_forbidden",
        message=N_("Hanya pengurus dan petugas Dinas yang dapat menulis berita."),
        status=403,
    )


# Training events (diklat)


class TrainingStatus(StrEnum):
    DRAF = "draf"
    DIBUKA = "dibuka"  # announced, registration open
    DITUTUP = "ditutup"  # announced, registration closed
    SELESAI = "selesai"
    BATAL = "batal"

    @property
    def label(self) -> str:
        return TRAINING_STATUS_LABELS[self]


TRAINING_STATUS_LABELS: dict[TrainingStatus, str] = {
    TrainingStatus.DRAF: N_("Draf"),
    TrainingStatus.DIBUKA: N_("Pendaftaran dibuka"),
    TrainingStatus.DITUTUP: N_("Pendaftaran ditutup"),
    TrainingStatus.SELESAI: N_("Selesai"),
    TrainingStatus.BATAL: N_("Dibatalkan"),
}

# Which status may follow which. A draft is announced by opening it; finished and cancelled
# trainings stay as they are.
TRANSITIONS: dict[TrainingStatus, frozenset[TrainingStatus]] = {
    TrainingStatus.DRAF: frozenset({TrainingStatus.DIBUKA, TrainingStatus.BATAL}),
    TrainingStatus.DIBUKA: frozenset(
        {TrainingStatus.DITUTUP, TrainingStatus.SELESAI, TrainingStatus.BATAL}
    ),
    TrainingStatus.DITUTUP: frozenset(
        {TrainingStatus.DIBUKA, TrainingStatus.SELESAI, TrainingStatus.BATAL}
    ),
    TrainingStatus.SELESAI: frozenset(),
    TrainingStatus.BATAL: frozenset(),
}
ANNOUNCED = frozenset({TrainingStatus.DIBUKA, TrainingStatus.DITUTUP})


class RegistrationStatus(StrEnum):
    TERDAFTAR = "terdaftar"  # has a seat
    MENUNGGU = "menunggu"  # on the waiting list
    BATAL = "batal"  # cancelled (by the person or the Dinas)

    @property
    def label(self) -> str:
        return {
            "terdaftar": N_("Terdaftar"),
            "menunggu": N_("Daftar tunggu"),
            "batal": N_("Dibatalkan"),
        }[self.value]


class Attendance(StrEnum):
    HADIR = "hadir"
    TIDAK_HADIR = "tidak_hadir"

    @property
    def label(self) -> str:
        return {"hadir": N_("Hadir"), "tidak_hadir": N_("Tidak hadir")}[self.value]


AUDIENCE_ROLES: tuple[Role, ...] = (Role.ANGGOTA, Role.PENGURUS, Role.KASIR, Role.DINAS)
TRAINING_DESCRIPTION_MAX = 4000
PLACE_MAX = 300
QUOTA_MAX = 10_000
TRAINING_DAYS_MAX = 31
REMINDER_BEFORE = timedelta(hours=24)


@dataclass(frozen=True)
class TrainingAudience:
    """Who may register: holders of `roles` in the training's region; of the koperasi roles
    only those in `koperasi_ids` when it is not empty (Dinas officers are not in a
    koperasi, so the list does not narrow them). `public`: the announcement is also on the
    public page (registration still needs signing in)."""

    roles: frozenset[Role]
    koperasi_ids: frozenset[int] = frozenset()
    public: bool = False

    def matches(self, viewer: Viewer, region_id: int) -> bool:
        if viewer.region_id != region_id or viewer.role not in self.roles:
            return False
        if viewer.role is Role.DINAS or not self.koperasi_ids:
            return True
        return viewer.koperasi_id in self.koperasi_ids

    def describe_roles(self) -> list[Role]:
        return [r for r in AUDIENCE_ROLES if r in self.roles]


def roles_text(roles: Iterable[Role]) -> str:
    """Stored form of an audience's roles: `anggota,pengurus`."""
    return ",".join(r.value for r in AUDIENCE_ROLES if r in set(roles))


def roles_of(text: str) -> frozenset[Role]:
    return frozenset(Role(part) for part in text.split(",") if part in {r.value for r in Role})


@dataclass(frozen=True)
class TrainingDraft:
    title: str
    description: str
    starts_at: datetime
    ends_at: datetime
    registration_deadline: datetime
    quota: int
    place: str = ""
    online_url: str = ""
    audience: TrainingAudience = field(
        default_factory=lambda: TrainingAudience(frozenset(AUDIENCE_ROLES))
    )


def _aware(value: datetime, field_name: str) -> datetime:
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValidationFailed(
            "time_zone_missing", N_("Waktu harus menyertakan zona waktu."), field_name
        )
    return value


def check_training(draft: TrainingDraft, koperasi_in_region: Iterable[int]) -> TrainingDraft:
    """The training tidied, or refused: times in order (registration closes at the latest
    when the training ends), a place or an HTTPS meeting link, a quota of at least one and
    an audience of the training's own region."""
    starts = _aware(draft.starts_at, "starts_at")
    ends = _aware(draft.ends_at, "ends_at")
    deadline = _aware(draft.registration_deadline, "registration_deadline")
    if ends <= starts:
        raise ValidationFailed(
            "ends_before_start", N_("Waktu selesai harus sesudah waktu mulai."), "ends_at"
        )
    if ends - starts > timedelta(days=TRAINING_DAYS_MAX):
        raise ValidationFailed(
            "training_too_long", N_("Satu pelatihan paling lama 31 hari."), "ends_at"
        )
    if deadline > ends:
        raise ValidationFailed(
            "deadline_after_end",
            N_("Batas pendaftaran paling lambat saat pelatihan selesai."),
            "registration_deadline",
        )
    description = draft.description.strip()
    if len(description) > TRAINING_DESCRIPTION_MAX:
        raise ValidationFailed(
            "description_invalid", N_("Keterangan paling banyak 4.000 huruf."), "description"
        )
    place = " ".join(draft.place.split())
    if len(place) > PLACE_MAX:
        raise ValidationFailed("place_invalid", N_("Tempat paling banyak 300 huruf."), "place")
    online_url = ""
    if draft.online_url.strip():
        found = safe_https_url(draft.online_url)
        if found is None:
            raise ValidationFailed(
                "online_url_invalid",
                N_("Tautan pertemuan daring harus alamat lengkap yang diawali https://."),
                "online_url",
            )
        online_url = found
    if not place and not online_url:
        raise ValidationFailed(
            "place_missing", N_("Isi tempat pelatihan atau tautan pertemuan daring."), "place"
        )
    if isinstance(draft.quota, bool) or not 1 <= draft.quota <= QUOTA_MAX:
        raise ValidationFailed("quota_invalid", N_("Kuota peserta 1 sampai 10.000 orang."), "quota")
    roles = frozenset(draft.audience.roles)
    if not roles:
        raise ValidationFailed(
            "audience_roles_missing", N_("Pilih paling sedikit satu peran peserta."), "roles"
        )
    if not set(draft.audience.koperasi_ids) <= set(koperasi_in_region):
        raise ValidationFailed(
            "audience_koperasi_invalid",
            N_("Koperasi peserta harus koperasi di wilayah Anda."),
            "koperasi",
        )
    if draft.audience.koperasi_ids and not roles - {Role.DINAS}:
        raise ValidationFailed(
            "audience_koperasi_invalid",
            N_("Pilihan koperasi hanya berlaku untuk pengurus, kasir atau anggota."),
            "koperasi",
        )
    return TrainingDraft(
        title=_title(draft.title),
        description=description,
        starts_at=starts,
        ends_at=ends,
        registration_deadline=deadline,
        quota=draft.quota,
        place=place,
        online_url=online_url,
        audience=TrainingAudience(
            roles, frozenset(draft.audience.koperasi_ids), draft.audience.public
        ),
    )


def check_transition(
    current: TrainingStatus, wanted: TrainingStatus, now: datetime, starts_at: datetime
) -> None:
    if wanted not in TRANSITIONS[current]:
        raise Conflict(
            "training_status_invalid",
            N_("Status pelatihan ini tidak dapat diubah ke status yang dipilih."),
        )
    if wanted is TrainingStatus.SELESAI and now < starts_at:
        raise Conflict(
            "training_not_started", N_("Pelatihan yang belum dimulai tidak dapat diselesaikan.")
        )


@dataclass(frozen=True)
class TrainingState:
    status: TrainingStatus
    starts_at: datetime
    ends_at: datetime
    registration_deadline: datetime


def check_registration_open(event: TrainingState, now: datetime) -> None:
    if event.status is not TrainingStatus.DIBUKA:
        raise Conflict("registration_closed", N_("Pendaftaran pelatihan ini tidak dibuka."))
    if now > event.registration_deadline or now >= event.ends_at:
        raise Conflict("registration_closed", N_("Batas waktu pendaftaran sudah lewat."))


def check_cancellable(event: TrainingState, now: datetime) -> None:
    """A person leaves a training until it starts (afterwards their seat is history)."""
    if event.status not in ANNOUNCED or now >= event.starts_at:
        raise Conflict(
            "cancel_too_late",
            N_("Pendaftaran tidak dapat dibatalkan lagi: pelatihan sudah dimulai atau ditutup."),
        )


def check_attendance_open(event: TrainingState, now: datetime) -> None:
    """Attendance is marked once the training has started, until it is cancelled."""
    if event.status not in (*ANNOUNCED, TrainingStatus.SELESAI):
        raise Conflict(
            "attendance_closed", N_("Kehadiran hanya dicatat untuk pelatihan yang berjalan.")
        )
    if now < event.starts_at:
        raise Conflict("attendance_too_early", N_("Kehadiran dicatat setelah pelatihan dimulai."))


def place_for(quota: int, seated: int) -> RegistrationStatus:
    """A new registration gets a seat while seats are left, else the waiting list."""
    return RegistrationStatus.TERDAFTAR if seated < quota else RegistrationStatus.MENUNGGU


def promotions(quota: int, seated: int, waiting: Sequence[int]) -> list[int]:
    """Who moves from the waiting list to a seat, in the order they registered: as many as
    there are free seats (none when the training is full or over-full after the quota was
    lowered; nobody loses a seat they have)."""
    free = max(0, quota - seated)
    return list(waiting[:free])


def reminder_due(starts_at: datetime, now: datetime, status: TrainingStatus, sent: bool) -> bool:
    """The day-before reminder: once, in the 24 hours before the start, for an announced
    training."""
    return not sent and status in ANNOUNCED and starts_at - REMINDER_BEFORE <= now < starts_at


def certificate_number(event_id: int, year: int, sequence: int) -> str:
    """`DIKLAT/2026/0012/005`: the training, its year and the attendee's place in the list."""
    return f"DIKLAT/{year}/{event_id:04d}/{sequence:03d}"
