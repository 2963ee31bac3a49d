"""The books pages (pembukuan): statements (`/pembukuan`), the general journal
(`/pembukuan/jurnal`) and the chart of accounts (`/pembukuan/akun`). Plain HTML with a
small script (static/books.js) that calls /api/v1/books for every change. Pengurus keep
their own koperasi's books; Dinas officers read any koperasi of their region
(`?koperasi=<slug>`); anyone else gets a refusal page."""

from frontend.books.chart_page import chart_page
from frontend.books.journal_page import journal_page
from frontend.books.reports import reports_page

BOOKS_PAGES = [reports_page, journal_page, chart_page]

__all__ = ["BOOKS_PAGES", "chart_page", "journal_page", "reports_page"]
