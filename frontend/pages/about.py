"""Tentang: what Koroena is and what is in it today."""

from __future__ import annotations

from typing import Any

from reactpy import component, html

from frontend.components import page_frame, use_i18n


@component
def AboutPage() -> Any:
    language, _ = use_i18n()
    return page_frame(
        language,
        _,
        html.article(
            html.h1(_("Tentang Koroena")),
            html.p(
                _(
                    "Koroena adalah aplikasi koperasi yang bisa dipasang di ponsel: kasir "
                    "berjualan walau tanpa sinyal, pengurus mengelola anggota dan pembukuan, "
                    "anggota melihat simpanan dan pinjamannya, dan Dinas Koperasi memantau "
                    "seluruh koperasi di wilayahnya."
                )
            ),
            html.h2(_("Pasang di ponsel")),
            html.p(
                _(
                    "Buka menu peramban lalu pilih “Tambahkan ke layar utama”. Halaman yang "
                    "pernah dibuka tetap tampil saat tidak ada sinyal."
                )
            ),
            html.h2(_("Untuk pengembang")),
            html.p(
                _("Dokumentasi API tersedia di "),
                html.a({"href": "/api/docs"}, "/api/docs"),
                ".",
            ),
        ),
    )
