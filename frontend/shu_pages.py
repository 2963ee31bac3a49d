"""SHU pages, plain HTML with one small script (`static/shu.js`, no ReactPy):

- `/shu` — SHU and the RAT pack of one koperasi. Pengurus: the closed years to choose from,
  the year's SHU and its split (a preview until posted), the allocation form (percentages,
  which savings count for jasa modal, what jasa usaha is shared by, where the members' part
  goes), the per-member list with each member's explanation (`?anggota=<number>`), the
  posting with a confirmation, and the RAT pack (PDF, Excel). A Dinas officer reads the
  summary, the allocation and the pack of a koperasi of the region (`?koperasi=<slug>`).
- `/shu/saya` — an anggota's own SHU of each posted year and how it was derived.

Both are personal: `Cache-Control: no-store` keeps them off shared phones' caches."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import urlencode

from litestar import Request, Response, get
from litestar.params import QueryParameter
from litestar.response import Redirect

from backend.accounts.domain import Role
from backend.accounts.guards import PAGE
from backend.accounts.sessions import CurrentUser
from backend.accounts.web import user_of
from backend.errors import AppError
from backend.formatting import long_date, rupiah
from backend.ledger.access import books_to_read
from backend.savings.domain import SavingsKind
from backend.shu import service
from backend.shu.api import today
from backend.shu.domain import (
    Allocation,
    Component,
    Mode,
    Summary,
    UsahaBasis,
    bp_text,
    explanation,
)
from backend.texts import N_
from frontend.books.common import KoperasiChoice, region_choices
from frontend.document import element as el
from frontend.document import text_element as tx
from frontend.i18n import Translate, translator
from frontend.personal import (
    PERSONAL_HEADERS,
    document,
    facts,
    field,
    language_of_request,
    message_boxes,
    noscript,
    panel,
    refusal_page,
    script_messages,
    sign_in_redirect,
)

SHU_PATH = "/shu"
MINE_PATH = "/shu/saya"
SHU_JS = "/static/shu.js"
SHU_CSS = "/static/shu.css"
MEMBERS_SHOWN = 500  # the full list is in the RAT pack

SCRIPT_MESSAGES: dict[str, str] = {
    "network": N_("Tidak dapat menghubungi server. Periksa sinyal atau Wi-Fi, lalu coba lagi."),
    "failed": N_("Terjadi kesalahan. Silakan coba lagi."),
    "total": N_("Jumlah: {percent}"),
    "total_wrong": N_("Jumlah: {percent}. Harus tepat 100%."),
    "percent_invalid": N_("Isi persentase antara 0 dan 100, paling banyak dua angka desimal."),
    "saving": N_("Menyimpan…"),
    "posting": N_("Membukukan…"),
    "confirm_post": N_(
        "Bukukan pembagian SHU tahun {year} sebesar {pool} pada {date}? Bagian anggota "
        "{members}: {mode}. Setelah dibukukan, ketentuan dan angkanya tidak dapat diubah lagi."
    ),
}
NOTICES: dict[str, str] = {
    "disimpan": N_("Ketentuan pembagian disimpan. Pratinjau di bawah memakai ketentuan ini."),
    "dibukukan": N_("Pembagian SHU sudah dibukukan."),
}

Year = Annotated[int | None, QueryParameter(ge=1900, le=2999)]
Slug = Annotated[str | None, QueryParameter(max_length=80)]
MemberNumber = Annotated[str | None, QueryParameter(max_length=20)]
Notice = Annotated[str | None, QueryParameter(max_length=20)]

NOT_ALLOWED = N_(
    "SHU dan paket RAT dikelola pengurus koperasi; petugas Dinas Koperasi dapat membacanya. "
    "Anggota melihat SHU-nya di halaman SHU saya."
)


def _stylesheet() -> str:
    return el("link", rel="stylesheet", href=SHU_CSS)


def _link(year: int | None, slug: str | None, **extra: str) -> str:
    query = {"koperasi": slug or "", "tahun": str(year) if year else "", **extra}
    clean = {k: v for k, v in query.items() if v}
    return SHU_PATH + ("?" + urlencode(clean) if clean else "")


def percent_value(bp: int) -> str:
    """Basis points as the number an `<input type=number>` shows: 2050 -> `20.5`."""
    whole, rest = divmod(bp, 100)
    return str(whole) if rest == 0 else f"{whole}.{rest:02d}".rstrip("0")


# --- /shu: the year's SHU ---------------------------------------------------------------


def _year_picker(
    years: list[service.YearStatus], year: int, slug: str | None, is_dinas: bool, _: Translate
) -> str:
    options = [
        tx(
            "option",
            _("{year} (sudah dibagikan)", year=item.year)
            if item.posted
            else _("{year} (belum dibagikan)", year=item.year),
            value=item.year,
            selected=item.year == year,
        )
        for item in years
    ]
    hidden = el("input", type="hidden", name="koperasi", value=slug) if is_dinas and slug else ""
    return el(
        "form",
        field(
            _("Tahun buku"),
            el("select", *options, id="tahun", name="tahun", aria_describedby="tahun-hint"),
            "tahun",
            _("Hanya tahun buku yang periode Desembernya sudah ditutup."),
        ),
        hidden,
        tx("button", _("Tampilkan"), type="submit", class_="button button-secondary"),
        method="get",
        action=SHU_PATH,
        class_="year-picker",
        aria_label=_("Pilih tahun buku"),
    )


def _status(view: service.YearView, language: str, _: Translate) -> str:
    if view.posting is not None:
        return tx(
            "p",
            _(
                "SHU tahun {year} sudah dibukukan pada {date} (jurnal #{number}). Angka di "
                "halaman ini adalah yang dibukukan.",
                year=view.summary.year,
                date=long_date(view.posting.posted_on, language),
                number=view.posting.entry_number,
            ),
            class_="status-box",
            id="shu-status",
        )
    return tx(
        "p",
        _(
            "Pratinjau: dihitung dari pembukuan tahun {year} yang sudah ditutup dan ketentuan "
            "di bawah. Belum ada yang dibukukan.",
            year=view.summary.year,
        ),
        class_="notice",
        id="shu-status",
    )


def _components_table(summary: Summary, language: str, _: Translate) -> str:
    """Two columns, so it fits a phone: each component with its percentage and account
    under its name, and its amount."""
    head = el(
        "thead",
        el(
            "tr",
            tx("th", _("Komponen"), scope="col"),
            tx("th", _("Jumlah"), scope="col", class_="num"),
        ),
    )
    body = [
        el(
            "tr",
            el(
                "th",
                tx("span", _(part.component.label)),
                tx(
                    "span",
                    f"{bp_text(part.bp, language)} · {part.component.account}",
                    class_="detail",
                ),
                scope="row",
            ),
            tx("td", rupiah(part.amount), class_="num"),
        )
        for part in summary.components
    ]
    foot = el(
        "tfoot",
        el(
            "tr",
            tx("th", _("SHU yang dibagi"), scope="row"),
            tx("td", rupiah(max(summary.pool, 0)), class_="num"),
        ),
    )
    return el(
        "table",
        tx("caption", _("Pembagian SHU tahun {year}", year=summary.year)),
        head,
        el("tbody", *body),
        foot,
        class_="table components",
    )


def _summary_panel(view: service.YearView, language: str, _: Translate) -> str:
    s = view.summary
    if s.pool <= 0:
        return panel(
            "summary-heading",
            _("SHU tahun {year}", year=s.year),
            facts([(_("SHU tahun ini (pendapatan − beban)"), rupiah(s.pool))]),
            tx(
                "p",
                _("SHU tahun ini nol atau rugi: tidak ada yang dapat dibagikan."),
                class_="notice",
                id="no-surplus",
            ),
        )
    notes = [
        tx(
            "li",
            _(
                "{component}: tidak ada anggota yang berhak, jadi {amount} masuk cadangan.",
                component=_(part.component.label),
                amount=rupiah(part.redirected),
            ),
        )
        for part in s.components
        if part.redirected
    ]
    return panel(
        "summary-heading",
        _("SHU tahun {year}", year=s.year),
        facts(
            [
                (_("SHU tahun ini (pendapatan − beban)"), rupiah(s.pool)),
                (_("Cadangan seluruhnya"), rupiah(s.cadangan_total)),
                (_("Bagian anggota (jasa modal + jasa usaha)"), rupiah(s.members_total)),
                (_("Anggota yang menerima SHU"), str(view.member_count)),
            ]
        ),
        _components_table(s, language, _),
        el("ul", *notes, class_="notes") if notes else "",
    )


def _pack_panel(year: int, slug: str | None, is_dinas: bool, _: Translate) -> str:
    query = {"koperasi": slug} if is_dinas and slug else {}
    links = [
        tx(
            "a",
            label,
            href=f"/api/v1/shu/{year}/rat-pack?" + urlencode({**query, "format": fmt}),
            class_="button button-secondary",
            download=True,
            aria_label=_("Unduh paket RAT {year} sebagai {format}", year=year, format=label),
        )
        for fmt, label in (("pdf", "PDF"), ("xlsx", "Excel"))
    ]
    return panel(
        "pack-heading",
        _("Paket RAT"),
        tx(
            "p",
            _(
                "Satu berkas untuk Rapat Anggota Tahunan: sampul, Neraca dan Perhitungan Hasil "
                "Usaha (dibanding tahun sebelumnya), pembagian SHU dan daftar SHU per anggota."
            ),
            class_="muted",
        ),
        el("div", *links, class_="actions"),
    )


def _allocation_facts(allocation: Allocation, language: str, _: Translate) -> str:
    kinds = " + ".join(_(kind.label) for kind in allocation.counted_kinds) or "-"
    return facts(
        [
            *[(_(c.label), bp_text(allocation.bp(c), language)) for c in Component],
            (_("Simpanan yang dihitung untuk jasa modal"), kinds),
            (_("Jasa usaha menurut"), _(allocation.usaha_basis.label)),
            (_("Bagian anggota"), _(allocation.mode.label)),
        ]
    )


def _choice(name: str, value: str, label: str, checked: bool, kind: str = "radio") -> str:
    return el(
        "label",
        el("input", type=kind, name=name, value=value, checked=checked),
        " " + tx("span", label),
        class_="choice",
    )


def _allocation_form(settings: service.AllocationSettings, _: Translate) -> str:
    a = settings.allocation
    percents = [
        field(
            _(c.label) + " (%)",
            el(
                "input",
                id=f"bp-{c.value}",
                name=f"{c.value}_bp",
                type="number",
                min=0,
                max=100,
                step="0.01",
                inputmode="decimal",
                required=True,
                value=percent_value(a.bp(c)),
                data_component=c.value,
            ),
            f"bp-{c.value}",
        )
        for c in Component
    ]
    kinds = el(
        "fieldset",
        tx("legend", _("Simpanan yang dihitung untuk jasa modal")),
        *[
            _choice(
                f"count_{kind.value}",
                "1",
                _(kind.label),
                getattr(a, f"count_{kind.value}"),
                "checkbox",
            )
            for kind in SavingsKind
        ],
        class_="choices",
    )
    basis = el(
        "fieldset",
        tx("legend", _("Jasa usaha dibagi menurut")),
        *[_choice("usaha_basis", b.value, _(b.label), a.usaha_basis is b) for b in UsahaBasis],
        class_="choices stacked",
    )
    mode = el(
        "fieldset",
        tx("legend", _("Bagian anggota saat dibukukan")),
        *[_choice("mode", m.value, _(m.label), a.mode is m) for m in Mode],
        class_="choices stacked",
    )
    return el(
        "form",
        tx(
            "p",
            _(
                "Persentase menurut AD/ART dan keputusan RAT; jumlahnya harus tepat 100%. "
                "Dapat diubah sampai pembagian dibukukan."
            )
            if settings.saved
            else _(
                "Belum pernah disimpan: yang tampil adalah ketentuan umum (jumlahnya 100%). "
                "Sesuaikan dengan AD/ART dan keputusan RAT, lalu simpan."
            ),
            class_="muted",
            id="allocation-note",
        ),
        el("div", *percents, class_="percent-grid"),
        tx(
            "p",
            _("Jumlah: {percent}", percent="100%"),
            id="allocation-total",
            class_="total-line",
            aria_live="polite",
        ),
        kinds,
        basis,
        mode,
        tx("button", _("Simpan ketentuan"), type="submit", class_="button"),
        id="allocation-form",
        data_year=settings.year,
    )


def _allocation_panel(
    settings: service.AllocationSettings, can_write: bool, language: str, _: Translate
) -> str:
    body = (
        _allocation_form(settings, _)
        if can_write and not settings.posted
        else _allocation_facts(settings.allocation, language, _)
    )
    return panel(
        "allocation-heading",
        _("Ketentuan pembagian"),
        el("div", class_="error-box message", role="alert"),
        el("div", class_="status-box message", role="status"),
        body,
    )


def _post_panel(view: service.YearView, language: str, _: Translate) -> str:
    s = view.summary
    mode = s.allocation.mode
    what = (
        _(
            "Bagian anggota yang masih aktif dimasukkan ke simpanan sukarela masing-masing "
            "(dengan kuitansi); anggota yang tidak aktif lagi menerimanya sebagai dana SHU "
            "bagian anggota."
        )
        if mode is Mode.SUKARELA
        else _(
            "Bagian anggota dicatat sebagai dana SHU bagian anggota (utang kepada anggota) "
            "dan diambil anggota di koperasi."
        )
    )
    return panel(
        "post-heading",
        _("Bukukan pembagian SHU"),
        tx(
            "p",
            _(
                "Satu jurnal: SHU tahun lalu yang telah dibagi didebit {pool}; cadangan, dana "
                "pengurus, karyawan, pendidikan, sosial dan pembangunan daerah kerja serta "
                "bagian anggota dikredit. Hanya sekali untuk tiap tahun buku.",
                pool=rupiah(s.pool),
            ),
        ),
        tx("p", what),
        el("div", class_="error-box message", role="alert"),
        el("div", class_="status-box message", role="status"),
        el(
            "form",
            field(
                _("Tanggal pembukuan"),
                el(
                    "input",
                    id="posted-on",
                    name="posted_on",
                    type="date",
                    value=today().isoformat(),
                    min=f"{s.year + 1}-01-01",
                    max=today().isoformat(),
                    required=True,
                    aria_describedby="posted-on-hint",
                ),
                "posted-on",
                _("Sesudah akhir tahun buku, di periode yang masih terbuka."),
            ),
            tx("button", _("Bukukan pembagian SHU"), type="submit", class_="button button-danger"),
            id="post-form",
            data_year=s.year,
            data_pool=rupiah(s.pool),
            data_members=rupiah(s.members_total),
            data_mode=_(mode.label),
        ),
    )


def _figures(jasa_modal: int, jasa_usaha: int, total: int, _: Translate) -> str:
    return el(
        "dl",
        el("div", tx("dt", _("Jasa modal")), tx("dd", rupiah(jasa_modal))),
        el("div", tx("dt", _("Jasa usaha")), tx("dd", rupiah(jasa_usaha))),
        el("div", tx("dt", _("Jumlah")), tx("dd", rupiah(total)), class_="total"),
        class_="share-figures",
    )


def _members_panel(
    view: service.YearView,
    rows: list[service.ShareRow],
    slug: str | None,
    chosen: str | None,
    _: Translate,
) -> str:
    """Each member's share as a list item (a phone-wide table would scroll sideways): the
    name links to their explanation; the totals close the list."""
    year = view.summary.year
    shown = rows[:MEMBERS_SHOWN]
    items = [
        el(
            "li",
            tx(
                "a",
                f"{row.share.member_number} · {row.share.name}",
                href=_link(year, slug, anggota=row.share.member_number) + "#rincian",
                class_="share-member",
                aria_current="true" if row.share.member_number == chosen else None,
            ),
            _figures(row.share.jasa_modal, row.share.jasa_usaha, row.share.total, _),
            class_="share-item",
        )
        for row in shown
    ]
    totals = el(
        "div",
        tx("p", _("Jumlah ({count} anggota)", count=len(rows)), class_="share-member"),
        _figures(
            sum(r.share.jasa_modal for r in rows),
            sum(r.share.jasa_usaha for r in rows),
            sum(r.share.total for r in rows),
            _,
        ),
        class_="share-item share-totals",
        id="members-total",
    )
    more = (
        tx(
            "p",
            _(
                "Tampil {shown} dari {count} anggota; daftar lengkap ada di paket RAT (Excel).",
                shown=len(shown),
                count=len(rows),
            ),
            class_="muted",
        )
        if len(rows) > len(shown)
        else ""
    )
    return panel(
        "members-heading",
        _("SHU per anggota"),
        tx(
            "p",
            _("{count} anggota; pilih nama untuk melihat rinciannya.", count=len(rows)),
            class_="muted",
        ),
        el("ol", *items, class_="plain-list shares"),
        totals,
        more,
    )


def explanation_list(lines: list[str]) -> str:
    # A figure stays on one line: "Rp" and its digits do not part.
    return el(
        "ol", *[tx("li", line.replace("Rp ", "Rp\u00a0")) for line in lines], class_="explanation"
    )


def _detail_panel(item: service.MemberYear, slug: str | None, language: str, _: Translate) -> str:
    share = item.row.share
    lines = explanation(share, item.view.summary, language, _, item.destination)
    return el(
        "section",
        tx(
            "h2",
            _("Rincian SHU {name} ({number})", name=share.name, number=share.member_number),
            id="rincian",
            tabindex="-1",
        ),
        facts(
            [
                (_("Jasa modal"), rupiah(share.jasa_modal)),
                (_("Jasa usaha"), rupiah(share.jasa_usaha)),
                (_("Jumlah"), rupiah(share.total)),
            ]
        ),
        explanation_list(lines),
        el(
            "p",
            tx(
                "a",
                _("Tutup rincian"),
                href=_link(item.view.summary.year, slug) + "#members-heading",
            ),
        ),
        class_="panel",
        aria_labelledby="rincian",
    )


def _chooser(choices: list[KoperasiChoice], slug: str | None, _: Translate) -> str:
    options = [tx("option", _("Pilih koperasi…"), value="", selected=slug is None)]
    options += [
        tx("option", choice.name, value=choice.slug, selected=choice.slug == slug)
        for choice in choices
    ]
    return el(
        "form",
        field(
            _("Koperasi"),
            el("select", *options, id="koperasi", name="koperasi", required=True),
            "koperasi",
            _("Koperasi di wilayah Anda. Petugas Dinas hanya membaca."),
        ),
        tx("button", _("Buka SHU"), type="submit", class_="button"),
        method="get",
        action=SHU_PATH,
        class_="panel chooser",
    )


def _shu_document(
    request: Request[Any, Any, Any],
    user: CurrentUser,
    language: str,
    _: Translate,
    main: str,
    *,
    scripts: tuple[str, ...] = (),
) -> Response[str]:
    return document(
        request,
        language=language,
        _=_,
        title=_("SHU dan paket RAT"),
        main_html=_stylesheet() + main,
        user=user,
        scripts=scripts,
        headers=PERSONAL_HEADERS,
        meta={"csrf-token": user.csrf_token},
    )


@get(SHU_PATH, include_in_schema=False, opt=PAGE, name="shu_page")
async def shu_page(
    request: Request[Any, Any, Any],
    tahun: Year = None,
    koperasi: Slug = None,
    anggota: MemberNumber = None,
    pesan: Notice = None,
) -> Response[Any]:
    user = user_of(request)
    if user is None:
        return sign_in_redirect(request)
    language = language_of_request(request)
    _ = translator(language)
    actor = user.actor
    if actor is not None and actor.role is Role.ANGGOTA:
        return Redirect(MINE_PATH, status_code=303, headers=PERSONAL_HEADERS)
    if actor is None or actor.role not in (Role.PENGURUS, Role.DINAS):
        return refusal_page(request, user, language, 403, _("Tidak diizinkan"), _(NOT_ALLOWED))
    is_dinas = actor.role is Role.DINAS
    slug = koperasi.strip() if is_dinas and koperasi and koperasi.strip() else None
    choices = await region_choices(actor.region_id) if is_dinas else []
    heading = tx("h1", _("SHU dan paket RAT"))
    if is_dinas and slug is None:
        intro = tx("p", _("Pilih koperasi yang SHU-nya ingin Anda lihat."), class_="notice")
        return _shu_document(
            request, user, language, _, heading + intro + _chooser(choices, None, _)
        )
    try:
        k = await books_to_read(actor, slug)
    except AppError as error:
        title = _("Tidak diizinkan") if error.status == 403 else _("Koperasi tidak ditemukan")
        return refusal_page(request, user, language, error.status, title, _(error.message))
    if is_dinas:
        name = next((c.name for c in choices if c.slug == slug), slug or "")
        who = _("Dibuka oleh Dinas Koperasi: hanya baca.")
    else:
        name = (user.active.koperasi_name if user.active else None) or ""
        who = _("Anda pengurus koperasi ini.")
    lead = el("p", tx("strong", name), el("br"), tx("span", who, class_="muted"), class_="lead")
    top = heading + lead + (_chooser(choices, slug, _) if is_dinas else "")
    years = await service.years(k)
    if not years:
        empty = tx(
            "p",
            _(
                "Belum ada tahun buku yang ditutup. SHU dihitung dari tahun buku yang periode "
                "Desembernya sudah ditutup di Pembukuan."
            ),
            class_="notice",
            id="no-years",
        )
        return _shu_document(request, user, language, _, top + empty)
    listed = [item.year for item in years]
    year = tahun if tahun in listed else listed[0]
    problems = []
    if tahun is not None and tahun not in listed:
        problems.append(
            tx(
                "p",
                _(
                    "Tahun buku {asked} belum ditutup; yang ditampilkan tahun {year}.",
                    asked=tahun,
                    year=year,
                ),
                class_="notice",
            )
        )
    notice = (
        tx("p", _(NOTICES[pesan]), class_="status-box", role="status") if pesan in NOTICES else ""
    )
    can_write = actor.role is Role.PENGURUS
    if can_write:
        view, rows = await service.shares(k, year)
    else:
        view, rows = await service.year_view(k, year), []
    settings = await service.allocation(k, year)
    detail = ""
    if can_write and anggota:
        chosen = next((r for r in rows if r.share.member_number == anggota), None)
        detail = (
            _detail_panel(service.MemberYear(view, chosen), slug, language, _)
            if chosen
            else tx("p", _("Anggota ini tidak ada dalam pembagian SHU tahun ini."), class_="notice")
        )
    sections = [
        _summary_panel(view, language, _),
        _pack_panel(year, slug, is_dinas, _),
        _allocation_panel(settings, can_write, language, _),
    ]
    if can_write and view.posting is None and view.summary.pool > 0:
        sections.append(_post_panel(view, language, _))
    if can_write:
        sections += [detail, _members_panel(view, rows, slug, anggota, _)]
    main = (
        top
        + notice
        + "".join(problems)
        + _year_picker(years, year, slug, is_dinas, _)
        + _status(view, language, _)
        + (noscript(_) if can_write else "")
        + message_boxes()
        + el("div", *sections, class_="panels")
        + script_messages(_, SCRIPT_MESSAGES, SCRIPT_MESSAGES)
    )
    return _shu_document(request, user, language, _, main, scripts=(SHU_JS,) if can_write else ())


# --- /shu/saya: a member's own SHU -------------------------------------------------------


def _my_year(item: service.MemberYear, language: str, _: Translate) -> str:
    share = item.row.share
    year = item.view.summary.year
    heading_id = f"year-{year}"
    receipt = (
        el(
            "p",
            tx(
                "a",
                _("Lihat kuitansi {receipt}", receipt=item.row.receipt),
                href=f"/simpanan/kuitansi/{item.row.receipt_number}",
                class_="button button-secondary",
            ),
        )
        if item.row.receipt_number
        else ""
    )
    posted = item.view.posting
    return el(
        "section",
        tx("h2", _("SHU tahun {year}", year=year), id=heading_id),
        tx("p", rupiah(share.total), class_="big-amount", aria_describedby=heading_id),
        facts(
            [
                (_("Jasa modal"), rupiah(share.jasa_modal)),
                (_("Jasa usaha"), rupiah(share.jasa_usaha)),
                (_("Dibukukan pada"), long_date(posted.posted_on, language) if posted else None),
            ]
        ),
        tx("h3", _("Cara menghitungnya")),
        explanation_list(explanation(share, item.view.summary, language, _, item.destination)),
        receipt,
        class_="panel my-year",
        aria_labelledby=heading_id,
    )


@get(MINE_PATH, include_in_schema=False, opt=PAGE, name="my_shu_page")
async def my_shu_page(request: Request[Any, Any, Any]) -> Response[Any]:
    user = user_of(request)
    if user is None:
        return sign_in_redirect(request)
    language = language_of_request(request)
    _ = translator(language)
    actor = user.actor
    if actor is not None and actor.role in (Role.PENGURUS, Role.DINAS):
        return Redirect(SHU_PATH, status_code=303, headers=PERSONAL_HEADERS)
    if (
        actor is None
        or actor.role is not Role.ANGGOTA
        or actor.member_id is None
        or actor.koperasi_id is None
    ):
        return refusal_page(
            request,
            user,
            language,
            403,
            _("SHU saya"),
            _(
                "Halaman ini untuk anggota koperasi. Masuk dengan peran anggota untuk melihat "
                "SHU Anda, atau pilih peran lain di halaman Akun."
            ),
        )
    me = await service.member_identity(actor.koperasi_id, actor.member_id)
    history = await service.member_history(actor.koperasi_id, actor.member_id)
    koperasi_name = user.active.koperasi_name if user.active else ""
    body = (
        el("div", *[_my_year(item, language, _) for item in history], class_="panels")
        if history
        else tx(
            "p",
            _(
                "Belum ada SHU yang dibagikan kepada Anda. SHU tampil di sini setelah pengurus "
                "membukukan pembagian SHU tahun buku yang sudah ditutup."
            ),
            class_="notice",
            id="no-shu",
        )
    )
    main = (
        _stylesheet()
        + tx("h1", _("SHU saya"))
        + el(
            "p",
            tx("strong", me.name),
            el("br"),
            tx(
                "span",
                _("No. anggota {number}", number=me.member_number)
                + (" · " + koperasi_name if koperasi_name else ""),
                class_="muted",
            ),
            class_="lead",
        )
        + tx(
            "p",
            _(
                "SHU (sisa hasil usaha) dibagi kepada anggota menurut simpanan (jasa modal) dan "
                "transaksi dengan koperasi (jasa usaha) selama tahun buku."
            ),
            class_="muted",
        )
        + body
    )
    return document(
        request,
        language=language,
        _=_,
        title=_("SHU saya"),
        main_html=main,
        user=user,
        scripts=(),
        headers=PERSONAL_HEADERS,
    )


SHU_PAGES = [shu_page, my_shu_page]
