"""The loans API and pages over HTTP on both engines: an anggota previews and applies for
themself (never for someone else), the pengurus sees the schedule before approving, pays
out, the kasir takes a payment (and nothing else), the member's page shows the balance and
the next due date; a Dinas officer reads only the collectibility summary; refused inputs
answer in the one error shape and write nothing."""

from __future__ import annotations

from dataclasses import replace
from html import unescape
from typing import Any

import httpx

from backend.accounts.domain import Role
from backend.formatting import long_date
from backend.loans.api import today
from backend.loans.domain import add_months
from backend.loans.tables import Loan, LoanPayment, LoanProduct
from backend.settings import Settings
from tests.integration.test_savings_history import ORIGIN, koperasi, member_id
from tests.support.client import app_client
from tests.support.sessions import as_person, person

PRODUCT = {
    "name": "Pinjaman Produktif",
    "method": "menurun",
    "monthly_rate_bp": 150,
    "min_term_months": 3,
    "max_term_months": 24,
    "min_amount": 500_000,
    "max_amount": 20_000_000,
    "provisi_bp": 100,
    "admin_fee": 25_000,
    "penalty_bp_per_day": 10,
    "savings_multiple_bp": 0,
}


def error_code(response: httpx.Response) -> str:
    body = response.json()
    assert set(body) == {"error"}, body
    return str(body["error"]["code"])


def page_text(response: httpx.Response) -> str:
    assert response.status_code == 200, response.text
    assert response.headers["cache-control"] == "no-store"
    return unescape(response.text)


async def test_apply_approve_disburse_pay_over_http(demo: Settings) -> None:
    settings = replace(demo, auth_attempts_per_minute=1000)
    k, region = await koperasi("ksp-artha-mandiri")
    member = await member_id(k, "A-0001")
    pengurus = await person(settings, Role.PENGURUS, k, region, name="Pengurus Artha")
    kasir = await person(settings, Role.KASIR, k, region, name="Kasir Artha")
    anggota = await person(settings, Role.ANGGOTA, k, region, member=member, name="Anggota Siti")
    dinas = await person(settings, Role.DINAS, None, region, name="Dinas Kota")
    day = today()
    async with app_client(settings, origin=ORIGIN) as client:

        async def as_(who: tuple[str, str], method: str, path: str, **kw: Any) -> httpx.Response:
            as_person(client, who)
            return await client.request(method, path, **kw)

        # Products: pengurus only.
        assert (await as_(kasir, "POST", "/api/v1/loans/products", json=PRODUCT)).status_code == 403
        made = await as_(pengurus, "POST", "/api/v1/loans/products", json=PRODUCT)
        assert made.status_code == 201, made.text
        product = made.json()
        assert product["method_label"] == "Bunga menurun"
        bad = await as_(
            pengurus,
            "POST",
            "/api/v1/loans/products",
            json={**PRODUCT, "name": "Lain", "min_term_months": 30},
        )
        assert bad.status_code in (400, 422) and "error" in bad.json()
        listed = (await as_(anggota, "GET", "/api/v1/loans/products")).json()
        assert [p["name"] for p in listed] == ["Pinjaman Produktif"]

        # The anggota previews, then applies for themself.
        body = {"product_id": product["id"], "principal": 3_000_000, "term_months": 6}
        shown = await as_(anggota, "POST", "/api/v1/loans/preview", json=body)
        assert shown.status_code == 200, shown.text
        preview = shown.json()
        assert len(preview["schedule"]) == 6 and preview["fees"] == 55_000
        assert preview["schedule"][0]["interest"] == 45_000  # 1,5% of 3.000.000
        assert preview["limit"]["available"] is None  # no savings rule on this product
        other = await as_(
            anggota, "POST", "/api/v1/loans/applications", json={**body, "member_number": "A-0002"}
        )
        assert other.status_code == 403 and error_code(other) == "own_member_only"
        assert await Loan.count() == 0
        for wrong in (
            {**body, "principal": 0},
            {**body, "principal": -5},
            {**body, "term_months": 0},
        ):
            refused = await as_(anggota, "POST", "/api/v1/loans/applications", json=wrong)
            assert refused.status_code == 400 and "error" in refused.json()
        assert await Loan.count() == 0
        applied = await as_(
            anggota, "POST", "/api/v1/loans/applications", json={**body, "purpose": "Modal usaha"}
        )
        assert applied.status_code == 201, applied.text
        assert applied.json()["code"] == "P-000001"
        html = page_text(await as_(anggota, "GET", "/pinjaman"))
        assert "P-000001" in html and "Menunggu keputusan pengurus." in html
        assert 'data-action="cancel"' in html and "/static/loans.js" in html
        assert "Ajukan pinjaman" in html and "Lihat simulasi" in html

        # The kasir may not decide; the pengurus sees the schedule first, then approves.
        assert (await as_(kasir, "POST", "/api/v1/loans/1/approve", json={})).status_code == 403
        assert (await as_(anggota, "POST", "/api/v1/loans/1/approve", json={})).status_code == 403
        html = page_text(await as_(pengurus, "GET", "/pinjaman/kelola?pinjaman=1"))
        assert "Simulasi jadwal angsuran (jika dicairkan hari ini)" in html
        assert "Setujui" in html and "Tolak" in html and "Rp 3.000.000" in html
        first_due = add_months(day, 1)
        assert long_date(first_due) in html
        ok = await as_(pengurus, "POST", "/api/v1/loans/1/approve", json={"note": "Jaminan ada"})
        assert ok.status_code == 200 and ok.json()["status"] == "disetujui"
        future = {"disbursed_on": add_months(day, 1).isoformat()}
        late = await as_(pengurus, "POST", "/api/v1/loans/1/disburse", json=future)
        assert late.status_code == 422 and error_code(late) == "date_in_future"
        paid_out = await as_(pengurus, "POST", "/api/v1/loans/1/disburse", json={})
        assert paid_out.status_code == 201, paid_out.text
        assert paid_out.json()["net_disbursed"] == 2_945_000

        # The kasir takes a payment: the split first, then the payment.
        split = await as_(
            kasir, "POST", "/api/v1/loans/1/payments/preview", json={"amount": 545_000}
        )
        assert split.status_code == 200, split.text
        assert (split.json()["interest"], split.json()["principal"]) == (45_000, 500_000)
        assert await LoanPayment.count() == 0
        zero = await as_(kasir, "POST", "/api/v1/loans/1/payments", json={"amount": 0})
        assert zero.status_code == 400
        too_much = await as_(kasir, "POST", "/api/v1/loans/1/payments", json={"amount": 10**9})
        assert too_much.status_code == 409 and error_code(too_much) == "overpayment"
        paid = await as_(kasir, "POST", "/api/v1/loans/1/payments", json={"amount": 545_000})
        assert paid.status_code == 201, paid.text
        assert paid.json()["receipt"] == "PA-000001"
        for path, payload in (
            ("/api/v1/loans/1/write-off", {"note": "x"}),
            ("/api/v1/loans/1/payments/1/reversal", {"reason": "x"}),
        ):
            refused = await as_(kasir, "POST", path, json=payload)
            assert refused.status_code == 403, refused.text
        assert (await as_(kasir, "GET", "/api/v1/loans/arrears")).status_code == 403
        html = page_text(await as_(kasir, "GET", "/pinjaman/kelola?pinjaman=1"))
        assert "Angsuran pinjaman" in html and "Terima angsuran" in html
        assert 'id="payment-form"' in html and 'id="payoff-form"' in html
        for pengurus_only in ("write-off-form", "product-form", "decision-form", "apply-form"):
            assert f'id="{pengurus_only}"' not in html
        assert "Hapus buku" not in html and "Produk pinjaman" not in html
        quote = (await as_(kasir, "GET", "/api/v1/loans/1/payoff")).json()
        assert quote["principal"] == 2_500_000 and quote["kind"] == "pelunasan"

        # The member sees what is left and when the next installment is due.
        mine = (await as_(anggota, "GET", "/api/v1/loans/mine")).json()
        assert mine[0]["loan"]["outstanding"] == 2_500_000
        assert mine[0]["loan"]["next_due_date"] == add_months(day, 2, day.day).isoformat()
        html = page_text(await as_(anggota, "GET", "/pinjaman"))
        assert "Sisa pokok" in html and "Rp 2.500.000" in html
        assert f"jatuh tempo {long_date(add_months(day, 2, day.day))}" in html
        assert "PA-000001" in html and "Lunas" in html
        own = await as_(anggota, "GET", "/api/v1/loans/1")
        assert own.status_code == 200 and own.json()["loan"]["code"] == "P-000001"
        assert (await as_(anggota, "GET", "/api/v1/loans")).status_code == 403
        assert (
            await as_(anggota, "POST", "/api/v1/loans/1/payments", json={"amount": 1})
        ).status_code == 403
        redirect = await as_(anggota, "GET", "/pinjaman/kelola")
        assert redirect.status_code == 403

        # The pengurus page: running loans, arrears, collectibility, products.
        html = page_text(await as_(pengurus, "GET", "/pinjaman/kelola"))
        for heading in (
            "Pinjaman berjalan",
            "Pengajuan",
            "Ajukan untuk anggota",
            "Tunggakan pinjaman",
            "Kolektibilitas dan PPAP",
            "Produk pinjaman",
        ):
            assert heading in html, heading
        assert "P-000001" in html and "Lancar" in html
        assert "Angka ini perlu diverifikasi." in html
        # 0,5% of the 2.500.000 still owed (lancar).
        assert "Rp 12.500" in html
        counter = await as_(kasir, "GET", "/pinjaman")
        assert counter.status_code == 303 and counter.headers["location"] == "/pinjaman/kelola"

        # Dinas: the summary of a koperasi of the region, nothing else.
        summary = await as_(
            dinas, "GET", "/api/v1/loans/summary", params={"koperasi": "ksp-artha-mandiri"}
        )
        assert summary.status_code == 200, summary.text
        assert summary.json()["summary"]["ppap_required"] == 12_500
        assert (await as_(dinas, "GET", "/api/v1/loans/1")).status_code == 403
        assert (await as_(dinas, "GET", "/pinjaman/kelola")).status_code == 403
        assert (await as_(dinas, "GET", "/pinjaman")).status_code == 403
        assert await LoanProduct.count() == 1
