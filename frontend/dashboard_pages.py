"""The Dinas dashboard, plain HTML without scripts (every control is a link or a GET form):

- `/pengawasan` — a Dinas officer's region at a glance: summary cards, the region's sales
  chart (server-made SVG, per day / ISO week / month, with its figures as a table), the top
  sellers, and the table of every koperasi (type, KUK class, latest health category,
  compliance status, members, assets, sales of the last 30 days with a 12-week sparkline),
  filtered and sorted by GET parameters, each linking to the koperasi's record
  (`/pengawasan/koperasi/{slug}`).
- `/pengawasan/ekspor/koperasi.xlsx` — the table as Excel, with the page's filters.
- `/pengawasan/ekspor/ods?tahun=YYYY&format=xlsx|csv` — the annual data for the ministry's
  Online Data System.

The figures come from `backend.dashboard.service`; sales from the per-day totals the
database keeps in the same transaction as each sale, so a sale synced a moment ago shows at
once. All pages are personal (`Cache-Control: no-store`)."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any
from urllib.parse import urlencode

from babel.dates import format_date
from litestar import Request, Response, get
from litestar.params import QueryParameter

from backend.accounts.domain import Role
from backend.accounts.guards import PAGE
from backend.accounts.sessions import CurrentUser
from backend.accounts.web import user_of
from backend.dashboard import exports, service
from backend.dashboard.domain import (
    NO_HEALTH,
    Bucket,
    Filters,
    Granularity,
    KoperasiRow,
    SortKey,
    apply,
    bucket_label,
    change_percent,
    parse_filters,
    region_today,
    scale,
)
from backend.formatting import long_date, number, rupiah, short_date
from backend.supervision.compliance import ComplianceStatus
from backend.texts import N_
from frontend.document import element as el
from frontend.document import text_element as tx
from frontend.i18n import Translate, translator
from frontend.personal import (
    PERSONAL_HEADERS,
    document,
    field,
    language_of_request,
    panel,
    refusal_page,
    sign_in_redirect,
)
from frontend.record_pages import compliance_path, record_path

DASHBOARD_PATH = "/pengawasan"
TABLE_EXPORT_PATH = "/pengawasan/ekspor/koperasi.xlsx"
ODS_EXPORT_PATH = "/pengawasan/ekspor/ods"
DASHBOARD_CSS = "/static/dashboard.css"
HEALTH_PATH = "/pengawasan/kesehatan/"
ODS_YEARS = 5  # the years offered in the ODS export form: this one and four before

DINAS_ONLY = N_("Dasbor pengawasan hanya untuk petugas Dinas Koperasi.")

Param = Annotated[str | None, QueryParameter(max_length=100)]

# The chart's drawing box (SVG user units; the SVG scales to the page's width).
CHART_WIDTH, CHART_HEIGHT, CHART_TOP, CHART_BOTTOM = 600, 260, 24, 34
SPARK_WIDTH, SPARK_HEIGHT = 96, 24


def _short_month(language: str) -> Any:
    locale = "en_ID" if language == "en" else "id_ID"

    def short(month: int) -> str:
        return format_date(date(2000, month, 1), format="MMM", locale=locale)

    return short


def _link(params: dict[str, str], path: str = DASHBOARD_PATH) -> str:
    return path + ("?" + urlencode(params) if params else "")


# --- summary --------------------------------------------------------------------------


def _stat(value: str, label: str, *, id: str, note: str = "", href: str | None = None) -> str:
    body = [
        tx("span", value, class_="stat-value", id=id),
        " ",
        tx("span", label, class_="stat-label"),
    ]
    if note:
        body += [" ", tx("span", note, class_="stat-note")]
    inner = el("a", *body, href=href, class_="stat-link") if href else el("div", *body)
    return el("li", inner, class_="stat")


def _change_text(current: int, previous: int, _: Translate) -> str:
    percent = change_percent(current, previous)
    if percent is None:
        return _("belum ada pembanding")
    if percent == 0:
        return _("sama dengan periode yang sama bulan lalu")
    if percent > 0:
        return _("naik {percent}% dari periode yang sama bulan lalu", percent=percent)
    return _("turun {percent}% dari periode yang sama bulan lalu", percent=-percent)


def summary_html(board: service.Dashboard, _: Translate, language: str) -> str:
    s = board.summary
    stats = [
        _stat(number(s.koperasi), _("Koperasi"), id="stat-koperasi"),
        _stat(number(s.members), _("Anggota aktif"), id="stat-members"),
        _stat(rupiah(s.assets, language), _("Total aset"), id="stat-assets"),
        _stat(
            rupiah(s.sales_today, language),
            _("Penjualan hari ini"),
            id="sales-today",
            note=_("{count} transaksi", count=number(s.sales_today_count)),
        ),
        _stat(
            rupiah(s.sales_this_month, language),
            _("Penjualan bulan ini"),
            id="sales-month",
            note=_change_text(s.sales_this_month, s.sales_last_month_to_date, _),
        ),
        _stat(rupiah(s.sales_last_month, language), _("Penjualan bulan lalu"), id="sales-last"),
        _stat(
            number(s.overdue_items),
            _("Butir kepatuhan terlambat"),
            id="stat-overdue",
            note=_(
                "di {count} koperasi",
                count=number(s.compliance.get(ComplianceStatus.TERLAMBAT, 0)),
            ),
            href=compliance_path(ComplianceStatus.TERLAMBAT),
        ),
    ]
    labels = {c.code: c.label for c in board.categories}
    health_items = [
        el(
            "li",
            el(
                "a",
                tx("span", number(count), class_="count"),
                " ",
                tx("span", labels.get(code, code) if code else _("Belum dinilai")),
                href=_link(Filters(health=code or NO_HEALTH).query()),
            ),
        )
        for code, count in sorted(board.summary.health.items(), key=lambda kv: (kv[0] == "", kv[0]))
    ]
    health = el(
        "li",
        el(
            "div",
            tx("span", _("Kesehatan terakhir"), class_="stat-label"),
            el("ul", *health_items, class_="health-counts"),
        ),
        class_="stat stat-wide",
    )
    return el("ul", *stats, health, class_="stats dash-stats", aria_label=_("Ringkasan wilayah"))


# --- the region's sales chart ---------------------------------------------------------


def _granularity_links(current: Granularity, filters: Filters, _: Translate) -> str:
    items = [
        el(
            "li",
            tx(
                "a",
                _(g.label),
                href=_link(
                    {
                        **filters.query(),
                        **({"grafik": g.value} if g is not Granularity.HARI else {}),
                    }
                )
                + "#grafik",
                class_="tab",
                aria_current="page" if g is current else None,
            ),
        )
        for g in Granularity
    ]
    return el("nav", el("ul", *items, class_="tabs"), aria_label=_("Rentang grafik"))


def chart_svg(series: list[Bucket], labels: list[str], _: Translate, language: str) -> str:
    """Bars of the region's sales per bucket, with the largest value and a few axis labels
    drawn in; the same figures follow as a table (the chart's text alternative)."""
    plot_height = CHART_HEIGHT - CHART_TOP - CHART_BOTTOM
    heights = scale([b.amount for b in series], plot_height)
    slot = CHART_WIDTH / max(len(series), 1)
    bar = max(slot * 0.7, 1.0)
    parts = [
        el(
            "line",
            x1="0",
            y1=str(CHART_HEIGHT - CHART_BOTTOM),
            x2=str(CHART_WIDTH),
            y2=str(CHART_HEIGHT - CHART_BOTTOM),
            class_="axis",
        )
    ]
    every = max(1, len(series) // 4)
    for i, (bucket, height) in enumerate(zip(series, heights, strict=True)):
        x = i * slot + (slot - bar) / 2
        y = CHART_HEIGHT - CHART_BOTTOM - height
        parts.append(
            el(
                "rect",
                tx("title", f"{labels[i]}: {rupiah(bucket.amount, language)}"),
                x=f"{x:.1f}",
                y=str(y),
                width=f"{bar:.1f}",
                height=str(height),
                class_="bar",
            )
        )
        last = i == len(series) - 1
        if (len(series) - 1 - i) % every == 0:  # counted back from today's bucket
            parts.append(
                tx(
                    "text",
                    labels[i],
                    x=f"{x + bar:.1f}" if last else f"{x + bar / 2:.1f}",
                    y=str(CHART_HEIGHT - 10),
                    class_="tick",
                    text_anchor="end" if last else "middle",
                )
            )
    top = max((b.amount for b in series), default=0)
    parts.append(tx("text", rupiah(top, language), x="2", y="18", class_="tick"))
    total = sum(b.amount for b in series)
    return el(
        "svg",
        tx("title", _("Grafik penjualan ritel wilayah"), id="chart-title"),
        tx(
            "desc",
            _(
                "Batang penjualan {first} sampai {last}; total {total}, tertinggi {top}. "
                "Angkanya ada pada tabel di bawah grafik.",
                first=labels[0] if labels else "",
                last=labels[-1] if labels else "",
                total=rupiah(total, language),
                top=rupiah(top, language),
            ),
            id="chart-desc",
        ),
        *parts,
        viewBox=f"0 0 {CHART_WIDTH} {CHART_HEIGHT}",
        role="img",
        aria_labelledby="chart-title chart-desc",
        class_="chart",
    )


def chart_html(board: service.Dashboard, _: Translate, language: str) -> str:
    g = board.granularity
    short = _short_month(language)
    labels = [bucket_label(b, g, short) for b in board.series]
    rows = [
        el(
            "tr",
            tx("th", _period_text(b, g, language), scope="row"),
            tx("td", number(b.sales), class_="num"),
            tx("td", rupiah(b.amount, language), class_="num"),
        )
        for b in reversed(board.series)
    ]
    table = el(
        "details",
        tx("summary", _("Tabel angka grafik")),
        el(
            "div",
            el(
                "table",
                tx("caption", _(g.label)),
                el(
                    "thead",
                    el(
                        "tr",
                        tx("th", _("Periode"), scope="col"),
                        tx("th", _("Transaksi"), scope="col", class_="num"),
                        tx("th", _("Penjualan"), scope="col", class_="num"),
                    ),
                ),
                el("tbody", *rows),
                class_="table",
            ),
            class_="table-wrap",
            tabindex="0",
            role="region",
            aria_label=_("Tabel angka grafik"),
        ),
        class_="chart-data",
    )
    return panel(
        "chart-heading",
        _("Penjualan ritel wilayah"),
        tx(
            "p",
            _("Dari kasir Koroena, aplikasi lain (API) dan unggahan CSV, per hari kalender WIB."),
            class_="muted",
        ),
        _granularity_links(g, board.filters, _),
        chart_svg(board.series, labels, _, language),
        table,
        id="grafik",
    )


def _period_text(bucket: Bucket, granularity: Granularity, language: str) -> str:
    if granularity is Granularity.HARI:
        return long_date(bucket.start, language)
    if granularity is Granularity.MINGGU:
        year, week, _ = bucket.start.isocalendar()
        return (
            f"{week:02d}/{year}: {short_date(bucket.start, language)}"
            f" – {short_date(bucket.end, language)}"
        )
    return format_date(
        bucket.start, format="MMMM y", locale="en_ID" if language == "en" else "id_ID"
    )


def top_html(board: service.Dashboard, _: Translate, language: str) -> str:
    if not board.top:
        body = tx("p", _("Belum ada penjualan dalam 30 hari terakhir."), class_="muted")
    else:
        body = el(
            "ol",
            *[
                el(
                    "li",
                    tx("a", t.koperasi.name, href=record_path(t.koperasi.slug)),
                    " ",
                    tx(
                        "span",
                        _(
                            "{amount} · {share}% wilayah",
                            amount=rupiah(t.amount, language),
                            share=f"{t.share_bp // 100},{t.share_bp % 100:02d}"
                            if language == "id"
                            else f"{t.share_bp // 100}.{t.share_bp % 100:02d}",
                        ),
                        class_="muted",
                    ),
                )
                for t in board.top
            ],
            class_="top-list",
        )
    return panel("top-heading", _("Penjualan tertinggi 30 hari"), body, id="teratas")


# --- filters and exports --------------------------------------------------------------


def _select(name: str, label: str, options: list[tuple[str, str]], chosen: str) -> str:
    control_id = f"filter-{name}"
    return field(
        label,
        el(
            "select",
            *[tx("option", text, value=value, selected=value == chosen) for value, text in options],
            id=control_id,
            name=name,
        ),
        control_id,
    )


def filter_form(board: service.Dashboard, _: Translate) -> str:
    f = board.filters
    kinds = [("", _("Semua jenis"))] + [(code, _(label)) for code, label in board.kinds]
    kuk = [("", _("Semua KUK"))] + [(str(i), _("KUK {n}", n=i)) for i in range(1, 5)]
    health = (
        [("", _("Semua kategori"))]
        + [(c.code, c.label) for c in board.categories]
        + [(NO_HEALTH, _("Belum dinilai"))]
    )
    compliance = [("", _("Semua status"))] + [(s.value, _(s.label)) for s in ComplianceStatus]
    sorts = [(k.value, _(k.label)) for k in SortKey]
    directions = [("", _("Naik (A–Z, kecil–besar)")), ("turun", _("Turun (Z–A, besar–kecil)"))]
    hidden = (
        el("input", type="hidden", name="grafik", value=board.granularity.value)
        if board.granularity is not Granularity.HARI
        else ""
    )
    return el(
        "form",
        field(
            _("Cari nama koperasi"),
            el(
                "input",
                type="search",
                id="filter-cari",
                name="cari",
                value=f.search,
                maxlength="100",
                autocomplete="off",
            ),
            "filter-cari",
        ),
        _select("jenis", _("Jenis"), kinds, f.kind or ""),
        _select("kuk", _("KUK"), kuk, str(f.kuk or "")),
        _select("kesehatan", _("Kesehatan terakhir"), health, f.health or ""),
        _select(
            "kepatuhan", _("Kepatuhan"), compliance, f.compliance.value if f.compliance else ""
        ),
        _select("urut", _("Urutkan menurut"), sorts, f.sort.value),
        _select("arah", _("Arah urutan"), directions, "turun" if f.descending else ""),
        hidden,
        el(
            "div",
            tx("button", _("Terapkan"), type="submit", class_="button"),
            " ",
            tx("a", _("Hapus saringan"), href=DASHBOARD_PATH, class_="button button-secondary")
            if f.active
            else "",
            class_="filter-actions",
        ),
        method="get",
        action=DASHBOARD_PATH + "#koperasi",
        class_="filter-form dash-filters",
        role="search",
        aria_label=_("Saring daftar koperasi"),
    )


def exports_html(board: service.Dashboard, _: Translate) -> str:
    year = board.today.year
    years = [(str(y), str(y)) for y in range(year, year - ODS_YEARS, -1)]
    ods_form = el(
        "form",
        field(
            _("Tahun buku"),
            el(
                "select",
                *[
                    tx("option", text, value=value, selected=value == str(year - 1))
                    for value, text in years
                ],
                id="ods-tahun",
                name="tahun",
            ),
            "ods-tahun",
        ),
        el(
            "div",
            tx(
                "button",
                _("Unduh Excel"),
                type="submit",
                name="format",
                value="xlsx",
                class_="button",
            ),
            " ",
            tx(
                "button",
                _("Unduh CSV"),
                type="submit",
                name="format",
                value="csv",
                class_="button button-secondary",
            ),
            class_="filter-actions",
        ),
        method="get",
        action=ODS_EXPORT_PATH,
        class_="filter-form",
        aria_label=_("Data tahunan untuk ODS"),
    )
    return panel(
        "exports-heading",
        _("Unduhan"),
        el(
            "p",
            tx(
                "a",
                _("Unduh tabel koperasi (Excel, sesuai saringan)"),
                href=_link(board.filters.query(), TABLE_EXPORT_PATH),
                class_="button button-secondary",
                download="",
            ),
        ),
        tx("h3", _("Data tahunan untuk Online Data System (ODS)")),
        tx(
            "p",
            _(
                "Per koperasi: status aktif, RAT, anggota, pengurus, karyawan, modal sendiri, "
                "modal luar, volume usaha, SHU dan aset pada akhir tahun buku."
            ),
            class_="muted",
        ),
        ods_form,
        id="unduhan",
    )


# --- the table ------------------------------------------------------------------------


def sparkline(values: tuple[int, ...], _: Translate, language: str) -> str:
    if not values:
        return ""
    heights = scale(list(values), SPARK_HEIGHT - 2)
    step = SPARK_WIDTH / max(len(values) - 1, 1)
    points = " ".join(f"{i * step:.1f},{SPARK_HEIGHT - 1 - h}" for i, h in enumerate(heights))
    return el(
        "svg",
        el("polyline", points=points, class_="spark-line"),
        viewBox=f"0 0 {SPARK_WIDTH} {SPARK_HEIGHT}",
        role="img",
        aria_label=_(
            "Tren {weeks} minggu: minggu pertama {first}, minggu ini {last}",
            weeks=len(values),
            first=rupiah(values[0], language),
            last=rupiah(values[-1], language),
        ),
        class_="spark",
        width=str(SPARK_WIDTH),
        height=str(SPARK_HEIGHT),
    )


def _sort_header(key: SortKey, label: str, filters: Filters, numeric: bool) -> str:
    current = filters.sort is key
    descending = not filters.descending if current else numeric
    href = _link(filters.query(sort=key, descending=descending)) + "#koperasi"
    arrow = ("▼" if filters.descending else "▲") if current else ""
    sort_state = None
    if current:
        sort_state = "descending" if filters.descending else "ascending"
    return el(
        "th",
        el("a", tx("span", label), tx("span", arrow, aria_hidden="true"), href=href),
        scope="col",
        class_="num" if numeric else None,
        aria_sort=sort_state,
    )


def _health_cell(row: KoperasiRow, _: Translate, language: str) -> str:
    if row.health_category is None:
        return el(
            "td",
            tx("span", _("Belum dinilai"), class_="tag health-none"),
        )
    return el(
        "td",
        el(
            "a",
            tx(
                "span",
                row.health_label or row.health_category,
                class_=f"tag health-{row.health_category}",
            ),
            href=HEALTH_PATH + row.slug,
        ),
        tx("span", short_date(row.health_date, language) if row.health_date else "", class_="sub"),
    )


def _compliance_cell(row: KoperasiRow, _: Translate) -> str:
    note = (
        tx("span", _("{count} terlambat", count=number(row.overdue_items)), class_="sub")
        if row.overdue_items
        else ""
    )
    return el(
        "td",
        tx("span", _(row.compliance.label), class_=f"tag due-{row.compliance.value}"),
        note,
    )


def table_html(board: service.Dashboard, _: Translate, language: str) -> str:
    f = board.filters
    heads = [
        _sort_header(SortKey.NAMA, _("Koperasi"), f, False),
        _sort_header(SortKey.JENIS, _("Jenis"), f, False),
        _sort_header(SortKey.KUK, _("KUK"), f, True),
        _sort_header(SortKey.KESEHATAN, _("Kesehatan"), f, False),
        _sort_header(SortKey.KEPATUHAN, _("Kepatuhan"), f, False),
        _sort_header(SortKey.ANGGOTA, _("Anggota"), f, True),
        _sort_header(SortKey.ASET, _("Total aset"), f, True),
        _sort_header(SortKey.PENJUALAN, _("Penjualan 30 hari"), f, True),
        tx("th", _("Tren 12 minggu"), scope="col"),
    ]
    body = [
        el(
            "tr",
            el("th", tx("a", row.name, href=record_path(row.slug)), scope="row"),
            tx("td", _(row.kind_label)),
            tx("td", str(row.kuk_class), class_="num"),
            _health_cell(row, _, language),
            _compliance_cell(row, _),
            tx("td", number(row.members), class_="num"),
            tx("td", rupiah(row.assets, language), class_="num"),
            el(
                "td",
                tx("span", rupiah(row.sales_30d, language)),
                tx(
                    "span",
                    _("{count} transaksi", count=number(row.sales_count_30d)),
                    class_="sub",
                ),
                class_="num",
            ),
            el("td", sparkline(row.trend, _, language)),
            data_koperasi=row.slug,
        )
        for row in board.shown
    ]
    shown = board.shown
    foot = el(
        "tfoot",
        el(
            "tr",
            tx("th", _("Jumlah"), scope="row"),
            tx("td", ""),
            tx("td", ""),
            tx("td", ""),
            tx("td", ""),
            tx("td", number(sum(r.members for r in shown)), class_="num"),
            tx("td", rupiah(sum(r.assets for r in shown), language), class_="num"),
            tx("td", rupiah(sum(r.sales_30d for r in shown), language), class_="num"),
            tx("td", ""),
        ),
    )
    count_text = (
        _("{shown} dari {total} koperasi", shown=number(len(shown)), total=number(len(board.rows)))
        if f.active
        else _("{total} koperasi", total=number(len(board.rows)))
    )
    table = (
        el(
            "div",
            el(
                "table",
                tx("caption", count_text),
                el("thead", el("tr", *heads)),
                el("tbody", *body),
                foot,
                class_="table dash-table",
            ),
            class_="table-wrap",
            tabindex="0",
            role="region",
            aria_labelledby="koperasi-heading",
        )
        if shown
        else tx(
            "p", _("Tidak ada koperasi yang cocok dengan saringan."), class_="muted", role="status"
        )
    )
    return el(
        "section",
        tx("h2", _("Koperasi di wilayah"), id="koperasi-heading"),
        filter_form(board, _),
        table,
        class_="panel",
        aria_labelledby="koperasi-heading",
        id="koperasi",
    )


def dashboard_html(board: service.Dashboard, region_name: str, _: Translate, language: str) -> str:
    return (
        el("link", rel="stylesheet", href=DASHBOARD_CSS)
        + tx("h1", _("Dasbor pengawasan"))
        + tx(
            "p",
            _("{region} · per {date}", region=region_name, date=long_date(board.today, language)),
            class_="lead",
        )
        + el(
            "nav",
            el(
                "ul",
                el("li", tx("a", _("Kalender kepatuhan"), href=compliance_path())),
                el("li", tx("a", _("Laporan koperasi"), href="/pengawasan/laporan")),
                el("li", tx("a", _("Unduhan"), href="#unduhan")),
                class_="jump",
            ),
            aria_label=_("Halaman pengawasan lain"),
        )
        + summary_html(board, _, language)
        + chart_html(board, _, language)
        + table_html(board, _, language)
        + el("div", top_html(board, _, language), exports_html(board, _), class_="dash-grid")
    )


# --- routes ---------------------------------------------------------------------------


def _officer(
    request: Request[Any, Any, Any],
) -> tuple[CurrentUser | None, int | None, str, Translate]:
    user = user_of(request)
    language = language_of_request(request)
    _ = translator(language)
    if user is None or user.actor is None or user.actor.role is not Role.DINAS:
        return user, None, language, _
    return user, service.region_of(user.actor), language, _


def _refuse(
    request: Request[Any, Any, Any], user: CurrentUser, language: str, _: Translate
) -> Response[str]:
    return refusal_page(request, user, language, 403, _("Pengawasan"), _(DINAS_ONLY))


def _filters(
    jenis: str | None,
    kuk: str | None,
    kesehatan: str | None,
    kepatuhan: str | None,
    cari: str | None,
    urut: str | None,
    arah: str | None,
) -> Filters:
    return parse_filters(
        {
            "jenis": jenis,
            "kuk": kuk,
            "kesehatan": kesehatan,
            "kepatuhan": kepatuhan,
            "cari": cari,
            "urut": urut,
            "arah": arah,
        }
    )


@get(DASHBOARD_PATH, include_in_schema=False, opt=PAGE, name="dashboard_page")
async def dashboard_page(
    request: Request[Any, Any, Any],
    jenis: Param = None,
    kuk: Param = None,
    kesehatan: Param = None,
    kepatuhan: Param = None,
    cari: Param = None,
    urut: Param = None,
    arah: Param = None,
    grafik: Param = None,
) -> Response[Any]:
    user, region_id, language, _ = _officer(request)
    if user is None:
        return sign_in_redirect(request)
    if region_id is None:
        return _refuse(request, user, language, _)
    try:
        granularity = Granularity(grafik or Granularity.HARI.value)
    except ValueError:
        granularity = Granularity.HARI
    filters = _filters(jenis, kuk, kesehatan, kepatuhan, cari, urut, arah)
    board = await service.dashboard(region_id, region_today(), filters, granularity, language)
    region_name = user.active.region_name if user.active else ""
    return document(
        request,
        language=language,
        _=_,
        title=_("Dasbor pengawasan"),
        main_html=dashboard_html(board, region_name, _, language),
        user=user,
        scripts=(),
        headers=PERSONAL_HEADERS,
    )


def _download(body: bytes, media_type: str, filename: str) -> Response[bytes]:
    return Response(
        body,
        media_type=media_type,
        headers={**PERSONAL_HEADERS, "Content-Disposition": f'attachment; filename="{filename}"'},
    )


@get(TABLE_EXPORT_PATH, include_in_schema=False, opt=PAGE, name="dashboard_table_export")
async def dashboard_table_export(
    request: Request[Any, Any, Any],
    jenis: Param = None,
    kuk: Param = None,
    kesehatan: Param = None,
    kepatuhan: Param = None,
    cari: Param = None,
    urut: Param = None,
    arah: Param = None,
) -> Response[Any]:
    user, region_id, language, _ = _officer(request)
    if user is None:
        return sign_in_redirect(request)
    if region_id is None:
        return _refuse(request, user, language, _)
    filters = _filters(jenis, kuk, kesehatan, kepatuhan, cari, urut, arah)
    today = region_today()
    rows, *_rest = await service.region_rows(region_id, today, language)
    region_name = user.active.region_name if user.active else ""
    body = exports.table_xlsx(apply(rows, filters), filters, today, region_name, _, language)
    return _download(body, exports.XLSX_TYPE, f"koperasi-wilayah-{today.isoformat()}.xlsx")


@get(ODS_EXPORT_PATH, include_in_schema=False, opt=PAGE, name="dashboard_ods_export")
async def dashboard_ods_export(
    request: Request[Any, Any, Any],
    tahun: Annotated[int | None, QueryParameter(ge=2000, le=2100)] = None,
    format: Annotated[str | None, QueryParameter(max_length=10)] = None,
) -> Response[Any]:
    user, region_id, language, _ = _officer(request)
    if user is None:
        return sign_in_redirect(request)
    if region_id is None:
        return _refuse(request, user, language, _)
    today = region_today()
    year = tahun or today.year - 1
    rows = await service.annual(region_id, year, today)
    if format == "csv":
        return _download(exports.ods_csv(rows, _), exports.CSV_TYPE, f"ods-{year}.csv")
    region_name = user.active.region_name if user.active else ""
    return _download(
        exports.ods_xlsx(rows, year, region_name, _), exports.XLSX_TYPE, f"ods-{year}.xlsx"
    )


DASHBOARD_PAGES: tuple[Any, ...] = (dashboard_page, dashboard_table_export, dashboard_ods_export)
