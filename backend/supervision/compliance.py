"""The compliance calendar of one koperasi, pure (DOMAIN.md "Legality and compliance").

From the legality record and today's date: the next RAT and its deadline (3 months after
the financial year end, 6 for secondary koperasi), the RAT report (1 month after the
meeting), the NIK certificate's expiry, the sanctions warning after two years without a
RAT, the board's terms, missing fields and documents per kind of koperasi, and what the
Dinas rejected. Every number that DOMAIN.md marks "(verify)" is data
(`data/compliance_rules.json`), never a literal here.

Each item has a due date (None for something missing now), the days left (negative =
overdue), a status — aman, segera (≤ 30 days), terlambat — and what to do. Dates are
calendar arithmetic: a month later is the same day, or the month's last day when the
month is shorter (31 January + 1 month = 28/29 February; 31 December + 3 months =
31 March); a year later keeps the day except 29 February, which becomes 28 February."""

from __future__ import annotations

import calendar
import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from functools import cache
from pathlib import Path
from typing import Any

from backend.formatting import long_date
from backend.supervision.domain import (
    FIELD_LABELS,
    Bentuk,
    BoardBody,
    BoardMember,
    DocumentKind,
    Profile,
    VerificationStatus,
    add_years,
)
from backend.texts import N_

DATA_FILE = Path(__file__).parent / "data" / "compliance_rules.json"


class ComplianceStatus(StrEnum):
    AMAN = "aman"
    SEGERA = "segera"
    TERLAMBAT = "terlambat"

    @property
    def label(self) -> str:
        return {
            "aman": N_("Aman"),
            "segera": N_("Segera"),
            "terlambat": N_("Terlambat"),
        }[self.value]


class ItemKind(StrEnum):
    PROFILE = "profile"  # the profile was never filled in
    REVIEW = "review"  # the Dinas rejected the profile
    RAT = "rat"
    RAT_REPORT = "rat_report"
    SANCTION = "sanction"
    NIK = "nik"
    FIELDS = "fields"  # required fields still empty
    DOCUMENT = "document"
    BOARD = "board"


KIND_ORDER = {kind: index for index, kind in enumerate(ItemKind)}


@dataclass(frozen=True)
class ComplianceRules:
    version: str
    valid_from: date
    source: str
    confidence: str
    year_end: tuple[int, int]  # (month, day) of the financial year's last day
    rat_months: Mapping[Bentuk, int]
    rat_report_months: int
    sanction_years: int
    nik_valid_years: int
    nik_digits: int
    soon_days: int
    required_documents: Mapping[str, tuple[DocumentKind, ...]]  # koperasi kind or "default"
    required_fields: Mapping[str, tuple[str, ...]]

    def documents_for(self, koperasi_kind: str) -> tuple[DocumentKind, ...]:
        return self.required_documents.get(koperasi_kind, self.required_documents["default"])

    def fields_for(self, koperasi_kind: str) -> tuple[str, ...]:
        return self.required_fields.get(koperasi_kind, self.required_fields["default"])


def _positive(raw: Any, name: str) -> int:
    if isinstance(raw, bool) or not isinstance(raw, int) or raw <= 0:
        raise ValueError(f"compliance rules: {name} must be a whole number above zero")
    return raw


def parse_rules(data: Mapping[str, Any]) -> list[ComplianceRules]:
    result = []
    for raw in data["versions"]:
        month, day = (int(part) for part in str(raw["financial_year_end"]).split("-"))
        date(2001, month, day)  # a real day of a common year (never 29 February)
        documents = {
            kind: tuple(DocumentKind(k) for k in kinds)
            for kind, kinds in raw["required_documents"].items()
        }
        fields_required = {
            kind: tuple(str(name) for name in names)
            for kind, names in raw["required_fields"].items()
        }
        for names in fields_required.values():
            unknown = set(names) - set(FIELD_LABELS)
            if unknown:
                raise ValueError(f"compliance rules: unknown fields {sorted(unknown)}")
        if "default" not in documents or "default" not in fields_required:
            raise ValueError("compliance rules: a 'default' list is required")
        result.append(
            ComplianceRules(
                version=str(raw["version"]),
                valid_from=date.fromisoformat(raw["valid_from"]),
                source=str(raw["source"]),
                confidence=str(raw["confidence"]),
                year_end=(month, day),
                rat_months={
                    Bentuk(name): _positive(months, f"rat_months.{name}")
                    for name, months in raw["rat_months_after_year_end"].items()
                },
                rat_report_months=_positive(raw["rat_report_months_after_rat"], "report"),
                sanction_years=_positive(raw["sanction_years_without_rat"], "sanction"),
                nik_valid_years=_positive(raw["nik_valid_years"], "nik_valid_years"),
                nik_digits=_positive(raw["nik_digits"], "nik_digits"),
                soon_days=_positive(raw["soon_days"], "soon_days"),
                required_documents=documents,
                required_fields=fields_required,
            )
        )
    if not result:
        raise ValueError("compliance rules: no version")
    return sorted(result, key=lambda r: r.valid_from)


@cache
def _versions() -> tuple[ComplianceRules, ...]:
    return tuple(parse_rules(json.loads(DATA_FILE.read_text(encoding="utf-8"))))


def rules_for(today: date) -> ComplianceRules:
    """The rules in force on `today` (the earliest version before any starts)."""
    versions = _versions()
    chosen = versions[0]
    for version in versions:
        if version.valid_from <= today:
            chosen = version
    return chosen


# Calendar arithmetic


def add_months(day: date, months: int) -> date:
    """The same day `months` later (or earlier), clamped to the last day of a shorter month."""
    index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


def year_end_on_or_after(day: date, rules: ComplianceRules) -> date:
    """The last day of the financial year that `day` falls in."""
    month, last = rules.year_end
    end = date(day.year, month, last)
    return end if end >= day else date(day.year + 1, month, last)


def next_rat_year_end(
    last_rat: date | None, founded: date | None, rules: ComplianceRules
) -> date | None:
    """The end of the financial year the next RAT must report on. A RAT reports on the
    latest year that ended before it, so the next one reports on the year in which the
    last RAT was held; a koperasi that never held one reports first on its founding year."""
    if last_rat is not None:
        return year_end_on_or_after(last_rat, rules)
    if founded is not None:
        return year_end_on_or_after(founded, rules)
    return None


def status_of(days_left: int | None, soon_days: int) -> ComplianceStatus:
    if days_left is None or days_left < 0:
        return ComplianceStatus.TERLAMBAT
    if days_left <= soon_days:
        return ComplianceStatus.SEGERA
    return ComplianceStatus.AMAN


# Items


@dataclass(frozen=True)
class ComplianceItem:
    key: str  # stable per koperasi: "rat", "nik", "document:npwp", … (with due_date: a dedupe key)
    kind: ItemKind
    title: str  # Indonesian source text with {placeholders}: see `item_text`
    action: str  # what to do, likewise
    params: Mapping[str, Any] = field(default_factory=dict)
    due_date: date | None = None
    days_left: int | None = None
    status: ComplianceStatus = ComplianceStatus.TERLAMBAT


@dataclass(frozen=True)
class ComplianceInput:
    koperasi_kind: str
    profile: Profile | None  # None: never filled in
    profile_status: VerificationStatus | None = None
    profile_note: str = ""
    # per document kind: the best state of its documents (verified > waiting > rejected)
    documents: Mapping[DocumentKind, VerificationStatus] = field(default_factory=dict)
    # per document kind: the Dinas's note on its latest rejected document
    rejection_notes: Mapping[DocumentKind, str] = field(default_factory=dict)
    board: Sequence[BoardMember] = ()


DOCUMENT_RANK = {
    VerificationStatus.TERVERIFIKASI: 2,
    VerificationStatus.MENUNGGU: 1,
    VerificationStatus.DITOLAK: 0,
}


def best_status(states: Sequence[VerificationStatus]) -> VerificationStatus:
    return max(states, key=lambda s: DOCUMENT_RANK[s])


def sort_key(item: ComplianceItem) -> tuple[int, int, str]:
    """Most urgent first: overdue (most days late first), then what is missing now (as if
    due today), then what comes up, nearest first."""
    return (item.days_left if item.days_left is not None else 0, KIND_ORDER[item.kind], item.key)


def _dated(
    key: str,
    kind: ItemKind,
    title: str,
    actions: tuple[str, str],
    due: date,
    today: date,
    rules: ComplianceRules,
    **params: Any,
) -> ComplianceItem:
    """An item with a deadline; `actions`: (before the deadline, after it)."""
    days = (due - today).days
    return ComplianceItem(
        key=key,
        kind=kind,
        title=title,
        action=actions[1] if days < 0 else actions[0],
        params={"date": due, **params},
        due_date=due,
        days_left=days,
        status=status_of(days, rules.soon_days),
    )


def _missing(key: str, kind: ItemKind, title: str, action: str, **params: Any) -> ComplianceItem:
    return ComplianceItem(key=key, kind=kind, title=title, action=action, params=params)


def _rat_items(profile: Profile, today: date, rules: ComplianceRules) -> list[ComplianceItem]:
    items: list[ComplianceItem] = []
    founded = profile.badan_hukum_date or profile.akta_date
    year_end = next_rat_year_end(profile.last_rat_date, founded, rules)
    if year_end is None:
        return [
            _missing(
                "rat",
                ItemKind.RAT,
                N_("Tanggal RAT terakhir belum diisi"),
                N_(
                    "Isi tanggal RAT terakhir (atau tanggal badan hukum bila belum pernah RAT) "
                    "supaya batas RAT berikutnya dapat dihitung."
                ),
            )
        ]
    months = rules.rat_months.get(profile.bentuk, rules.rat_months[Bentuk.PRIMER])
    rat = _dated(
        "rat",
        ItemKind.RAT,
        N_("RAT tahun buku {year}"),
        (
            N_("Selenggarakan RAT paling lambat {date}, lalu isi tanggal RAT terakhir di profil."),
            N_(
                "Batas RAT sudah lewat ({date}). Selenggarakan RAT secepatnya, lalu isi "
                "tanggal RAT terakhir di profil."
            ),
        ),
        add_months(year_end, months),
        today,
        rules,
        year=year_end.year,
        months=months,
    )
    items.append(rat)
    last = profile.last_rat_date
    if last is not None and (
        profile.last_rat_report_date is None or profile.last_rat_report_date < last
    ):
        items.append(
            _dated(
                "rat_report",
                ItemKind.RAT_REPORT,
                N_("Laporan hasil RAT {rat_date}"),
                (
                    N_(
                        "Serahkan laporan hasil RAT ke Dinas paling lambat {date}; unggah sebagai "
                        "dokumen Laporan RAT dan isi tanggal penyerahannya di profil."
                    ),
                    N_(
                        "Laporan hasil RAT terlambat sejak {date}. Serahkan ke Dinas secepatnya; "
                        "unggah sebagai dokumen Laporan RAT dan isi tanggal penyerahannya."
                    ),
                ),
                add_months(last, rules.rat_report_months),
                today,
                rules,
                rat_date=last,
            )
        )
    base = last or founded
    if rat.status is ComplianceStatus.TERLAMBAT and base is not None:
        items.append(
            _dated(
                "sanction",
                ItemKind.SANCTION,
                N_("Batas {years} tahun tanpa RAT"),
                (
                    N_(
                        "Koperasi yang {years} tahun tidak menyelenggarakan RAT dapat dikenai "
                        "sanksi. Selenggarakan RAT sebelum {date}."
                    ),
                    N_(
                        "Sudah {years} tahun tanpa RAT sejak {since}: koperasi dapat dikenai "
                        "sanksi. Selenggarakan RAT secepatnya dan laporkan ke Dinas."
                    ),
                ),
                add_years(base, rules.sanction_years),
                today,
                rules,
                years=rules.sanction_years,
                since=base,
            )
        )
    return items


def _nik_item(profile: Profile, today: date, rules: ComplianceRules) -> ComplianceItem:
    if not profile.nik:
        return _missing(
            "nik",
            ItemKind.NIK,
            N_("Belum ada Nomor Induk Koperasi (NIK)"),
            N_(
                "Ajukan NIK melalui Dinas (Online Data System kementerian), lalu isi nomornya "
                "dan unggah sertifikatnya."
            ),
        )
    if profile.nik_expires_on is None:
        return _missing(
            "nik",
            ItemKind.NIK,
            N_("Tanggal terbit sertifikat NIK belum diisi"),
            N_("Isi tanggal terbit sertifikat NIK supaya masa berlakunya dapat dipantau."),
        )
    return _dated(
        "nik",
        ItemKind.NIK,
        N_("Sertifikat NIK berlaku sampai {date}"),
        (
            N_(
                "Perpanjang sebelum {date}: perbarui data koperasi di Online Data System, lalu "
                "isi tanggal terbit sertifikat yang baru dan unggah sertifikatnya."
            ),
            N_(
                "Masa berlaku sertifikat NIK sudah habis ({date}). Perbarui data koperasi di "
                "Online Data System, lalu isi tanggal terbit sertifikat yang baru dan unggah "
                "sertifikatnya."
            ),
        ),
        profile.nik_expires_on,
        today,
        rules,
        years=rules.nik_valid_years,
    )


def _board_items(
    board: Sequence[BoardMember], today: date, rules: ComplianceRules
) -> list[ComplianceItem]:
    items = []
    for body in BoardBody:
        members = [m for m in board if m.body is body]
        if not members:
            items.append(
                _missing(
                    f"board:{body.value}",
                    ItemKind.BOARD,
                    N_("Susunan {body} belum diisi"),
                    N_(
                        "Isi nama, jabatan dan masa jabatan {body} di bagian Pengurus dan pengawas."
                    ),
                    body=body,
                )
            )
            continue
        ends = [m.term_end for m in members if m.term_end is not None]
        if ends:
            items.append(
                _dated(
                    f"board:{body.value}",
                    ItemKind.BOARD,
                    N_("Masa jabatan {body} berakhir {date}"),
                    (
                        N_(
                            "Pilih {body} untuk masa berikutnya dalam Rapat Anggota sebelum "
                            "{date}, lalu perbarui susunannya di sini."
                        ),
                        N_(
                            "Masa jabatan {body} sudah berakhir ({date}). Pilih {body} baru "
                            "dalam Rapat Anggota, lalu perbarui susunannya di sini."
                        ),
                    ),
                    min(ends),
                    today,
                    rules,
                    body=body,
                )
            )
    return items


def compliance(inp: ComplianceInput, today: date, rules: ComplianceRules) -> list[ComplianceItem]:
    """Every item of one koperasi, most urgent first (`sort_key`)."""
    items: list[ComplianceItem] = []
    profile = inp.profile
    if profile is None:
        items.append(
            _missing(
                "profile",
                ItemKind.PROFILE,
                N_("Profil legalitas belum diisi"),
                N_(
                    "Isi profil legalitas koperasi: badan hukum, akta pendirian, NIK, NIB, NPWP "
                    "dan tanggal RAT terakhir."
                ),
            )
        )
    else:
        if inp.profile_status is VerificationStatus.DITOLAK:
            items.append(
                _missing(
                    "review",
                    ItemKind.REVIEW,
                    N_("Data legalitas ditolak Dinas"),
                    N_("Perbaiki sesuai catatan Dinas, lalu simpan lagi: {note}"),
                    note=inp.profile_note,
                )
            )
        items += _rat_items(profile, today, rules)
        items.append(_nik_item(profile, today, rules))
        empty = tuple(
            name for name in rules.fields_for(inp.koperasi_kind) if not getattr(profile, name)
        )
        if empty:
            items.append(
                _missing(
                    "fields",
                    ItemKind.FIELDS,
                    N_("Data legalitas belum lengkap"),
                    N_("Lengkapi di profil: {fields}."),
                    fields=empty,
                )
            )
    items += _board_items(inp.board, today, rules)
    for kind in rules.documents_for(inp.koperasi_kind):
        state = inp.documents.get(kind)
        if state is None:
            items.append(
                _missing(
                    f"document:{kind.value}",
                    ItemKind.DOCUMENT,
                    N_("Dokumen belum diunggah: {document}"),
                    N_("Unggah salinan {document} (PDF atau foto) di bagian Dokumen."),
                    document=kind,
                )
            )
        elif state is VerificationStatus.DITOLAK:
            items.append(
                _missing(
                    f"document:{kind.value}",
                    ItemKind.DOCUMENT,
                    N_("Dokumen ditolak Dinas: {document}"),
                    N_("Unggah ulang {document} yang benar. Catatan Dinas: {note}"),
                    document=kind,
                    note=inp.rejection_notes.get(kind, ""),
                )
            )
    return sorted(items, key=sort_key)


# Words for people


def countdown_text(days_left: int | None, _: Callable[..., str]) -> str:
    """ "12 hari lagi", "hari ini", "terlambat 5 hari"; "perlu tindakan" without a date."""
    if days_left is None:
        return _("Perlu tindakan")
    if days_left == 0:
        return _("Hari ini")
    if days_left == 1:
        return _("Besok")
    if days_left == -1:
        return _("Terlambat 1 hari")
    if days_left > 0:
        return _("{days} hari lagi", days=days_left)
    return _("Terlambat {days} hari", days=-days_left)


def _param_text(value: Any, _: Callable[..., str], language: str) -> str:
    if isinstance(value, date):
        return long_date(value, language)
    if isinstance(value, DocumentKind | BoardBody):
        return _(value.label).lower() if isinstance(value, BoardBody) else _(value.label)
    if isinstance(value, tuple):
        return ", ".join(_(FIELD_LABELS[name]) for name in value)
    return str(value)


def item_text(item: ComplianceItem, _: Callable[..., str], language: str) -> tuple[str, str]:
    """(title, what to do) in the reader's language."""
    params = {name: _param_text(value, _, language) for name, value in item.params.items()}
    return _(item.title, **params), _(item.action, **params)
