"""Statements as PDF (fpdf2) and Excel (XlsxWriter) files, with the koperasi's name, the
period and Indonesian number formats. Both render the same `Report` rows, so the files
always say what the statement says."""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import date

import xlsxwriter
from fpdf import FPDF

from backend.formatting import long_date, rupiah
from backend.i18n import Translate
from backend.ledger.cashflow import ArusKas
from backend.ledger.service import AccountBalance
from backend.ledger.statements import EquityChanges, GeneralLedger, Neraca, Phu, Section


@dataclass(frozen=True)
class ReportRow:
    kind: str  # "heading", "line" or "total"
    label: str
    code: str = ""
    amounts: list[int] = field(default_factory=list)


@dataclass(frozen=True)
class Report:
    title: str
    koperasi: str
    subtitle: str
    columns: list[str]
    rows: list[ReportRow]


def _section_rows(section: Section, total_label: str, _: Translate) -> list[ReportRow]:
    rows = [ReportRow("heading", _(section.title))]
    rows += [ReportRow("line", _(line.name), line.code, line.amounts) for line in section.lines]
    rows.append(ReportRow("total", total_label, amounts=section.totals))
    return rows


def neraca_report(sheet: Neraca, koperasi: str, _: Translate, language: str) -> Report:
    rows = [
        *_section_rows(sheet.aset, _("Jumlah aset"), _),
        *_section_rows(sheet.kewajiban, _("Jumlah kewajiban"), _),
        *_section_rows(sheet.ekuitas, _("Jumlah ekuitas"), _),
        ReportRow(
            "total", _("Jumlah kewajiban dan ekuitas"), amounts=sheet.total_kewajiban_ekuitas
        ),
    ]
    return Report(
        title=_("Neraca"),
        koperasi=koperasi,
        subtitle=_("Per {date}", date=long_date(sheet.dates[0], language)),
        columns=[long_date(d, language) for d in sheet.dates],
        rows=rows,
    )


def phu_report(income: Phu, koperasi: str, _: Translate, language: str) -> Report:
    rows = [
        *_section_rows(income.pendapatan, _("Jumlah pendapatan"), _),
        *_section_rows(income.beban, _("Jumlah beban"), _),
        ReportRow("total", _("Sisa hasil usaha (SHU)"), amounts=income.shu),
    ]
    return Report(
        title=_("Perhitungan Hasil Usaha"),
        koperasi=koperasi,
        subtitle=_span(income.windows[0], language),
        columns=[_span(w, language) for w in income.windows],
        rows=rows,
    )


def _span(window: tuple[date, date], language: str) -> str:
    return f"{long_date(window[0], language)} – {long_date(window[1], language)}"


def cash_flow_report(flows: ArusKas, koperasi: str, _: Translate, language: str) -> Report:
    rows = [ReportRow("line", _("Kas dan bank awal periode"), amounts=flows.opening_cash)]
    for section in flows.sections:
        rows += _section_rows(section, _("Arus kas bersih"), _)
    rows += [
        ReportRow("total", _("Kenaikan (penurunan) kas bersih"), amounts=flows.net_change),
        ReportRow("total", _("Kas dan bank akhir periode"), amounts=flows.closing_cash),
    ]
    return Report(
        title=_("Laporan Arus Kas"),
        koperasi=koperasi,
        subtitle=_span(flows.windows[0], language),
        columns=[_span(w, language) for w in flows.windows],
        rows=rows,
    )


def equity_report(changes: EquityChanges, koperasi: str, _: Translate, language: str) -> Report:
    rows = [
        ReportRow("line", _(row.name), row.code, [row.opening, row.change, row.closing])
        for row in changes.rows
    ]
    rows.append(
        ReportRow(
            "total", _("Jumlah ekuitas"), amounts=[changes.opening, changes.change, changes.closing]
        )
    )
    return Report(
        title=_("Laporan Perubahan Ekuitas"),
        koperasi=koperasi,
        subtitle=_span((changes.since, changes.until), language),
        columns=[_("Awal"), _("Perubahan"), _("Akhir")],
        rows=rows,
    )


def trial_balance_report(
    balances: list[AccountBalance], until: date, koperasi: str, _: Translate, language: str
) -> Report:
    """Neraca saldo: each account's net balance on its debit or credit side."""
    rows = []
    for b in balances:
        net = b.debit - b.credit
        if net:
            rows.append(ReportRow("line", _(b.name), b.code, [max(net, 0), max(-net, 0)]))
    debit = sum(row.amounts[0] for row in rows)
    credit = sum(row.amounts[1] for row in rows)
    rows.append(ReportRow("total", _("Jumlah"), amounts=[debit, credit]))
    return Report(
        title=_("Neraca Saldo"),
        koperasi=koperasi,
        subtitle=_("Per {date}", date=long_date(until, language)),
        columns=[_("Debit"), _("Kredit")],
        rows=rows,
    )


def ledger_report(book: GeneralLedger, koperasi: str, _: Translate, language: str) -> Report:
    rows = [ReportRow("line", _("Saldo awal"), amounts=[0, 0, book.opening])]
    rows += [
        ReportRow(
            "line",
            f"{row.entry_date.strftime('%d/%m/%Y')} #{row.number} {row.description}",
            amounts=[row.debit, row.credit, row.balance],
        )
        for row in book.rows
    ]
    rows.append(
        ReportRow(
            "total",
            _("Saldo akhir"),
            amounts=[
                sum(r.debit for r in book.rows),
                sum(r.credit for r in book.rows),
                book.closing,
            ],
        )
    )
    return Report(
        title=_("Buku Besar {code} {name}", code=book.code, name=_(book.name)),
        koperasi=koperasi,
        subtitle=_span((book.since, book.until), language),
        columns=[_("Debit"), _("Kredit"), _("Saldo")],
        rows=rows,
    )


def _fit(pdf: FPDF, text: str, width: float) -> str:
    """Cut a label to its cell (fpdf2 cells do not clip)."""
    if pdf.get_string_width(text) <= width - 2:
        return text
    while text and pdf.get_string_width(text + "...") > width - 2:
        text = text[:-1]
    return text + "..."


def _latin1(text: str) -> str:
    # The PDF's built-in Helvetica speaks Latin-1 only; dashes and such become ASCII.
    return text.replace("–", "-").replace("—", "-").encode("latin-1", "replace").decode("latin-1")


def to_pdf(report: Report) -> bytes:
    pdf = FPDF(orientation="portrait", unit="mm", format="A4")
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 14)
    pdf.cell(0, 8, _latin1(report.koperasi), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "B", 12)
    pdf.cell(0, 7, _latin1(report.title), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "", 10)
    pdf.cell(0, 6, _latin1(report.subtitle), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)
    amount_width = 38.0 if len(report.columns) < 3 else 32.0
    label_width = pdf.epw - amount_width * len(report.columns)
    pdf.set_font("Helvetica", "B", 9)
    pdf.cell(label_width, 6, "")
    for column in report.columns:
        pdf.cell(amount_width, 6, _latin1(column), align="R")
    pdf.ln()
    for row in report.rows:
        style = "" if row.kind == "line" else "B"
        pdf.set_font("Helvetica", style, 9)
        label = f"{row.code}  {row.label}" if row.code else row.label
        indent = "    " if row.kind == "line" else ""
        pdf.cell(label_width, 5.5, _fit(pdf, _latin1(indent + label), label_width))
        for amount in row.amounts:
            pdf.cell(amount_width, 5.5, rupiah(amount), align="R")
        pdf.ln()
    return bytes(pdf.output())


def to_xlsx(report: Report) -> bytes:
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = workbook.add_worksheet(
        report.title[:31].translate(str.maketrans("[]:*?/\\", "()-----"))
    )
    bold = workbook.add_format({"bold": True})
    money = workbook.add_format({"num_format": '"Rp" #,##0;-"Rp" #,##0;"Rp" 0'})
    money_bold = workbook.add_format({"num_format": '"Rp" #,##0;-"Rp" #,##0;"Rp" 0', "bold": True})
    sheet.write(0, 0, report.koperasi, bold)
    sheet.write(1, 0, report.title, bold)
    sheet.write(2, 0, report.subtitle)
    for c, column in enumerate(report.columns):
        sheet.write(4, 2 + c, column, bold)
    for r, row in enumerate(report.rows, start=5):
        sheet.write(r, 0, row.code)
        sheet.write(r, 1, row.label, None if row.kind == "line" else bold)
        for c, amount in enumerate(row.amounts):
            sheet.write_number(r, 2 + c, amount, money if row.kind == "line" else money_bold)
    sheet.set_column(0, 0, 10)
    sheet.set_column(1, 1, 45)
    sheet.set_column(2, 1 + len(report.columns), 22)
    workbook.close()
    return buffer.getvalue()
