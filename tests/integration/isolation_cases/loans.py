"""Isolation cases of the loans routes and pages: K2's loans (of "Anggota Rahasia",
X-0001; loan P-000003 of Rp 7.777.000, paid out, with a payment) and its product are never
readable or changeable from K1 (loan numbers run per koperasi: K1 has no loan 3); an anggota
reads and withdraws only their own loans and applies only for themself; kasir take
payments but decide nothing; a Dinas officer reads only the collectibility summary of the
koperasi of their region.

The loans are made when the cases run (`_world_loans`, idempotent per world)."""

from __future__ import annotations

from datetime import date

import httpx

from backend.accounts.domain import Role
from backend.accounts.tables import RoleGrant
from backend.loans import service as loans
from backend.loans.domain import Method, ProductTerms
from backend.loans.tables import Loan, LoanPayment, LoanPaymentReversal, LoanProduct
from backend.members.tables import Member
from tests.support.isolation import Case, World, counter_staff, refused

SECRETS = ("Anggota Rahasia", "X-0001", "7.777.000", "7777000", "Produk Rahasia")
FOREIGN = 3  # a loan number only K2 has


def _terms(name: str) -> ProductTerms:
    return ProductTerms(
        name=name,
        method=Method.FLAT,
        monthly_rate_bp=150,
        min_term_months=1,
        max_term_months=24,
        provisi_bp=0,
        admin_fee=0,
        penalty_bp_per_day=10,
        min_amount=100_000,
        max_amount=50_000_000,
        savings_multiple_bp=0,
    )


async def _own_member(world: World) -> str:
    row = (
        await RoleGrant.select(RoleGrant.member.member_number.as_alias("member_number"))
        .where(RoleGrant.id == world.mine[Role.ANGGOTA].grant_id)
        .first()
    )
    assert row is not None
    return str(row["member_number"])


async def _other_member(world: World) -> str:
    mine = await _own_member(world)
    row = (
        await Member.select(Member.member_number)
        .where((Member.koperasi == world.k1) & (Member.member_number != mine))
        .order_by(Member.member_number)
        .first()
    )
    assert row is not None
    return str(row["member_number"])


async def _world_loans(world: World) -> dict[str, int]:
    """K2: product "Produk Rahasia", loans 1 and 2 (applied) and 3 (Rp 7.777.000, paid out,
    payment PA-000001). K1: loan 1 of the anggota under test (paid out, one payment),
    loan 2 of another K1 member (applied). Returns the product ids."""
    if not await LoanProduct.exists().where(LoanProduct.koperasi == world.k2):
        secret = await loans.create_product(world.k2, _terms("Produk Rahasia"))
        for amount in (1_111_000, 2_222_000, 7_777_000):
            await loans.apply(world.k2, "X-0001", secret.id, amount, 12, date(2026, 1, 20))
        await loans.approve(world.k2, FOREIGN, date(2026, 1, 25))
        await loans.disburse(world.k2, FOREIGN, date(2026, 2, 1))
        await loans.pay(world.k2, FOREIGN, 100_000, date(2026, 3, 1))
        own = await loans.create_product(world.k1, _terms("Pinjaman Srikandi"))
        await loans.apply(
            world.k1, await _own_member(world), own.id, 1_500_000, 6, date(2026, 1, 20)
        )
        await loans.approve(world.k1, 1, date(2026, 1, 25))
        await loans.disburse(world.k1, 1, date(2026, 2, 1))
        await loans.pay(world.k1, 1, 50_000, date(2026, 3, 1))
        await loans.apply(
            world.k1, await _other_member(world), own.id, 2_000_000, 6, date(2026, 2, 2)
        )
    rows = await LoanProduct.select(LoanProduct.id, LoanProduct.koperasi.as_alias("k"))
    return {
        ("k1" if r["k"] == world.k1 else "k2"): int(r["id"])
        for r in rows
        if r["k"] in (world.k1, world.k2)
    }


def _secret_free(response: httpx.Response, asked: str = "") -> None:
    """None of K2's secrets (but what the request itself carried, which the page may echo
    in its language link or search box)."""
    for secret in SECRETS:
        if secret != asked:
            assert secret not in response.text, secret


async def _k2_unchanged(world: World) -> None:
    rows = await Loan.select(Loan.number, Loan.status).where(Loan.koperasi == world.k2)
    assert {(r["number"], r["status"]) for r in rows} == {
        (1, "diajukan"),
        (2, "diajukan"),
        (3, "dicairkan"),
    }
    assert await LoanPayment.count().where(LoanPayment.koperasi == world.k2) == 1
    assert not await LoanPaymentReversal.exists().where(LoanPaymentReversal.koperasi == world.k2)
    products = await LoanProduct.select(LoanProduct.name, LoanProduct.monthly_rate_bp).where(
        LoanProduct.koperasi == world.k2
    )
    assert products == [{"name": "Produk Rahasia", "monthly_rate_bp": 150}]


def _product_body(name: str) -> dict[str, object]:
    return {
        "name": name,
        "method": "flat",
        "monthly_rate_bp": 100,
        "min_term_months": 1,
        "max_term_months": 12,
        "min_amount": 100_000,
        "max_amount": 9_000_000,
    }


async def list_products(client: httpx.AsyncClient, world: World, role: Role) -> None:
    await _world_loans(world)
    response = await client.get("/api/v1/loans/products")
    _secret_free(response)
    if role is Role.DINAS:
        refused(response)
    else:
        assert response.status_code == 200, response.text
        assert [p["name"] for p in response.json()] == ["Pinjaman Srikandi"]


async def create_product(client: httpx.AsyncClient, world: World, role: Role) -> None:
    await _world_loans(world)
    response = await client.post("/api/v1/loans/products", json=_product_body("Produk Rahasia"))
    if role is Role.PENGURUS:
        assert response.status_code == 201  # in K1, where the name is free
        assert response.json()["name"] == "Produk Rahasia"
        await LoanProduct.delete().where(
            (LoanProduct.koperasi == world.k1) & (LoanProduct.name == "Produk Rahasia")
        )  # test cleanup
    else:
        refused(response)
    await _k2_unchanged(world)


async def change_product(client: httpx.AsyncClient, world: World, role: Role) -> None:
    ids = await _world_loans(world)
    response = await client.put(
        f"/api/v1/loans/products/{ids['k2']}", json=_product_body("Diambil alih")
    )
    refused(response)
    _secret_free(response)
    await _k2_unchanged(world)


async def preview(client: httpx.AsyncClient, world: World, role: Role) -> None:
    ids = await _world_loans(world)
    for body in (
        {"product_id": ids["k2"], "principal": 1_000_000, "term_months": 6},
        {
            "product_id": ids["k1"],
            "principal": 1_000_000,
            "term_months": 6,
            "member_number": "X-0001",
        },
    ):
        response = await client.post("/api/v1/loans/preview", json=body)
        _secret_free(response)
        if role is Role.ANGGOTA and "member_number" in body:
            # An anggota's preview is always their own (the number sent is ignored).
            assert response.status_code == 200
        else:
            refused(response)


async def apply(client: httpx.AsyncClient, world: World, role: Role) -> None:
    ids = await _world_loans(world)
    before = await Loan.count()
    own, other = await _own_member(world), await _other_member(world)
    k1_product = {"product_id": ids["k1"], "principal": 1_000_000, "term_months": 6}
    foreign_member = {**k1_product, "member_number": "X-0001"}
    foreign_product = {**k1_product, "product_id": ids["k2"], "member_number": own}
    for_another = {**k1_product, "member_number": other}
    for body in (foreign_member, foreign_product, for_another):
        response = await client.post("/api/v1/loans/applications", json=body)
        _secret_free(response)
        if role is Role.PENGURUS and body is for_another:
            assert response.status_code == 201  # any member of their own koperasi
            await Loan.delete().where(
                (Loan.koperasi == world.k1) & (Loan.number == response.json()["number"])
            )  # test cleanup
        else:
            refused(response)
    assert await Loan.count() == before
    await _k2_unchanged(world)


async def list_loans(client: httpx.AsyncClient, world: World, role: Role) -> None:
    await _world_loans(world)
    for params in ({}, {"member": "X-0001"}, {"limit": 500}):
        response = await client.get("/api/v1/loans", params=params)
        _secret_free(response)
        if counter_staff(role):
            assert response.status_code == 200
            codes = [s["code"] for s in response.json()]
            assert codes == ([] if params.get("member") else ["P-000002", "P-000001"])
        else:
            refused(response)


async def my_loans(client: httpx.AsyncClient, world: World, role: Role) -> None:
    await _world_loans(world)
    response = await client.get("/api/v1/loans/mine")
    _secret_free(response)
    if role is not Role.ANGGOTA:
        refused(response)
        return
    assert [(d["loan"]["code"], d["loan"]["principal"]) for d in response.json()] == [
        ("P-000001", 1_500_000)
    ]


async def arrears(client: httpx.AsyncClient, world: World, role: Role) -> None:
    await _world_loans(world)
    response = await client.get("/api/v1/loans/arrears")
    _secret_free(response)
    if role is Role.PENGURUS:
        assert response.status_code == 200
        assert {r["loan_code"] for r in response.json()} <= {"P-000001"}
    else:
        refused(response)


async def summary(client: httpx.AsyncClient, world: World, role: Role) -> None:
    await _world_loans(world)
    own = await client.get("/api/v1/loans/summary")
    if role is Role.PENGURUS:
        assert own.status_code == 200
        assert own.json()["summary"]["outstanding"] < 1_500_000  # K1's loan only
    else:
        refused(own)  # kasir, anggota; a Dinas officer names the koperasi
    for slug in ("kud-contoh", "ksp-artha-mandiri"):
        response = await client.get("/api/v1/loans/summary", params={"koperasi": slug})
        if role is Role.DINAS and slug == "ksp-artha-mandiri":
            # The officer's own region: the figures (K2's loan in them), never who owes.
            assert response.status_code == 200
            assert response.json()["summary"]["loans"] == 1
            assert "Anggota Rahasia" not in response.text and "X-0001" not in response.text
        else:
            refused(response)
            _secret_free(response)


async def post_ppap(client: httpx.AsyncClient, world: World, role: Role) -> None:
    await _world_loans(world)
    response = await client.post("/api/v1/loans/ppap", json={})
    if role is Role.PENGURUS:
        assert response.status_code in (201, 409), response.text  # K1's own books
    else:
        refused(response)
    await _k2_unchanged(world)


async def loan_detail(client: httpx.AsyncClient, world: World, role: Role) -> None:
    await _world_loans(world)
    foreign = await client.get(f"/api/v1/loans/{FOREIGN}")
    refused(foreign)
    _secret_free(foreign)
    own, other = await client.get("/api/v1/loans/1"), await client.get("/api/v1/loans/2")
    for response in (own, other):
        _secret_free(response)
    if counter_staff(role):
        assert own.status_code == 200 and other.status_code == 200
    elif role is Role.ANGGOTA:
        assert own.status_code == 200 and own.json()["loan"]["principal"] == 1_500_000
        refused(other)  # another member's loan
    else:
        refused(own)
        refused(other)


def _decision(action: str) -> Case:
    async def case(client: httpx.AsyncClient, world: World, role: Role) -> None:
        await _world_loans(world)
        for number in (FOREIGN, 1, 2):
            body = {"disbursed_on": None} if action == "disburse" else {}
            response = await client.post(f"/api/v1/loans/{number}/{action}", json=body)
            _secret_free(response)
            if number == FOREIGN or role is not Role.PENGURUS:
                if role is Role.ANGGOTA and action == "cancel" and number == 1:
                    # Their own loan, but it is paid out: not theirs to cancel any more.
                    assert response.status_code == 409
                else:
                    refused(response)
            else:
                # K1's own loans, in a state the action does not fit (409), never K2's.
                assert response.status_code in (200, 201, 409), response.text
        await _k2_unchanged(world)
        # Put K1's loan 2 back to "applied" for the next case (test cleanup).
        await Loan.update({Loan.status: "diajukan"}).where(
            (Loan.koperasi == world.k1) & (Loan.number == 2)
        )

    return case


def _payment(path: str, body: dict[str, object]) -> Case:
    async def case(client: httpx.AsyncClient, world: World, role: Role) -> None:
        await _world_loans(world)
        before = await LoanPayment.count()
        response = await client.post(f"/api/v1/loans/{FOREIGN}/{path}", json=body)
        refused(response)
        _secret_free(response)
        if not counter_staff(role):
            # Not even on their own loan.
            refused(await client.post(f"/api/v1/loans/1/{path}", json=body))
        assert await LoanPayment.count() == before
        await _k2_unchanged(world)

    return case


async def reverse(client: httpx.AsyncClient, world: World, role: Role) -> None:
    await _world_loans(world)
    response = await client.post(
        f"/api/v1/loans/{FOREIGN}/payments/1/reversal", json={"reason": "coba"}
    )
    refused(response)
    _secret_free(response)
    if role is not Role.PENGURUS:
        refused(await client.post("/api/v1/loans/1/payments/1/reversal", json={"reason": "coba"}))
    await _k2_unchanged(world)


async def payoff_quote(client: httpx.AsyncClient, world: World, role: Role) -> None:
    await _world_loans(world)
    response = await client.get(f"/api/v1/loans/{FOREIGN}/payoff")
    refused(response)
    _secret_free(response)
    own = await client.get("/api/v1/loans/1/payoff")
    if role is Role.DINAS:
        refused(own)
    else:
        assert own.status_code == 200 and own.json()["loan_code"] == "P-000001"
    other = await client.get("/api/v1/loans/2/payoff")  # applied: nothing to pay off
    assert other.status_code in (403, 404, 409)


async def write_off(client: httpx.AsyncClient, world: World, role: Role) -> None:
    await _world_loans(world)
    response = await client.post(f"/api/v1/loans/{FOREIGN}/write-off", json={"note": "coba"})
    refused(response)
    _secret_free(response)
    if role is not Role.PENGURUS:
        refused(await client.post("/api/v1/loans/1/write-off", json={"note": "coba"}))
    await _k2_unchanged(world)


def _page_refused(response: httpx.Response) -> None:
    assert response.status_code in (303, 403, 404), (response.status_code, response.text)


async def member_page(client: httpx.AsyncClient, world: World, role: Role) -> None:
    await _world_loans(world)
    response = await client.get("/pinjaman")
    _secret_free(response)
    if role is Role.ANGGOTA:
        assert response.status_code == 200
        assert "P-000001" in response.text and "Rp 1.500.000" in response.text
        assert "Rp 2.000.000" not in response.text  # another member's application
    elif counter_staff(role):
        assert response.status_code == 303
        assert response.headers["location"] == "/pinjaman/kelola"
    else:
        _page_refused(response)


async def manage_page(client: httpx.AsyncClient, world: World, role: Role) -> None:
    await _world_loans(world)
    for params in ({}, {"pinjaman": FOREIGN}, {"anggota": "X-0001"}, {"produk": 1}):
        response = await client.get("/pinjaman/kelola", params=params)
        _secret_free(response, asked=str(params.get("anggota", "")))
        if counter_staff(role):
            assert response.status_code == 200
            assert "Koperasi Wanita Srikandi" in response.text
        else:
            _page_refused(response)


CASES: dict[tuple[str, str], Case] = {
    ("GET", "/api/v1/loans/products"): list_products,
    ("POST", "/api/v1/loans/products"): create_product,
    ("PUT", "/api/v1/loans/products/{product_id:int}"): change_product,
    ("POST", "/api/v1/loans/preview"): preview,
    ("POST", "/api/v1/loans/applications"): apply,
    ("GET", "/api/v1/loans"): list_loans,
    ("GET", "/api/v1/loans/mine"): my_loans,
    ("GET", "/api/v1/loans/arrears"): arrears,
    ("GET", "/api/v1/loans/summary"): summary,
    ("POST", "/api/v1/loans/ppap"): post_ppap,
    ("GET", "/api/v1/loans/{number:int}"): loan_detail,
    ("POST", "/api/v1/loans/{number:int}/approve"): _decision("approve"),
    ("POST", "/api/v1/loans/{number:int}/reject"): _decision("reject"),
    ("POST", "/api/v1/loans/{number:int}/cancel"): _decision("cancel"),
    ("POST", "/api/v1/loans/{number:int}/disburse"): _decision("disburse"),
    ("POST", "/api/v1/loans/{number:int}/payments/preview"): _payment(
        "payments/preview", {"amount": 1_000}
    ),
    ("POST", "/api/v1/loans/{number:int}/payments"): _payment("payments", {"amount": 1_000}),
    ("POST", "/api/v1/loans/{number:int}/payoff"): _payment("payoff", {}),
    ("POST", "/api/v1/loans/{number:int}/payments/{receipt_number:int}/reversal"): reverse,
    ("GET", "/api/v1/loans/{number:int}/payoff"): payoff_quote,
    ("POST", "/api/v1/loans/{number:int}/write-off"): write_off,
    ("GET", "/pinjaman"): member_page,
    ("GET", "/pinjaman/kelola"): manage_page,
}
