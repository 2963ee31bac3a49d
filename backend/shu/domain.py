"""Pure SHU rules (DOMAIN.md "SHU"): the allocation of a year's SHU to its components (the
AD/ART split), each member's jasa modal and jasa usaha in whole rupiah by the largest
remainder method, the one journal entry that books the distribution, and the explanation a
member reads. No database, no HTTP: every input is a plain value."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, fields
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from fractions import Fraction

from babel.numbers import format_decimal

from backend.errors import Conflict, ValidationFailed
from backend.formatting import long_date, rupiah
from backend.ledger.domain import Line
from backend.savings.domain import SavingsKind
from backend.texts import N_

Translate = Callable[..., str]

FULL = 10_000  # basis points in 100%

# The accounts of the distribution entry (the default chart, backend/ledger/chart.py).
DISTRIBUTED_ACCOUNT = "3-1610"  # SHU tahun lalu yang telah dibagi (contra equity)
MEMBERS_ACCOUNT = "2-1600"  # Dana SHU bagian anggota (payable)


class Component(StrEnum):
    """The parts the RAT splits the SHU into. The order is also the tie order of the
    largest remainder method (cadangan first)."""

    CADANGAN = "cadangan"
    JASA_MODAL = "jasa_modal"
    JASA_USAHA = "jasa_usaha"
    PENGURUS = "pengurus"
    KARYAWAN = "karyawan"
    PENDIDIKAN = "pendidikan"
    SOSIAL = "sosial"
    DAERAH_KERJA = "daerah_kerja"

    @property
    def label(self) -> str:
        return COMPONENT_LABELS[self]

    @property
    def account(self) -> str:
        """Where the component is credited (members' parts: see `distribution_lines`)."""
        return COMPONENT_ACCOUNTS[self]

    @property
    def for_members(self) -> bool:
        return self in (Component.JASA_MODAL, Component.JASA_USAHA)


COMPONENT_LABELS: dict[Component, str] = {
    Component.CADANGAN: N_("Cadangan"),
    Component.JASA_MODAL: N_("Jasa modal anggota"),
    Component.JASA_USAHA: N_("Jasa usaha anggota"),
    Component.PENGURUS: N_("Dana pengurus"),
    Component.KARYAWAN: N_("Dana karyawan"),
    Component.PENDIDIKAN: N_("Dana pendidikan"),
    Component.SOSIAL: N_("Dana sosial"),
    Component.DAERAH_KERJA: N_("Dana pembangunan daerah kerja"),
}
COMPONENT_ACCOUNTS: dict[Component, str] = {
    Component.CADANGAN: "3-1500",
    Component.JASA_MODAL: MEMBERS_ACCOUNT,
    Component.JASA_USAHA: MEMBERS_ACCOUNT,
    Component.PENGURUS: "2-1610",
    Component.KARYAWAN: "2-1620",
    Component.PENDIDIKAN: "2-1630",
    Component.SOSIAL: "2-1640",
    Component.DAERAH_KERJA: "2-1650",
}


class UsahaBasis(StrEnum):
    """What jasa usaha is shared by: members' purchases in the shop (consumer and retail
    koperasi), the loan interest they paid (savings and loan), or both (serba usaha)."""

    PEMBELIAN = "pembelian"
    BUNGA = "bunga"
    KEDUANYA = "keduanya"

    @property
    def label(self) -> str:
        return {
            "pembelian": N_("Belanja anggota di toko koperasi"),
            "bunga": N_("Jasa pinjaman yang dibayar anggota"),
            "keduanya": N_("Belanja di toko dan jasa pinjaman yang dibayar"),
        }[self.value]

    @property
    def purchases(self) -> bool:
        return self in (UsahaBasis.PEMBELIAN, UsahaBasis.KEDUANYA)

    @property
    def interest(self) -> bool:
        return self in (UsahaBasis.BUNGA, UsahaBasis.KEDUANYA)


class Mode(StrEnum):
    """Where the members' part goes when the distribution is posted."""

    UTANG = "utang"  # a payable (2-1600), paid out at the counter later
    SUKARELA = "sukarela"  # straight into each member's simpanan sukarela

    @property
    def label(self) -> str:
        return {
            "utang": N_("Dicatat sebagai dana SHU bagian anggota, diambil anggota di koperasi"),
            "sukarela": N_("Dimasukkan ke simpanan sukarela anggota"),
        }[self.value]


@dataclass(frozen=True)
class Allocation:
    """A koperasi's SHU split for one year, in basis points summing to 10,000. The defaults
    follow DOMAIN.md's common split, made to sum to 100%: cadangan 40%, jasa anggota 40%
    (jasa modal 20% + jasa usaha 20%), pengurus, karyawan, pendidikan and sosial 5% each,
    pembangunan daerah kerja 0% (the common list adds up to 105%; the RAT sets its own)."""

    cadangan_bp: int = 4_000
    jasa_modal_bp: int = 2_000
    jasa_usaha_bp: int = 2_000
    pengurus_bp: int = 500
    karyawan_bp: int = 500
    pendidikan_bp: int = 500
    sosial_bp: int = 500
    daerah_kerja_bp: int = 0
    count_pokok: bool = True
    count_wajib: bool = True
    count_sukarela: bool = False
    usaha_basis: UsahaBasis = UsahaBasis.PEMBELIAN
    mode: Mode = Mode.UTANG

    def bp(self, component: Component) -> int:
        return int(getattr(self, f"{component.value}_bp"))

    @property
    def counted_kinds(self) -> tuple[SavingsKind, ...]:
        """The savings jasa modal is shared by."""
        flags = {
            SavingsKind.POKOK: self.count_pokok,
            SavingsKind.WAJIB: self.count_wajib,
            SavingsKind.SUKARELA: self.count_sukarela,
        }
        return tuple(kind for kind in SavingsKind if flags[kind])


def default_allocation(koperasi_kind: str) -> Allocation:
    """The starting split for a koperasi that has not set its own: jasa usaha by loan
    interest for a savings-and-loan koperasi, by both for a serba usaha, else by purchases."""
    basis = {"ksp": UsahaBasis.BUNGA, "ksu": UsahaBasis.KEDUANYA}.get(
        koperasi_kind, UsahaBasis.PEMBELIAN
    )
    return Allocation(usaha_basis=basis)


def check_allocation(allocation: Allocation) -> None:
    """Refuse a split that does not add up or cannot be applied."""
    for component in Component:
        value = allocation.bp(component)
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= FULL:
            raise ValidationFailed(
                "percent_invalid",
                N_("Persentase harus antara 0% dan 100%, paling banyak dua angka desimal."),
                f"{component.value}_bp",
            )
    if sum(allocation.bp(c) for c in Component) != FULL:
        raise ValidationFailed(
            "allocation_not_full", N_("Jumlah semua persentase harus tepat 100%.")
        )
    if allocation.jasa_modal_bp > 0 and not allocation.counted_kinds:
        raise ValidationFailed(
            "savings_kind_required",
            N_("Pilih paling sedikit satu jenis simpanan yang dihitung untuk jasa modal."),
            "count_pokok",
        )


def allocation_changes(old: Allocation, new: Allocation) -> dict[str, list[object]]:
    """field -> [before, after] for each setting that changes (for the audit log)."""
    return {
        f.name: [str(getattr(old, f.name)), str(getattr(new, f.name))]
        for f in fields(Allocation)
        if getattr(old, f.name) != getattr(new, f.name)
    }


def apportion(total: int, weights: Sequence[int]) -> list[int]:
    """Split `total` whole rupiah in proportion to `weights` by the largest remainder
    method: each part is ⌊total × w ÷ W⌋, and the rupiah still left go one each to the parts
    with the largest remainders (the earlier position first on a tie). The parts always sum
    exactly to `total`, except when every weight is zero: then nothing can be split and
    every part is 0."""
    if total < 0:
        raise ValueError("total must not be negative")
    if any(w < 0 for w in weights):
        raise ValueError("weights must not be negative")
    whole = sum(weights)
    if whole == 0:
        return [0] * len(weights)
    parts: list[int] = []
    remainders: list[int] = []
    for weight in weights:
        part, remainder = divmod(total * weight, whole)
        parts.append(part)
        remainders.append(remainder)
    left = total - sum(parts)  # < number of parts with a remainder
    for i in sorted(range(len(weights)), key=lambda i: (-remainders[i], i))[:left]:
        parts[i] += 1
    return parts


@dataclass(frozen=True)
class MemberBase:
    """What a member's share is computed from: savings balances at the year end, purchases
    and loan interest paid during the year. `active`: may still receive into savings."""

    member_id: int
    member_number: str
    name: str
    pokok: int = 0
    wajib: int = 0
    sukarela: int = 0
    purchases: int = 0
    interest: int = 0
    active: bool = True

    def savings(self, kind: SavingsKind) -> int:
        return {
            SavingsKind.POKOK: self.pokok,
            SavingsKind.WAJIB: self.wajib,
            SavingsKind.SUKARELA: self.sukarela,
        }[kind]

    def modal_base(self, allocation: Allocation) -> int:
        """The counted savings (a negative balance, which the rules never allow, counts 0)."""
        return sum(max(0, self.savings(kind)) for kind in allocation.counted_kinds)

    def usaha_base(self, allocation: Allocation) -> int:
        basis = allocation.usaha_basis
        return (max(0, self.purchases) if basis.purchases else 0) + (
            max(0, self.interest) if basis.interest else 0
        )


@dataclass(frozen=True)
class MemberShare:
    member_id: int
    member_number: str
    name: str
    pokok: int
    wajib: int
    sukarela: int
    purchases: int
    interest: int
    modal_base: int
    usaha_base: int
    jasa_modal: int
    jasa_usaha: int
    active: bool = True

    @property
    def total(self) -> int:
        return self.jasa_modal + self.jasa_usaha


@dataclass(frozen=True)
class ComponentAmount:
    """A component's part of the SHU (`amount`) and what is paid out as that component
    (`paid`): for jasa modal and jasa usaha nothing when no member has a base, in which case
    the amount goes to the cadangan instead."""

    component: Component
    bp: int
    amount: int
    paid: int

    @property
    def redirected(self) -> int:
        return self.amount - self.paid


@dataclass(frozen=True)
class Summary:
    """The distribution without the member list: enough to explain any member's share."""

    year: int
    pool: int
    allocation: Allocation
    components: list[ComponentAmount]
    modal_total_base: int
    usaha_total_base: int

    def part(self, component: Component) -> ComponentAmount:
        return next(c for c in self.components if c.component is component)

    @property
    def cadangan_total(self) -> int:
        """The cadangan's own part plus any members' part nobody had a base for."""
        return self.part(Component.CADANGAN).amount + sum(c.redirected for c in self.components)

    @property
    def members_total(self) -> int:
        return sum(self.part(c).paid for c in (Component.JASA_MODAL, Component.JASA_USAHA))


@dataclass(frozen=True)
class Distribution:
    summary: Summary
    shares: list[MemberShare]


def allocate(
    year: int, pool: int, allocation: Allocation, members: Sequence[MemberBase]
) -> Distribution:
    """The SHU `pool` of `year` split by `allocation`: components by largest remainder of
    the pool; within jasa modal and jasa usaha, each member's share by largest remainder of
    that component over the members' bases (ties to the lower member number). A pool of
    zero or less splits into zeros (it cannot be distributed, see `check_postable`)."""
    whole = max(0, pool)
    amounts = dict(
        zip(Component, apportion(whole, [allocation.bp(c) for c in Component]), strict=True)
    )
    ordered = sorted(members, key=lambda m: (m.member_number, m.member_id))
    modal_bases = [m.modal_base(allocation) for m in ordered]
    usaha_bases = [m.usaha_base(allocation) for m in ordered]
    modal = apportion(amounts[Component.JASA_MODAL], modal_bases)
    usaha = apportion(amounts[Component.JASA_USAHA], usaha_bases)
    paid = {
        Component.JASA_MODAL: sum(modal),
        Component.JASA_USAHA: sum(usaha),
    }
    components = [
        ComponentAmount(c, allocation.bp(c), amounts[c], paid.get(c, amounts[c])) for c in Component
    ]
    shares = [
        MemberShare(
            member_id=m.member_id,
            member_number=m.member_number,
            name=m.name,
            pokok=m.pokok,
            wajib=m.wajib,
            sukarela=m.sukarela,
            purchases=m.purchases,
            interest=m.interest,
            modal_base=modal_bases[i],
            usaha_base=usaha_bases[i],
            jasa_modal=modal[i],
            jasa_usaha=usaha[i],
            active=m.active,
        )
        for i, m in enumerate(ordered)
    ]
    summary = Summary(
        year=year,
        pool=pool,
        allocation=allocation,
        components=components,
        modal_total_base=sum(modal_bases),
        usaha_total_base=sum(usaha_bases),
    )
    return Distribution(summary=summary, shares=shares)


def check_year_closed(closed: bool) -> None:
    if not closed:
        raise Conflict(
            "year_not_closed",
            N_(
                "Tahun buku ini belum ditutup. Tutup periode Desember di Pembukuan dulu, "
                "baru SHU-nya dapat dihitung dan dibagikan."
            ),
        )


def check_postable(summary: Summary, posted_on: date, today: date) -> None:
    """A distribution needs a positive SHU and a posting day after the year's end, not in
    the future."""
    if summary.pool <= 0:
        raise Conflict(
            "shu_not_positive",
            N_("SHU tahun ini nol atau rugi: tidak ada yang dapat dibagikan."),
        )
    if posted_on <= date(summary.year, 12, 31):
        raise ValidationFailed(
            "posted_on_invalid",
            N_("Tanggal pembagian harus sesudah akhir tahun buku yang dibagi."),
            "posted_on",
        )
    if posted_on > today:
        raise ValidationFailed(
            "posted_on_future",
            N_("Tanggal pembagian tidak boleh sesudah hari ini."),
            "posted_on",
        )


def credits_to_savings(distribution: Distribution) -> dict[int, int]:
    """member id -> rupiah into simpanan sukarela (mode sukarela, active members with a
    share); empty in mode utang."""
    if distribution.summary.allocation.mode is not Mode.SUKARELA:
        return {}
    return {s.member_id: s.total for s in distribution.shares if s.active and s.total > 0}


def distribution_lines(distribution: Distribution, sukarela_account: str) -> list[Line]:
    """The one entry that books the distribution: debit "SHU tahun lalu yang telah dibagi"
    with the whole pool; credit the cadangan (with any members' part nobody had a base
    for), each fund, and the members' part — the payable, or in mode sukarela the savings
    account for what goes into members' sukarela (members no longer active get the
    payable). Zero lines are left out."""
    summary = distribution.summary
    credited = sum(credits_to_savings(distribution).values())
    credits: list[tuple[str, int, str]] = [
        (Component.CADANGAN.account, summary.cadangan_total, Component.CADANGAN.label)
    ]
    credits += [
        (c.account, summary.part(c).amount, c.label)
        for c in Component
        if c is not Component.CADANGAN and not c.for_members
    ]
    credits.append((sukarela_account, credited, N_("SHU anggota ke simpanan sukarela")))
    credits.append(
        (MEMBERS_ACCOUNT, summary.members_total - credited, N_("Dana SHU bagian anggota"))
    )
    lines = [
        Line(DISTRIBUTED_ACCOUNT, debit=summary.pool, memo=f"SHU {summary.year}"),
        *[Line(code, credit=amount, memo=memo) for code, amount, memo in credits if amount > 0],
    ]
    assert sum(line.credit for line in lines) == summary.pool, "the split lost a rupiah"
    return lines


# --- explaining a member's share ---------------------------------------------------------

_PERCENT_LOCALES = {"id": "id_ID", "en": "en"}


def percent_text(value: Fraction | Decimal | int, language: str, places: int = 2) -> str:
    """`12.5` -> `12,5%` (id) or `12.5%` (en); up to `places` decimals, no trailing zeros."""
    exact = (
        Decimal(value.numerator) / Decimal(value.denominator)
        if isinstance(value, Fraction)
        else Decimal(value)
    )
    rounded = exact.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    pattern = "#,##0." + "#" * places if places else "#,##0"
    return format_decimal(rounded, format=pattern, locale=_PERCENT_LOCALES.get(language, "id_ID"))


def bp_text(bp: int, language: str) -> str:
    """Basis points as a percentage: 2_050 -> `20,5%`."""
    return percent_text(Fraction(bp, 100), language) + "%"


def exact_rupiah(value: Fraction) -> str:
    """A fraction of a rupiah to the sen, as the receipts write money: `Rp 33.333,33`."""
    cents = (Decimal(value.numerator) / Decimal(value.denominator)).quantize(
        Decimal("0.01"), rounding=ROUND_HALF_UP
    )
    return "Rp " + format_decimal(cents, format="#,##0.00", locale="id_ID")


@dataclass(frozen=True)
class Part:
    """One member's share of one pool, and how it was rounded."""

    base: int
    total_base: int
    pool: int
    amount: int

    @property
    def exact(self) -> Fraction:
        return Fraction(self.pool * self.base, self.total_base) if self.total_base else Fraction(0)

    @property
    def floor(self) -> int:
        return self.pool * self.base // self.total_base if self.total_base else 0

    @property
    def extra(self) -> int:
        """1 when the member got a rupiah of the rounding remainder."""
        return self.amount - self.floor


@dataclass(frozen=True)
class Destination:
    """Where a posted share went: into sukarela (with its receipt) or the payable."""

    posted_on: date
    credited: bool
    receipt: str | None = None


def _rounding(part: Part, _: Translate) -> str:
    if part.extra:
        return _(
            "Dibulatkan ke bawah menjadi {floor}, lalu ditambah Rp 1 dari sisa pembulatan "
            "karena pecahan rupiah Anda termasuk yang terbesar: {amount}.",
            floor=rupiah(part.floor),
            amount=rupiah(part.amount),
        )
    if part.exact.denominator == 1:
        return _("Hasilnya sudah rupiah penuh: {amount}.", amount=rupiah(part.amount))
    return _("Dibulatkan ke bawah ke rupiah penuh: {amount}.", amount=rupiah(part.amount))


def _calculation(part: Part, _: Translate) -> str:
    return _(
        "Hitungannya {pool} × {base} ÷ {total} = {exact}.",
        pool=rupiah(part.pool),
        base=rupiah(part.base),
        total=rupiah(part.total_base),
        exact=exact_rupiah(part.exact),
    )


def _share_of(part: Part, language: str) -> str:
    return percent_text(Fraction(100 * part.base, part.total_base), language, places=4) + "%"


def _modal_lines(share: MemberShare, summary: Summary, language: str, _: Translate) -> list[str]:
    component = summary.part(Component.JASA_MODAL)
    year = summary.year
    kinds = " + ".join(_(kind.label) for kind in summary.allocation.counted_kinds)
    if component.amount == 0:
        return [_("Jasa modal: tidak ada bagian SHU untuk jasa modal tahun ini.")]
    if summary.modal_total_base == 0:
        return [
            _(
                "Jasa modal: tidak ada anggota yang memiliki simpanan yang dihitung, jadi dana "
                "jasa modal {amount} masuk cadangan.",
                amount=rupiah(component.amount),
            )
        ]
    if share.modal_base == 0:
        return [
            _(
                "Jasa modal: simpanan Anda yang dihitung ({kinds}) pada 31 Desember {year} "
                "Rp 0, jadi jasa modal Anda Rp 0.",
                kinds=kinds,
                year=year,
            )
        ]
    part = Part(share.modal_base, summary.modal_total_base, component.amount, share.jasa_modal)
    return [
        _(
            "Jasa modal: {percent} dari SHU, yaitu {pool}, dibagi menurut simpanan anggota "
            "({kinds}) pada 31 Desember {year}. Simpanan Anda {base} dari seluruhnya {total}, "
            "yaitu {share}.",
            percent=bp_text(component.bp, language),
            pool=rupiah(component.amount),
            kinds=kinds,
            year=year,
            base=rupiah(part.base),
            total=rupiah(part.total_base),
            share=_share_of(part, language),
        ),
        _calculation(part, _),
        _rounding(part, _),
    ]


def _usaha_lines(share: MemberShare, summary: Summary, language: str, _: Translate) -> list[str]:
    component = summary.part(Component.JASA_USAHA)
    year = summary.year
    basis = _(summary.allocation.usaha_basis.label)
    if component.amount == 0:
        return [_("Jasa usaha: tidak ada bagian SHU untuk jasa usaha tahun ini.")]
    if summary.usaha_total_base == 0:
        return [
            _(
                "Jasa usaha: tidak ada anggota yang bertransaksi ({basis}), jadi dana jasa "
                "usaha {amount} masuk cadangan.",
                basis=basis,
                amount=rupiah(component.amount),
            )
        ]
    if share.usaha_base == 0:
        return [
            _(
                "Jasa usaha: transaksi Anda ({basis}) selama tahun {year} Rp 0, jadi jasa "
                "usaha Anda Rp 0.",
                basis=basis,
                year=year,
            )
        ]
    part = Part(share.usaha_base, summary.usaha_total_base, component.amount, share.jasa_usaha)
    return [
        _(
            "Jasa usaha: {percent} dari SHU, yaitu {pool}, dibagi menurut transaksi anggota "
            "selama tahun {year} ({basis}). Transaksi Anda {base} dari seluruhnya {total}, "
            "yaitu {share}.",
            percent=bp_text(component.bp, language),
            pool=rupiah(component.amount),
            year=year,
            basis=basis,
            base=rupiah(part.base),
            total=rupiah(part.total_base),
            share=_share_of(part, language),
        ),
        _calculation(part, _),
        _rounding(part, _),
    ]


def explanation(
    share: MemberShare,
    summary: Summary,
    language: str,
    _: Translate,
    destination: Destination | None = None,
) -> list[str]:
    """How a member's share was derived, sentence by sentence, in words a member can read:
    the year's SHU, each of jasa modal and jasa usaha (their base, the total base, the
    percentage, the pool, the exact fraction and the rounding), the sum, and where the
    money went (`destination`; None before posting)."""
    lines = [_("SHU koperasi tahun {year}: {pool}.", year=summary.year, pool=rupiah(summary.pool))]
    lines += _modal_lines(share, summary, language, _)
    lines += _usaha_lines(share, summary, language, _)
    lines.append(
        _(
            "SHU bagian Anda: jasa modal {modal} + jasa usaha {usaha} = {total}.",
            modal=rupiah(share.jasa_modal),
            usaha=rupiah(share.jasa_usaha),
            total=rupiah(share.total),
        )
    )
    if destination is None:
        lines.append(
            _(
                "Belum dibagikan: angka ini masih dapat berubah sampai pengurus membukukan "
                "pembagian SHU."
            )
        )
    elif share.total > 0 and destination.credited:
        lines.append(
            _(
                "Sudah dimasukkan ke simpanan sukarela Anda pada {date} (kuitansi {receipt}).",
                date=long_date(destination.posted_on, language),
                receipt=destination.receipt or "-",
            )
        )
    elif share.total > 0:
        lines.append(
            _(
                "Dibukukan pada {date} sebagai dana SHU bagian anggota: silakan ambil di koperasi.",
                date=long_date(destination.posted_on, language),
            )
        )
    return lines
