"""Loans API (/api/v1/loans). Pengurus run the whole life cycle of their koperasi's loans:
products, applications with the schedule before deciding, approval or refusal,
disbursement, payments, payoff, reversal of a mistaken payment, write-off, the arrears
list, collectibility and the PPAP. Kasir take payments and payoffs at the counter (and
read the loans they need for that). An anggota applies for themself, reads their own
loans and withdraws their own application. A Dinas officer reads the collectibility
summary of the koperasi of their region. Everyone else is refused."""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime
from typing import Annotated, Any

import msgspec
from litestar import Controller, Request, get, post, put
from litestar.params import JSONBody, PathParameter, QueryParameter

from backend.accounts.domain import Actor, Role
from backend.accounts.sessions import require_actor
from backend.accounts.web import client_ip, signed_in
from backend.errors import Forbidden, ValidationFailed
from backend.i18n import Translate, translator
from backend.ledger.access import books_to_read
from backend.loans import collectibility, service
from backend.loans.domain import (
    MAX_ADMIN_FEE,
    MAX_AMOUNT,
    MAX_PENALTY_BP_PER_DAY,
    MAX_PROVISI_BP,
    MAX_RATE_BP,
    MAX_SAVINGS_MULTIPLE_BP,
    MAX_TERM_MONTHS,
    LoanStatus,
    Method,
    ProductTerms,
)
from backend.savings.receipts import WIB
from backend.texts import N_
from backend.web import language_of

Number = Annotated[int, PathParameter(gt=0, le=2**31 - 1)]
Rupiah = Annotated[int, msgspec.Meta(gt=0, le=MAX_AMOUNT)]
Months = Annotated[int, msgspec.Meta(ge=1, le=MAX_TERM_MONTHS)]
Note = Annotated[str, msgspec.Meta(max_length=300)]
MemberNumber = Annotated[str, msgspec.Meta(min_length=1, max_length=20)]


class ProductIn(msgspec.Struct, forbid_unknown_fields=True):
    name: Annotated[str, msgspec.Meta(min_length=1, max_length=100)]
    method: Method
    monthly_rate_bp: Annotated[int, msgspec.Meta(ge=0, le=MAX_RATE_BP)]
    min_term_months: Months
    max_term_months: Months
    min_amount: Rupiah
    max_amount: Rupiah
    provisi_bp: Annotated[int, msgspec.Meta(ge=0, le=MAX_PROVISI_BP)] = 0
    admin_fee: Annotated[int, msgspec.Meta(ge=0, le=MAX_ADMIN_FEE)] = 0
    penalty_bp_per_day: Annotated[int, msgspec.Meta(ge=0, le=MAX_PENALTY_BP_PER_DAY)] = 0
    savings_multiple_bp: Annotated[int, msgspec.Meta(ge=0, le=MAX_SAVINGS_MULTIPLE_BP)] = 0
    active: bool = True


class PreviewIn(msgspec.Struct, forbid_unknown_fields=True):
    product_id: Annotated[int, msgspec.Meta(gt=0)]
    principal: Rupiah
    term_months: Months
    member_number: MemberNumber | None = None


class ApplicationIn(msgspec.Struct, forbid_unknown_fields=True):
    product_id: Annotated[int, msgspec.Meta(gt=0)]
    principal: Rupiah
    term_months: Months
    purpose: Note = ""
    member_number: MemberNumber | None = None  # pengurus: whom for; anggota: themself


class DecisionIn(msgspec.Struct, forbid_unknown_fields=True):
    note: Note = ""
    decided_on: date | None = None


class DisburseIn(msgspec.Struct, forbid_unknown_fields=True):
    disbursed_on: date | None = None


class PaymentIn(msgspec.Struct, forbid_unknown_fields=True):
    amount: Rupiah
    paid_on: date | None = None


class PayoffIn(msgspec.Struct, forbid_unknown_fields=True):
    paid_on: date | None = None


class ReversalIn(msgspec.Struct, forbid_unknown_fields=True):
    reason: Annotated[str, msgspec.Meta(min_length=1, max_length=300)]
    reversed_on: date | None = None


class WriteOffIn(msgspec.Struct, forbid_unknown_fields=True):
    note: Note = ""
    written_off_on: date | None = None


class PpapIn(msgspec.Struct, forbid_unknown_fields=True):
    as_of: date | None = None


@dataclasses.dataclass(frozen=True)
class LoanSummaryOut:
    """The collectibility summary, the reserve in the books and what to post to match."""

    summary: collectibility.Summary
    ppap_booked: int
    ppap_difference: int  # required - booked: + to add to the reserve, - to release


def today() -> date:
    """Today on the region's wall clock (WIB)."""
    return datetime.now(UTC).astimezone(WIB).date()


def not_future(day: date | None, field_name: str) -> date:
    """A money event's date: today by default, never in the future."""
    now = today()
    if day is None:
        return now
    if day > now:
        raise ValidationFailed(
            "date_in_future", N_("Tanggal tidak boleh melewati hari ini."), field_name
        )
    return day


def pengurus_of(actor: Actor) -> int:
    if actor.role is not Role.PENGURUS or actor.koperasi_id is None:
        raise Forbidden("loans_forbidden", N_("Hanya pengurus yang dapat melakukan ini."))
    return actor.koperasi_id


def counter_of(actor: Actor) -> int:
    """Pengurus and kasir take loan payments at the counter of their own koperasi."""
    if actor.role not in (Role.PENGURUS, Role.KASIR) or actor.koperasi_id is None:
        raise Forbidden(
            "loans_forbidden", N_("Hanya pengurus dan kasir yang mencatat angsuran pinjaman.")
        )
    return actor.koperasi_id


def member_of(actor: Actor) -> tuple[int, int]:
    """(koperasi, member) of an anggota acting as themself."""
    if actor.role is not Role.ANGGOTA or actor.member_id is None or actor.koperasi_id is None:
        raise Forbidden("not_a_member", N_("Halaman ini untuk anggota koperasi."))
    return actor.koperasi_id, actor.member_id


def who(request: Request[Any, Any, Any], actor: Actor) -> service.Who:
    return service.Who(actor.user_id, actor.region_id, client_ip(request.scope))


def translated(value: Any, _: Translate) -> Any:
    """`value` with every label (a field named `label` or ending in `_label`) in the
    reader's language, through nested dataclasses and lists."""
    if isinstance(value, list):
        return [translated(item, _) for item in value]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        changes: dict[str, Any] = {}
        for f in dataclasses.fields(value):
            item = getattr(value, f.name)
            if (f.name == "label" or f.name.endswith("_label")) and isinstance(item, str):
                changes[f.name] = _(item) if item else item
            elif isinstance(item, list) or (
                dataclasses.is_dataclass(item) and not isinstance(item, type)
            ):
                changes[f.name] = translated(item, _)
        return dataclasses.replace(value, **changes) if changes else value
    return value


def _reader(request: Request[Any, Any, Any]) -> Translate:
    return translator(language_of(request.scope))


async def summary_for(koperasi_id: int, as_of: date) -> LoanSummaryOut:
    summary = await service.collectibility_summary(koperasi_id, as_of)
    booked = await service.ppap_booked(koperasi_id, as_of)
    return LoanSummaryOut(summary, booked, summary.ppap_required - booked)


def _terms(data: ProductIn) -> ProductTerms:
    return ProductTerms(**msgspec.structs.asdict(data))


class LoansController(Controller):
    path = "/loans"
    tags = ["pinjaman"]

    # Products

    @get("/products", summary="Produk pinjaman koperasi")
    async def products(self, request: Request[Any, Any, Any]) -> list[service.ProductView]:
        actor = require_actor(signed_in(request))
        if actor.role is Role.ANGGOTA:
            koperasi_id, _ = member_of(actor)
            found = await service.products(koperasi_id, active_only=True)
        else:
            found = await service.products(counter_of(actor))
        return translated(found, _reader(request))  # type: ignore[no-any-return]

    @post("/products", summary="Tambah produk pinjaman", status_code=201)
    async def create_product(
        self, request: Request[Any, Any, Any], data: JSONBody[ProductIn]
    ) -> service.ProductView:
        actor = require_actor(signed_in(request))
        made = await service.create_product(pengurus_of(actor), _terms(data), who(request, actor))
        return translated(made, _reader(request))  # type: ignore[no-any-return]

    @put("/products/{product_id:int}", summary="Ubah produk pinjaman")
    async def update_product(
        self, request: Request[Any, Any, Any], product_id: Number, data: JSONBody[ProductIn]
    ) -> service.ProductView:
        actor = require_actor(signed_in(request))
        made = await service.update_product(
            pengurus_of(actor), product_id, _terms(data), who(request, actor)
        )
        return translated(made, _reader(request))  # type: ignore[no-any-return]

    # Applications

    @post("/preview", summary="Simulasi jadwal angsuran", status_code=200)
    async def preview(
        self, request: Request[Any, Any, Any], data: JSONBody[PreviewIn]
    ) -> service.Preview:
        actor = require_actor(signed_in(request))
        if actor.role is Role.ANGGOTA:
            koperasi_id, member_id = member_of(actor)
            number: str | None = await service.member_number_of(koperasi_id, member_id)
        else:
            koperasi_id, number = pengurus_of(actor), data.member_number
        made = await service.preview(
            koperasi_id, data.product_id, data.principal, data.term_months, today(), number
        )
        return translated(made, _reader(request))  # type: ignore[no-any-return]

    @post("/applications", summary="Ajukan pinjaman", status_code=201)
    async def apply(
        self, request: Request[Any, Any, Any], data: JSONBody[ApplicationIn]
    ) -> service.Applied:
        actor = require_actor(signed_in(request))
        if actor.role is Role.ANGGOTA:
            koperasi_id, member_id = member_of(actor)
            own = await service.member_number_of(koperasi_id, member_id)
            if data.member_number not in (None, own):
                raise Forbidden(
                    "own_member_only",
                    N_("Anggota hanya dapat mengajukan pinjaman untuk diri sendiri."),
                )
            number = own
        else:
            koperasi_id = pengurus_of(actor)
            if data.member_number is None:
                raise ValidationFailed(
                    "member_required", N_("Pilih anggota yang mengajukan."), "member_number"
                )
            number = data.member_number
        made = await service.apply(
            koperasi_id,
            number,
            data.product_id,
            data.principal,
            data.term_months,
            today(),
            data.purpose,
            who(request, actor),
        )
        return translated(made, _reader(request))  # type: ignore[no-any-return]

    @get("/", summary="Daftar pinjaman koperasi")
    async def list_loans(
        self,
        request: Request[Any, Any, Any],
        status: Annotated[list[LoanStatus] | None, QueryParameter()] = None,
        member: Annotated[str | None, QueryParameter(max_length=20)] = None,
        limit: Annotated[int, QueryParameter(ge=1, le=service.LIST_MAX)] = 100,
        offset: Annotated[int, QueryParameter(ge=0, le=1_000_000)] = 0,
    ) -> list[service.LoanSummary]:
        actor = require_actor(signed_in(request))
        found = await service.list_loans(
            counter_of(actor),
            today(),
            statuses=status,
            member_number=member,
            limit=limit,
            offset=offset,
        )
        return translated(found, _reader(request))  # type: ignore[no-any-return]

    @get("/mine", summary="Pinjaman saya")
    async def mine(self, request: Request[Any, Any, Any]) -> list[service.LoanDetail]:
        koperasi_id, member_id = member_of(require_actor(signed_in(request)))
        found = await service.member_loans(koperasi_id, member_id, today())
        return translated(found, _reader(request))  # type: ignore[no-any-return]

    @get("/arrears", summary="Daftar tunggakan pinjaman")
    async def arrears(
        self,
        request: Request[Any, Any, Any],
        as_of: Annotated[date | None, QueryParameter()] = None,
    ) -> list[service.ArrearsRow]:
        actor = require_actor(signed_in(request))
        found = await service.arrears(pengurus_of(actor), as_of or today())
        return translated(found, _reader(request))  # type: ignore[no-any-return]

    @get("/summary", summary="Kolektibilitas, PPAP dan RPM")
    async def summary(
        self,
        request: Request[Any, Any, Any],
        as_of: Annotated[date | None, QueryParameter()] = None,
        koperasi: Annotated[str | None, QueryParameter(max_length=100)] = None,
    ) -> LoanSummaryOut:
        actor = require_actor(signed_in(request))
        koperasi_id = await books_to_read(actor, koperasi)
        made = await summary_for(koperasi_id, as_of or today())
        return translated(made, _reader(request))  # type: ignore[no-any-return]

    @post("/ppap", summary="Bukukan penyesuaian PPAP", status_code=201)
    async def post_ppap(
        self, request: Request[Any, Any, Any], data: JSONBody[PpapIn]
    ) -> service.PpapPosting:
        actor = require_actor(signed_in(request))
        return await service.post_ppap(
            pengurus_of(actor), not_future(data.as_of, "as_of"), who(request, actor)
        )

    # One loan

    @get("/{number:int}", summary="Rincian pinjaman")
    async def detail(self, request: Request[Any, Any, Any], number: Number) -> service.LoanDetail:
        actor = require_actor(signed_in(request))
        if actor.role is Role.ANGGOTA:
            koperasi_id, member_id = member_of(actor)
            found = await service.loan_detail(koperasi_id, number, today(), member_id)
        else:
            found = await service.loan_detail(counter_of(actor), number, today())
        return translated(found, _reader(request))  # type: ignore[no-any-return]

    @post("/{number:int}/approve", summary="Setujui pengajuan pinjaman", status_code=200)
    async def approve(
        self, request: Request[Any, Any, Any], number: Number, data: JSONBody[DecisionIn]
    ) -> service.Applied:
        actor = require_actor(signed_in(request))
        made = await service.approve(
            pengurus_of(actor),
            number,
            not_future(data.decided_on, "decided_on"),
            data.note,
            who(request, actor),
        )
        return translated(made, _reader(request))  # type: ignore[no-any-return]

    @post("/{number:int}/reject", summary="Tolak pengajuan pinjaman", status_code=200)
    async def reject(
        self, request: Request[Any, Any, Any], number: Number, data: JSONBody[DecisionIn]
    ) -> service.Applied:
        actor = require_actor(signed_in(request))
        made = await service.reject(
            pengurus_of(actor),
            number,
            not_future(data.decided_on, "decided_on"),
            data.note,
            who(request, actor),
        )
        return translated(made, _reader(request))  # type: ignore[no-any-return]

    @post("/{number:int}/cancel", summary="Batalkan pengajuan pinjaman", status_code=200)
    async def cancel(
        self, request: Request[Any, Any, Any], number: Number, data: JSONBody[DecisionIn]
    ) -> service.Applied:
        actor = require_actor(signed_in(request))
        member_id = None
        if actor.role is Role.ANGGOTA:
            koperasi_id, member_id = member_of(actor)
        else:
            koperasi_id = pengurus_of(actor)
        made = await service.cancel(
            koperasi_id,
            number,
            not_future(data.decided_on, "decided_on"),
            data.note,
            who(request, actor),
            member_id=member_id,
        )
        return translated(made, _reader(request))  # type: ignore[no-any-return]

    @post("/{number:int}/disburse", summary="Cairkan pinjaman", status_code=201)
    async def disburse(
        self, request: Request[Any, Any, Any], number: Number, data: JSONBody[DisburseIn]
    ) -> service.Disbursed:
        actor = require_actor(signed_in(request))
        return await service.disburse(
            pengurus_of(actor),
            number,
            not_future(data.disbursed_on, "disbursed_on"),
            who(request, actor),
        )

    @post("/{number:int}/payments/preview", summary="Rincian pembagian angsuran", status_code=200)
    async def payment_preview(
        self, request: Request[Any, Any, Any], number: Number, data: JSONBody[PaymentIn]
    ) -> service.PaymentPlan:
        actor = require_actor(signed_in(request))
        made = await service.plan_payment(
            counter_of(actor), number, data.amount, not_future(data.paid_on, "paid_on")
        )
        return translated(made, _reader(request))  # type: ignore[no-any-return]

    @post("/{number:int}/payments", summary="Catat angsuran pinjaman", status_code=201)
    async def pay(
        self, request: Request[Any, Any, Any], number: Number, data: JSONBody[PaymentIn]
    ) -> service.PaymentReceipt:
        actor = require_actor(signed_in(request))
        made = await service.pay(
            counter_of(actor),
            number,
            data.amount,
            not_future(data.paid_on, "paid_on"),
            who=who(request, actor),
        )
        return translated(made, _reader(request))  # type: ignore[no-any-return]

    @post(
        "/{number:int}/payments/{receipt_number:int}/reversal",
        summary="Batalkan pembayaran yang salah catat",
        status_code=201,
    )
    async def reverse_payment(
        self,
        request: Request[Any, Any, Any],
        number: Number,
        receipt_number: Number,
        data: JSONBody[ReversalIn],
    ) -> service.Reversed:
        actor = require_actor(signed_in(request))
        made = await service.reverse_payment(
            pengurus_of(actor),
            number,
            receipt_number,
            not_future(data.reversed_on, "reversed_on"),
            data.reason,
            who(request, actor),
        )
        return translated(made, _reader(request))  # type: ignore[no-any-return]

    @get("/{number:int}/payoff", summary="Perhitungan pelunasan dipercepat")
    async def payoff_quote(
        self,
        request: Request[Any, Any, Any],
        number: Number,
        on: Annotated[date | None, QueryParameter()] = None,
    ) -> service.PaymentPlan:
        actor = require_actor(signed_in(request))
        member_id = None
        if actor.role is Role.ANGGOTA:
            koperasi_id, member_id = member_of(actor)
        else:
            koperasi_id = counter_of(actor)
        made = await service.plan_payment(
            koperasi_id,
            number,
            0,
            not_future(on, "on"),
            kind="pelunasan",
            member_id=member_id,
        )
        return translated(made, _reader(request))  # type: ignore[no-any-return]

    @post("/{number:int}/payoff", summary="Lunasi pinjaman lebih awal", status_code=201)
    async def payoff(
        self, request: Request[Any, Any, Any], number: Number, data: JSONBody[PayoffIn]
    ) -> service.PaymentReceipt:
        actor = require_actor(signed_in(request))
        made = await service.pay(
            counter_of(actor),
            number,
            0,
            not_future(data.paid_on, "paid_on"),
            kind="pelunasan",
            who=who(request, actor),
        )
        return translated(made, _reader(request))  # type: ignore[no-any-return]

    @post("/{number:int}/write-off", summary="Hapus buku pinjaman", status_code=201)
    async def write_off(
        self, request: Request[Any, Any, Any], number: Number, data: JSONBody[WriteOffIn]
    ) -> service.WrittenOff:
        actor = require_actor(signed_in(request))
        return await service.write_off(
            pengurus_of(actor),
            number,
            not_future(data.written_off_on, "written_off_on"),
            data.note,
            who(request, actor),
        )
