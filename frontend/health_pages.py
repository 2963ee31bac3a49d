"""Health-assessment pages (penilaian kesehatan), plain HTML with one small script
(`static/health.js`, no ReactPy):

- `/kesehatan` — for pengurus: their koperasi's record of assessments (a line chart made
  on the server as SVG, and the same as a table), starting an assessment for a date and a
  rule set, the assessment itself (each indicator with its figures, nilai, skor and what
  to fix; the checklists to answer; figures the books do not hold); for a Dinas officer:
  every koperasi of the region with its latest result, the region's ATMR risk weights and
  the confirmation of rule rows of low confidence.
- `/pengawasan/kesehatan/{slug}` — the same assessment pages for a Dinas officer, on any
  koperasi of the region, with "Finalkan" (only the Dinas makes an assessment final).

Choose an assessment with `?penilaian=<number>` (default: the open draft, else the latest).
All are personal: `Cache-Control: no-store`."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from html import escape
from typing import Annotated, Any
from urllib.parse import quote

from litestar import Request, Response, get
from litestar.params import PathParameter, QueryParameter

from backend.accounts.domain import Actor, Role
from backend.accounts.guards import PAGE
from backend.accounts.sessions import CurrentUser
from backend.accounts.web import user_of
from backend.errors import AppError
from backend.formatting import long_date, rupiah, short_date
from backend.health import rules, service
from backend.health.api import today
from backend.health.domain import number_text, score_text, share_text
from backend.texts import N_
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
    when,
)

HEALTH_JS = "/static/health.js"
HEALTH_CSS = "/static/health.css"
OWN_PATH = "/kesehatan"
DINAS_PATH = "/pengawasan/kesehatan"

SCRIPT_MESSAGES: dict[str, str] = {
    "network": N_("Tidak dapat menghubungi server. Periksa sinyal atau Wi-Fi, lalu coba lagi."),
    "failed": N_("Terjadi kesalahan. Silakan coba lagi."),
    "saving": N_("Menyimpan dan menghitung…"),
    "started": N_("Penilaian no. {number} dimulai dan dihitung dari pembukuan."),
    "saved": N_("Jawaban dan angka disimpan; skor dihitung ulang."),
    "recomputed": N_("Skor dihitung ulang dari pembukuan terbaru."),
    "finalised": N_("Penilaian sudah final. Hasilnya masuk rekam kesehatan koperasi."),
    "deleted": N_("Draf penilaian dihapus."),
    "confirm_finalise": N_(
        "Finalkan penilaian no. {number}? Setelah final, penilaian tidak dapat diubah lagi; "
        "koreksi dilakukan dengan penilaian baru."
    ),
    "confirm_delete": N_("Hapus draf penilaian no. {number} beserta jawabannya?"),
    "amount_invalid": N_("Isi angka dalam rupiah bulat (boleh negatif), atau kosongkan."),
    "weight_invalid": N_("Isi bobot antara 0 dan 100 persen, atau kosongkan untuk bobot bawaan."),
    "weight_saved": N_("Bobot risiko {account} disimpan."),
    "row_saved": N_("Konfirmasi aturan disimpan."),
}

NOT_ALLOWED = N_(
    "Penilaian kesehatan hanya dapat dibuka oleh pengurus koperasi dan petugas Dinas "
    "Koperasi. Bila Anda pengurus, pilih peran pengurus sebagai peran aktif di halaman Akun."
)


def _stylesheet() -> str:
    return el("link", rel="stylesheet", href=HEALTH_CSS)


def _page(
    request: Request[Any, Any, Any],
    user: CurrentUser,
    language: str,
    title: str,
    main: str,
) -> Response[str]:
    _ = translator(language)
    return document(
        request,
        language=language,
        _=_,
        title=title,
        main_html=_stylesheet() + main + script_messages(_, SCRIPT_MESSAGES, SCRIPT_MESSAGES),
        user=user,
        scripts=(HEALTH_JS,),
        headers=PERSONAL_HEADERS,
        meta={"csrf-token": user.csrf_token},
    )


def _refuse(
    request: Request[Any, Any, Any], user: CurrentUser, language: str, error: AppError
) -> Response[str]:
    _ = translator(language)
    status = 404 if error.status == 404 else 403
    message = _(error.message) if status == 404 else _(NOT_ALLOWED)
    return refusal_page(request, user, language, status, _("Penilaian kesehatan"), message)


# --- the trend chart ------------------------------------------------------------------

CHART_W, CHART_H = 320, 200
PLOT_LEFT, PLOT_RIGHT, PLOT_TOP, PLOT_BOTTOM = 34, 308, 10, 170


def _y(score: Decimal) -> float:
    clamped = min(max(float(score), 0.0), 100.0)
    return PLOT_BOTTOM - (PLOT_BOTTOM - PLOT_TOP) * clamped / 100


def trend_svg(points: list[service.TrendPoint], language: str, _: Translate) -> str:
    """The scores of the final assessments over time as a small line chart (server-made
    SVG, no script): x by date, y 0–100 with the category limits of the latest rule set
    as guide lines. The table beside it holds the same data for screen readers."""
    if not points:
        return ""
    scheme = rules.scheme_version(points[-1].scheme, points[-1].version)
    limits = [c.min for c in scheme.categories if c.min > 0] if scheme else []
    first, last = points[0].as_of, points[-1].as_of
    span = max((last - first).days, 1)

    def x(day: date) -> float:
        if first == last:
            return (PLOT_LEFT + PLOT_RIGHT) / 2
        return PLOT_LEFT + (PLOT_RIGHT - PLOT_LEFT) * (day - first).days / span

    parts = [tx("title", _("Rekam skor kesehatan"), id="trend-title")]
    summary = "; ".join(
        f"{long_date(p.as_of, language)}: {score_text(Decimal(p.total_score), language)}"
        f" ({p.category_label})"
        for p in points
    )
    parts.append(tx("desc", summary, id="trend-desc"))
    guides: list[Decimal] = [Decimal(0), *limits, Decimal(100)]
    for value in guides:
        y = _y(value)
        parts.append(
            el(
                "line",
                x1=PLOT_LEFT,
                x2=PLOT_RIGHT,
                y1=f"{y:.1f}",
                y2=f"{y:.1f}",
                class_="trend-limit" if value not in (0, 100) else "trend-axis",
            )
        )
        parts.append(
            tx(
                "text",
                str(int(value)),
                x=PLOT_LEFT - 4,
                y=f"{y + 4:.1f}",
                class_="trend-label",
                text_anchor="end",
            )
        )
    coords = [(x(p.as_of), _y(Decimal(p.total_score))) for p in points]
    if len(coords) > 1:
        parts.append(
            el(
                "polyline",
                points=" ".join(f"{cx:.1f},{cy:.1f}" for cx, cy in coords),
                class_="trend-line",
            )
        )
    for point, (cx, cy) in zip(points, coords, strict=True):
        label = (
            f"{long_date(point.as_of, language)}: "
            f"{score_text(Decimal(point.total_score), language)} ({point.category_label})"
        )
        parts.append(
            el(
                "circle",
                tx("title", label),
                cx=f"{cx:.1f}",
                cy=f"{cy:.1f}",
                r=4,
                class_=f"trend-point category-{point.category}",
            )
        )
    for day, anchor in ((first, "start"), (last, "end")):
        if day == last and first == last:
            anchor = "middle"
        parts.append(
            tx(
                "text",
                short_date(day, language),
                x=f"{x(day):.1f}",
                y=CHART_H - 8,
                class_="trend-label",
                text_anchor=anchor,
            )
        )
        if first == last:
            break
    return el(
        "svg",
        *parts,
        viewBox=f"0 0 {CHART_W} {CHART_H}",
        role="img",
        aria_labelledby="trend-title trend-desc",
        class_="trend-chart",
        xmlns="http://www.w3.org/2000/svg",
    )


def _category_tag(code: str, label: str) -> str:
    return tx("span", label, class_=f"tag category category-{code}") if label else ""


def _trend_section(points: list[service.TrendPoint], language: str, _: Translate, link: str) -> str:
    if not points:
        body = tx(
            "p",
            _("Belum ada penilaian final. Hasil setiap penilaian final tersimpan di sini."),
            class_="muted",
        )
    else:
        rows = [
            el(
                "tr",
                el(
                    "th",
                    tx("a", long_date(p.as_of, language), href=f"{link}penilaian={p.number}"),
                    tx("span", p.scheme_name, class_="cell-note"),
                    scope="row",
                ),
                tx("td", score_text(Decimal(p.total_score), language), class_="num"),
                el("td", _category_tag(p.category, p.category_label)),
            )
            for p in reversed(points)
        ]
        table = el(
            "div",
            el(
                "table",
                tx("caption", _("Penilaian final, terbaru di atas")),
                el(
                    "thead",
                    el(
                        "tr",
                        tx("th", _("Tanggal dan skema"), scope="col"),
                        tx("th", _("Skor"), scope="col", class_="num"),
                        tx("th", _("Kategori"), scope="col"),
                    ),
                ),
                el("tbody", *rows),
                class_="table trend-table",
            ),
            class_="table-wrap",
            tabindex="0",
            role="region",
            aria_label=_("Tabel rekam kesehatan"),
        )
        body = el("figure", trend_svg(points, language, _), class_="trend") + table
    return panel("trend-heading", _("Rekam kesehatan"), body, id="trend")


# --- starting an assessment -----------------------------------------------------------


def _start_section(draft: int | None, link: str, _: Translate, language: str) -> str:
    if draft is not None:
        body = el(
            "p",
            tx(
                "span",
                _(
                    "Ada penilaian berstatus draf (no. {number}). Selesaikan atau hapus draf "
                    "itu sebelum memulai yang baru.",
                    number=draft,
                ),
            ),
            " ",
            tx("a", _("Buka draf"), href=f"{link}penilaian={draft}"),
            class_="notice",
        )
        return panel("start-heading", _("Mulai penilaian"), body, id="start")
    day = today()
    options = [
        tx("option", s.short_name.in_(language), value=s.id) for s in rules.current_schemes(day)
    ]
    form = el(
        "form",
        field(
            _("Aturan penilaian"),
            el("select", *options, id="start-scheme", name="scheme", required=True),
            "start-scheme",
            _(
                "Skema 2021 (KKPKK) adalah aturan yang berlaku; skema 2016 (rasio KSP/USP) "
                "masih dipakai dalam pelatihan."
            ),
            aria_describedby="start-scheme-hint",
        ),
        field(
            _("Tanggal penilaian"),
            el(
                "input",
                id="start-date",
                name="as_of",
                type="date",
                value=day.isoformat(),
                max=day.isoformat(),
                required=True,
                aria_describedby="start-date-hint",
            ),
            "start-date",
            _(
                "Neraca dibaca per tanggal ini; pendapatan dan beban selama 12 bulan yang "
                "berakhir pada tanggal ini."
            ),
        ),
        tx("button", _("Mulai dan hitung"), type="submit", class_="button"),
        id="start-form",
    )
    return panel(
        "start-heading",
        _("Mulai penilaian"),
        el("div", class_="error-box message", role="alert"),
        el("div", class_="status-box message", role="status"),
        form,
        id="start",
    )


# --- one assessment -------------------------------------------------------------------


def _who_answered(item: service.ItemView, _: Translate) -> str:
    if item.met is None:
        return _("belum dijawab")
    role = _(service.ROLE_LABELS.get(item.answered_role or "", item.answered_role or ""))
    return _("dijawab {role}", role=role) + (f" ({item.answered_by})" if item.answered_by else "")


def _checklist(indicator: service.IndicatorView, editable: bool, _: Translate) -> str:
    items = []
    for item in indicator.items:
        control_id = f"item-{item.code}"
        items.append(
            el(
                "li",
                el(
                    "input",
                    type="checkbox",
                    id=control_id,
                    name=item.code,
                    data_item=item.code,
                    checked=bool(item.met),
                    disabled=not editable,
                    aria_describedby=f"{control_id}-who",
                ),
                tx("label", item.text, for_=control_id),
                tx(
                    "span",
                    _who_answered(item, _),
                    id=f"{control_id}-who",
                    class_="item-who" + (" unanswered" if item.met is None else ""),
                ),
                class_="check-item",
            )
        )
    unanswered = sum(1 for i in indicator.items if i.met is None)
    summary = el(
        "summary",
        tx("span", _("Daftar periksa ({count} butir)", count=len(indicator.items))),
        tx("span", _("{count} belum dijawab", count=unanswered), class_="tag")
        if unanswered
        else "",
    )
    return el(
        "details",
        summary,
        el("ul", *items, class_="checklist"),
        class_="checklist-box",
        open=editable and unanswered > 0,
    )


ACCOUNT_CODE = re.compile(r"\b\d-\d{2,8}\b")


def _evidence_html(text: str) -> str:
    """The evidence in words, escaped, with account codes kept whole on narrow screens."""
    escaped = escape(text)
    return ACCOUNT_CODE.sub(lambda m: f'<span class="code">{m.group(0)}</span>', escaped)


def _indicator(
    indicator: service.IndicatorView, view: service.AssessmentView, editable: bool, _: Translate
) -> str:
    heading_id = f"ind-{indicator.code}"
    tags = []
    if indicator.provisional:
        tags.append(
            tx(
                "span",
                _("sementara"),
                class_="tag provisional",
                title=_("Keyakinan rendah: menunggu konfirmasi Dinas"),
            )
        )
    if indicator.status == "no_data":
        tags.append(tx("span", _("data tidak tersedia"), class_="tag missing"))
    weighted = view.method == "weighted"
    best = number_text(Decimal(indicator.weight)) if weighted and indicator.weight else "4"
    numbers = [
        (_("Nilai rasio") if indicator.kind == "ratio" else _("Terpenuhi"), indicator.value_text),
        (_("Nilai"), score_text(Decimal(indicator.nilai))),
        (_("Skor"), f"{score_text(Decimal(indicator.skor))} / {best}"),
    ]
    hints = ""
    if indicator.hints:
        hints = el(
            "div",
            tx(
                "p",
                _("Yang perlu dicatat")
                if indicator.status == "no_data"
                else _("Yang perlu diperbaiki"),
                class_="hint-title",
            ),
            el("ul", *[tx("li", h) for h in indicator.hints]),
            class_="fix",
        )
    return el(
        "article",
        el(
            "h4",
            tx("span", indicator.label),
            " ",
            *tags,
            id=heading_id,
        ),
        tx("p", indicator.group, class_="muted group") if indicator.group else "",
        el(
            "dl",
            *[el("div", tx("dt", label), tx("dd", value)) for label, value in numbers],
            class_="scores",
        ),
        el("p", _evidence_html(indicator.evidence), class_="evidence"),
        hints,
        _checklist(indicator, editable, _) if indicator.kind == "checklist" else "",
        tx("p", indicator.note, class_="note") if indicator.note else "",
        class_="indicator" + (" at-best" if indicator.at_best else ""),
        aria_labelledby=heading_id,
    )


def _figures_section(
    view: service.AssessmentView, editable: bool, _: Translate, language: str
) -> str:
    if not view.figures:
        return ""
    rows = []
    for figure in view.figures:
        control_id = f"figure-{figure.code}"
        state = ""
        if figure.entered is not None:
            role = _(service.ROLE_LABELS.get(figure.entered_role or "", ""))
            state = (
                _("Diisi {role}: {amount}", role=role, amount=rupiah(figure.entered, language))
                if figure.used
                else _(
                    "Diisi {role}, tetapi tidak dipakai: pembukuan sudah memuat angka ini.",
                    role=role,
                )
            )
        rows.append(
            field(
                _("{figure} (Rp)", figure=figure.label),
                el(
                    "input",
                    id=control_id,
                    name=figure.code,
                    data_figure=figure.code,
                    inputmode="numeric",
                    autocomplete="off",
                    maxlength=20,
                    value="" if figure.entered is None else str(figure.entered),
                    disabled=not editable,
                    aria_describedby=f"{control_id}-hint",
                ),
                control_id,
                " ".join(t for t in (figure.record, state) if t),
            )
        )
    return el(
        "fieldset",
        tx("legend", _("Angka yang tidak ada di pembukuan")),
        tx(
            "p",
            _(
                "Isi dari laporan keuangan atau catatan koperasi. Angka dari pembukuan selalu "
                "dipakai lebih dulu bila tersedia."
            ),
            class_="muted",
        ),
        *rows,
        class_="figures",
    )


def _assessment_section(
    view: service.AssessmentView, actor: Actor, _: Translate, language: str
) -> str:
    draft = view.status == service.DRAFT
    editable = draft
    version = _("versi {version}", version=view.version)
    facts_rows: list[tuple[str, str | None]] = [
        (_("Skema"), f"{view.scheme_name} ({version})"),
        (_("Tanggal penilaian"), long_date(view.as_of, language)),
        (_("Pendapatan dan beban"), view.period_text),
        (_("Status"), view.status_label),
        (
            _("Dimulai oleh"),
            " · ".join(
                t
                for t in (
                    view.created_by or "",
                    _(service.ROLE_LABELS.get(view.created_role, view.created_role)),
                    when(view.created_at, language) if view.created_at else "",
                )
                if t
            ),
        ),
        (_("Dihitung"), when(view.computed_at, language) if view.computed_at else None),
        (
            _("Difinalkan oleh"),
            " · ".join(
                t
                for t in (
                    view.finalised_by or "",
                    when(view.finalised_at, language) if view.finalised_at else "",
                )
                if t
            )
            or None,
        ),
    ]
    total = el(
        "div",
        tx("p", _("Skor total"), class_="total-label", id="total-label"),
        tx("p", view.total_text, class_="total-score", aria_describedby="total-label"),
        _category_tag(view.category, view.category_label),
        class_="total",
    )
    notes = "".join(
        tx("p", note, class_="notice provisional-note") for note in view.provisional_notes
    )
    aspect_rows = [
        el(
            "tr",
            el("th", tx("a", a.label, href=f"#aspect-{a.code}"), scope="row"),
            tx("td", number_text(Decimal(a.weight)) + "%", class_="num"),
            tx("td", a.score_text, class_="num"),
        )
        for a in view.aspects
    ]
    aspects_table = el(
        "div",
        el(
            "table",
            tx("caption", _("Skor per aspek")),
            el(
                "thead",
                el(
                    "tr",
                    tx("th", _("Aspek"), scope="col"),
                    tx("th", _("Bobot"), scope="col", class_="num"),
                    tx("th", _("Skor"), scope="col", class_="num"),
                ),
            ),
            el("tbody", *aspect_rows),
            el(
                "tfoot",
                el(
                    "tr",
                    tx("th", _("Total"), scope="row"),
                    tx("td", "100%", class_="num"),
                    tx("td", view.total_text, class_="num"),
                ),
            ),
            class_="table",
        ),
        class_="table-wrap",
    )
    blocks = []
    for aspect in view.aspects:
        inds = [i for i in view.indicators if i.aspect == aspect.code]
        blocks.append(
            el(
                "section",
                el(
                    "h3",
                    tx("span", aspect.label),
                    " ",
                    tx(
                        "span",
                        _(
                            "skor {score} dari bobot {weight}",
                            score=aspect.score_text,
                            weight=number_text(Decimal(aspect.weight)),
                        ),
                        class_="muted aspect-score",
                    ),
                    id=f"aspect-{aspect.code}",
                ),
                *[_indicator(i, view, editable, _) for i in inds],
                class_="aspect",
                aria_labelledby=f"aspect-{aspect.code}",
            )
        )
    actions = ""
    if draft:
        buttons = [
            tx("button", _("Simpan jawaban dan hitung"), type="submit", class_="button"),
            tx(
                "button",
                _("Hitung ulang dari pembukuan"),
                type="button",
                class_="button button-secondary",
                id="recompute",
            ),
        ]
        if actor.role is Role.DINAS:
            buttons.append(
                tx(
                    "button",
                    _("Finalkan penilaian"),
                    type="button",
                    class_="button",
                    id="finalise",
                    aria_describedby="finalise-hint",
                )
            )
        buttons.append(
            tx("button", _("Hapus draf"), type="button", class_="button button-danger", id="delete")
        )
        hint = (
            _(
                "Hanya petugas Dinas yang dapat memfinalkan, setelah semua butir dijawab. Belum "
                "dijawab: {count} butir.",
                count=view.unanswered,
            )
            if actor.role is Role.DINAS
            else _(
                "Setelah diisi, petugas Dinas Koperasi meninjau dan memfinalkan penilaian ini. "
                "Belum dijawab: {count} butir.",
                count=view.unanswered,
            )
        )
        actions = el(
            "div",
            tx("p", hint, id="finalise-hint", class_="muted"),
            el("div", *buttons, class_="actions"),
            class_="assessment-actions",
        )
    else:
        actions = tx(
            "p",
            _(
                "Penilaian ini sudah final dan tidak dapat diubah. Untuk koreksi, buat penilaian "
                "baru."
            ),
            class_="notice",
        )
    form = el(
        "form",
        *blocks,
        _figures_section(view, editable, _, language),
        actions,
        id="assessment-form",
        data_number=view.number,
        novalidate=True,
    )
    heading = _("Penilaian no. {number}", number=view.number)
    return panel(
        "assessment-heading",
        heading,
        el("div", class_="error-box message", role="alert"),
        el("div", class_="status-box message", role="status"),
        total,
        notes,
        facts(facts_rows),
        aspects_table,
        form,
        tx("p", _("Sumber aturan: {source}", source=view.scheme_source), class_="muted source"),
        id="assessment",
    )


def _list_section(
    summaries: list[service.AssessmentSummary],
    selected: int | None,
    language: str,
    _: Translate,
    link: str,
) -> str:
    if not summaries:
        return ""
    items = []
    for s in summaries:
        text = " · ".join(
            t
            for t in (
                _("No. {number}", number=s.number),
                long_date(s.as_of, language),
                s.scheme_name,
                s.status_label,
                score_text(Decimal(s.total_score), language),
                s.category_label,
            )
            if t
        )
        items.append(
            el(
                "li",
                tx(
                    "a",
                    text,
                    href=f"{link}penilaian={s.number}",
                    aria_current="true" if s.number == selected else None,
                ),
            )
        )
    return panel(
        "list-heading", _("Semua penilaian"), el("ul", *items, class_="plain-list assessments")
    )


async def _koperasi_main(
    place: service.Place, actor: Actor, selected: int | None, language: str, link: str, back: str
) -> tuple[str, int]:
    """The body of a koperasi's health page and its HTTP status."""
    _ = translator(language)
    points = await service.history(place.koperasi_id, language)
    summaries = await service.assessments(place.koperasi_id, language)
    draft = next((s.number for s in summaries if s.status == service.DRAFT), None)
    number = selected
    if number is None:
        number = draft if draft is not None else (summaries[0].number if summaries else None)
    assessment = ""
    status = 200
    if number is not None:
        try:
            view = await service.detail(place, number, language)
            assessment = _assessment_section(view, actor, _, language)
        except AppError as error:
            status = error.status
            assessment = tx("p", _(error.message), class_="error-box")
    main = (
        back
        + tx("h1", _("Penilaian kesehatan"))
        + tx("p", place.name, class_="lead")
        + noscript(_)
        + message_boxes()
        + el(
            "div",
            _trend_section(points, language, _, link),
            _start_section(draft, link, _, language),
            assessment,
            _list_section(summaries, number, language, _, link),
            class_="panels",
            id="health",
            data_api="/api/v1/health-assessments",
            data_query="" if actor.role is Role.PENGURUS else f"?koperasi={quote(place.slug)}",
            data_page=link.rstrip("?&"),
        )
    )
    return main, status


# --- the Dinas: the region ------------------------------------------------------------


def _region_section(rows: list[service.RegionRow], language: str, _: Translate) -> str:
    body_rows = []
    for row in rows:
        latest = row.latest
        result = tx("span", _("belum ada"), class_="muted")
        if latest is not None:
            result = el(
                "span",
                tx("strong", score_text(Decimal(latest.total_score), language)),
                " ",
                _category_tag(latest.category, latest.category_label),
                tx("span", long_date(latest.as_of, language), class_="cell-note"),
            )
        body_rows.append(
            el(
                "tr",
                el(
                    "th",
                    tx("a", row.name, href=f"{DINAS_PATH}/{row.slug}"),
                    " ",
                    tx("span", _("draf no. {number}", number=row.draft), class_="tag")
                    if row.draft
                    else "",
                    scope="row",
                ),
                el("td", result),
            )
        )
    table = el(
        "div",
        el(
            "table",
            tx("caption", _("Penilaian final terakhir tiap koperasi")),
            el(
                "thead",
                el(
                    "tr",
                    tx("th", _("Koperasi"), scope="col"),
                    tx("th", _("Penilaian final terakhir"), scope="col"),
                ),
            ),
            el("tbody", *body_rows),
            class_="table region-table",
        ),
        class_="table-wrap",
        tabindex="0",
        role="region",
        aria_label=_("Tabel kesehatan koperasi se-wilayah"),
    )
    return panel("region-heading", _("Koperasi di wilayah Anda"), table)


def _settings_section(settings: service.RegionSettings, language: str, _: Translate) -> str:
    atmr_rows = []
    for row in settings.atmr:
        control_id = f"atmr-{row.account}"
        current = (
            share_text(Decimal(row.region_bp) / 100, language)
            if row.region_bp is not None
            else _("bawaan")
        )
        atmr_rows.append(
            el(
                "li",
                el(
                    "form",
                    tx("label", f"{row.account} {row.name}", for_=control_id),
                    el(
                        "div",
                        el(
                            "input",
                            id=control_id,
                            type="number",
                            min=0,
                            max=100,
                            step="0.01",
                            inputmode="decimal",
                            value=""
                            if row.region_bp is None
                            else str(Decimal(row.region_bp) / 100),
                            placeholder=str(Decimal(row.default_bp) / 100),
                            aria_describedby=f"{control_id}-hint",
                        ),
                        tx("span", "%", aria_hidden="true"),
                        tx(
                            "button",
                            _("Simpan"),
                            type="submit",
                            class_="button button-secondary",
                            aria_label=_("Simpan bobot {account}", account=row.account),
                        ),
                        class_="inline",
                    ),
                    tx(
                        "p",
                        _(
                            "Bawaan aturan {default}; wilayah: {current}.",
                            default=share_text(Decimal(row.default_bp) / 100, language),
                            current=current,
                        ),
                        id=f"{control_id}-hint",
                        class_="hint",
                    ),
                    class_="atmr-form",
                    data_account=row.account,
                ),
            )
        )
    confirm_rows = []
    for rule in settings.rows:
        control_id = f"confirm-{rule.scheme}-{rule.row}".replace("_", "-")
        confirm_rows.append(
            el(
                "li",
                el(
                    "input",
                    type="checkbox",
                    id=control_id,
                    checked=rule.confirmed,
                    data_scheme=rule.scheme,
                    data_version=rule.version,
                    data_row=rule.row,
                    class_="confirm-row",
                ),
                tx("label", f"{rule.scheme_name}: {rule.label}", for_=control_id),
                class_="check-item",
            )
        )
    return panel(
        "settings-heading",
        _("Aturan wilayah"),
        el("div", class_="error-box message", role="alert"),
        el("div", class_="status-box message", role="status"),
        tx("h3", _("Bobot risiko ATMR")),
        tx("p", settings.atmr_note, class_="muted"),
        el("ul", *atmr_rows, class_="plain-list atmr"),
        tx("h3", _("Baris aturan berkeyakinan rendah")),
        tx(
            "p",
            _(
                "Baris yang belum dikonfirmasi ditampilkan sebagai \u201csementara\u201d di setiap "
                "penilaian koperasi wilayah ini. Centang setelah Anda memeriksa aturannya."
            ),
            class_="muted",
        ),
        el("ul", *confirm_rows, class_="plain-list confirmations"),
        id="settings",
    )


# --- routes ---------------------------------------------------------------------------

Selected = Annotated[int | None, QueryParameter(gt=0, le=2**31 - 1)]


@get(OWN_PATH, include_in_schema=False, opt=PAGE, name="health_page")
async def health_page(request: Request[Any, Any, Any], penilaian: Selected = None) -> Response[Any]:
    user = user_of(request)
    if user is None:
        return sign_in_redirect(request)
    language = language_of_request(request)
    _ = translator(language)
    actor = user.actor
    if actor is None or actor.role not in (Role.PENGURUS, Role.DINAS):
        return refusal_page(request, user, language, 403, _("Penilaian kesehatan"), _(NOT_ALLOWED))
    if actor.role is Role.DINAS:
        rows = await service.region_latest(actor.region_id, language)
        settings = await service.region_settings(actor.region_id, language, today())
        main = (
            tx("h1", _("Kesehatan koperasi"))
            + tx(
                "p",
                _("Pilih koperasi untuk meninjau, menjawab dan memfinalkan penilaiannya."),
                class_="lead",
            )
            + noscript(_)
            + message_boxes()
            + el(
                "div",
                _region_section(rows, language, _),
                _settings_section(settings, language, _),
                class_="panels",
                id="health-region",
                data_api="/api/v1/health-assessments",
            )
        )
        return _page(request, user, language, _("Kesehatan koperasi"), main)
    try:
        place = await service.place_for(actor, None)
    except AppError as error:
        return _refuse(request, user, language, error)
    main, status = await _koperasi_main(place, actor, penilaian, language, f"{OWN_PATH}?", "")
    response = _page(request, user, language, _("Penilaian kesehatan"), main)
    response.status_code = status
    return response


@get(DINAS_PATH + "/{slug:str}", include_in_schema=False, opt=PAGE, name="health_dinas_page")
async def health_dinas_page(
    request: Request[Any, Any, Any],
    slug: Annotated[str, PathParameter(max_length=80)],
    penilaian: Selected = None,
) -> Response[Any]:
    user = user_of(request)
    if user is None:
        return sign_in_redirect(request)
    language = language_of_request(request)
    _ = translator(language)
    actor = user.actor
    if actor is None or actor.role is not Role.DINAS:
        return refusal_page(
            request,
            user,
            language,
            403,
            _("Penilaian kesehatan"),
            _("Halaman ini untuk petugas Dinas Koperasi. Pengurus membuka halaman Kesehatan."),
        )
    try:
        place = await service.place_for(actor, slug)
    except AppError as error:
        return _refuse(request, user, language, error)
    back = el(
        "p",
        tx("a", _("← Semua koperasi di wilayah"), href=OWN_PATH),
        class_="breadcrumb",
    )
    main, status = await _koperasi_main(
        place, actor, penilaian, language, f"{DINAS_PATH}/{quote(place.slug)}?", back
    )
    response = _page(request, user, language, _("Penilaian kesehatan") + " · " + place.name, main)
    response.status_code = status
    return response


HEALTH_PAGES = [health_page, health_dinas_page]
