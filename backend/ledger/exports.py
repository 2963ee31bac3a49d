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
from backend.ledger.statements import Neraca, Phu, Section


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
    def span(window: tuple[date, date]) -> str:
        return f"{long_date(window[0], language)} – {long_date(window[1], language)}"

    rows = [
        *_section_rows(income.pendapatan, _("Jumlah pendapatan"), _),
        *_section_rows(income.beban, _("Jumlah beban"), _),
        ReportRow("total", _("Sisa hasil usaha (SHU)"), amounts=income.shu),
    ]
    return Report(
        title=_("Perhitungan Hasil Usaha"),
        koperasi=koperasi,
        subtitle=span(income.windows[0]),
        columns=[span(w) for w in income.windows],
        rows=rows,
    )


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
    amount_width = 38.0
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
        pdf.cell(label_width, 5.5, _latin1(indent + label))
        for amount in row.amounts:
            pdf.cell(amount_width, 5.5, rupiah(amount), align="R")
        pdf.ln()
    return bytes(pdf.output())


def to_xlsx(report: Report) -> bytes:
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = workbook.add_worksheet(report.title[:31])
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
