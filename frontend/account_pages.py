"""Account pages, plain HTML with small scripts (no ReactPy): sign in (`/masuk`), join by
invitation (`/undangan/{token}`) and the signed-in person's account (`/akun`: roles,
invitations, the people a pengurus or Dinas officer looks after, passkeys, the audit log).

Passkey ceremonies run in the browser (`static/passkey.js`, `static/account.js`); every
action goes through the JSON API under /api/v1 with the session's CSRF token, which the
account page carries in `<meta name="csrf-token">`. Texts the scripts show are rendered here,
in the page's language, into `<template id="koroena-messages">`.

`/akun` and `/undangan/…` are personal: `Cache-Control: no-store` keeps them out of the
browser's and the service worker's caches (a phone may be shared). `/masuk` is the same for
everyone (only the header's account item differs) and is precached for offline use."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Any
from urllib.parse import quote

from litestar import Request, Response, get
from litestar.params import PathParameter, QueryParameter
from litestar.response import Redirect

from backend.accounts import audit, invitations, passkeys, people
from backend.accounts.domain import Role
from backend.accounts.guards import PAGE, PUBLIC
from backend.accounts.sessions import CurrentUser, Grant
from backend.accounts.web import client_ip, now_utc, user_of
from backend.errors import AppError
from backend.formatting import long_date, rupiah
from backend.push import service as push_service
from backend.ratelimit import RateLimiter
from backend.tenancy import service as tenancy
from backend.texts import N_
from frontend.document import element as el
from frontend.document import local_path
from frontend.document import text_element as tx
from frontend.i18n import Translate, translator
from frontend.personal import (
    PERSONAL_HEADERS,
    PUBLIC_HEADERS,
    REGION_TZ,
    document,
    facts,
    field,
    language_of_request,
    message_boxes,
    noscript,
    panel,
    script_messages,
    when,
)
from frontend.push_pages import PUSH_JS, notifications_section

PASSKEY_JS = "/static/passkey.js"
ACCOUNT_JS = "/static/account.js"
AUDIT_LIMIT = 50
DEFAULT_DEVICE_NAME = N_("Ponsel saya")
NEW_DEVICE_NAME = N_("Perangkat baru")

# What the scripts may have to say, by key (see passkey.js `text()`).
SCRIPT_MESSAGES: dict[str, str] = {
    "unsupported": N_(
        "Peramban ini belum mendukung passkey. Gunakan versi terbaru Chrome, Edge, Safari "
        "atau Firefox."
    ),
    "cancelled_create": N_("Pembuatan passkey dibatalkan atau waktu habis. Silakan coba lagi."),
    "cancelled_get": N_("Penggunaan passkey dibatalkan atau waktu habis. Silakan coba lagi."),
    "exists": N_("Perangkat ini sudah menyimpan passkey untuk akun ini."),
    "wrong_address": N_(
        "Passkey tidak bisa dipakai di alamat ini. Buka aplikasi lewat alamat resminya."
    ),
    "network": N_("Tidak dapat menghubungi server. Periksa sinyal atau Wi-Fi, lalu coba lagi."),
    "failed": N_("Terjadi kesalahan. Silakan coba lagi."),
    "waiting": N_("Ikuti petunjuk di layar untuk membuka passkey…"),
    "checking": N_("Memeriksa passkey…"),
    "signed_in": N_("Berhasil masuk. Membuka halaman…"),
    "joined": N_("Passkey dibuat. Membuka akun Anda…"),
    "added": N_("Passkey untuk “{device}” ditambahkan."),
    "revoked": N_("Passkey “{device}” dicabut."),
    "confirm_revoke": N_(
        "Cabut passkey “{device}”? Perangkat itu tidak bisa dipakai untuk masuk lagi."
    ),
    "role_switched": N_("Peran aktif diganti."),
    "signing_out": N_("Keluar…"),
    "unsent_sales": N_(
        "Belum bisa keluar: {count} penjualan di kasir ponsel ini belum terkirim. Buka Kasir "
        "saat ada sinyal agar terkirim dulu."
    ),
    "unsent_reports": N_(
        "Belum bisa keluar: {count} laporan ke Dinas di ponsel ini belum terkirim. Buka "
        "Laporan saat ada sinyal agar terkirim dulu."
    ),
    "copied": N_("Tautan disalin."),
    "copy_failed": N_("Tautan tidak bisa disalin otomatis. Tekan lama tautan untuk menyalinnya."),
    "invitation_made": N_(
        "Undangan untuk {name} ({role}) sudah dibuat. Berlaku sekali, sampai {time} WIB."
    ),
    "qr_label": N_("Kode QR tautan undangan"),
    "recovery_made": N_(
        "Undangan pemulihan untuk {name} sudah dibuat. Berlaku sekali, sampai {time} WIB. "
        "Tautan ini hanya menambahkan passkey di perangkat barunya; perannya tetap sama."
    ),
    "recovery_qr_label": N_("Kode QR tautan pemulihan"),
    "confirm_revoke_role": N_(
        "Cabut peran {role} dari {name}? {name} tidak bisa lagi memakai peran ini. "
        "Akun dan passkey-nya tetap ada."
    ),
    "role_revoked": N_("Peran {role} dari {name} dicabut."),
}

AUDIT_ACTIONS: dict[str, str] = {
    "invitation_created": N_("Undangan dibuat"),
    "invitation_redeemed": N_("Undangan dipakai untuk bergabung"),
    "recovery_invitation_created": N_("Undangan pemulihan dibuat"),
    "recovery_invitation_redeemed": N_("Perangkat baru ditambahkan lewat undangan pemulihan"),
    "signed_in": N_("Berhasil masuk"),
    "sign_in_failed": N_("Gagal masuk"),
    "sessions_ended": N_("Keluar dari semua perangkat"),
    "passkey_added": N_("Passkey ditambahkan"),
    "passkey_revoked": N_("Passkey dicabut"),
    "role_revoked": N_("Peran dicabut"),
    "entry_posted": N_("Jurnal umum dicatat"),
    "entry_reversed": N_("Jurnal dibalik"),
    "period_closed": N_("Periode ditutup"),
    "account_added": N_("Akun ditambahkan ke bagan akun"),
    "account_changed": N_("Akun diubah"),
    "account_deleted": N_("Akun dihapus"),
    "opening_balances_imported": N_("Saldo awal diimpor"),
    "members_imported": N_("Anggota dan saldo simpanan diimpor"),
    "savings_deposit": N_("Setoran simpanan"),
    "savings_withdrawal": N_("Penarikan simpanan"),
    "member_exit": N_("Anggota keluar; simpanan dikembalikan"),
    "savings_policy_changed": N_("Pengaturan simpanan diubah"),
    "product_created": N_("Barang ditambahkan ke katalog"),
    "product_changed": N_("Barang diubah"),
    "catalog_imported": N_("Katalog diimpor"),
    "shop_settings_changed": N_("Pengaturan toko diubah"),
    "stock_purchase": N_("Pembelian barang dicatat"),
    "stock_adjustment": N_("Penyesuaian stok dicatat"),
    "stock_count": N_("Stok opname dicatat"),
    "loan_product_created": N_("Produk pinjaman ditambahkan"),
    "loan_product_changed": N_("Produk pinjaman diubah"),
    "loan_applied": N_("Pinjaman diajukan"),
    "loan_approved": N_("Pengajuan pinjaman disetujui"),
    "loan_rejected": N_("Pengajuan pinjaman ditolak"),
    "loan_cancelled": N_("Pengajuan pinjaman dibatalkan"),
    "loan_disbursed": N_("Pinjaman dicairkan"),
    "loan_payment": N_("Angsuran pinjaman diterima"),
    "loan_payoff": N_("Pinjaman dilunasi lebih awal"),
    "loan_payment_reversed": N_("Pembayaran pinjaman dibatalkan"),
    "loan_written_off": N_("Pinjaman dihapusbukukan"),
    "ppap_posted": N_("Penyesuaian PPAP dibukukan"),
    "shu_allocation_changed": N_("Ketentuan pembagian SHU diubah"),
    "shu_posted": N_("Pembagian SHU dibukukan"),
    "legality_profile_changed": N_("Profil legalitas koperasi diubah"),
    "legality_amendments_changed": N_("Daftar perubahan akta diubah"),
    "legality_board_changed": N_("Susunan pengurus dan pengawas diubah"),
    "legality_document_uploaded": N_("Dokumen legalitas diunggah"),
    "legality_document_deleted": N_("Dokumen legalitas dihapus"),
    "legality_profile_verified": N_("Profil legalitas diperiksa Dinas"),
    "legality_document_verified": N_("Dokumen legalitas diperiksa Dinas"),
    "report_submitted": N_("Laporan ke Dinas dikirim"),
}

# Whom each role may invite (the server decides; this only shapes the form).
INVITABLE: dict[Role, tuple[Role, ...]] = {
    Role.PENGURUS: (Role.KASIR, Role.ANGGOTA, Role.PENGURUS),
    Role.DINAS: (Role.PENGURUS, Role.DINAS),
}


def _limiter(request: Request[Any, Any, Any]) -> RateLimiter:
    return request.app.state.auth_limiter  # type: ignore[no-any-return]


# /masuk

SIGN_IN_MESSAGES = (
    "unsupported",
    "cancelled_get",
    "wrong_address",
    "network",
    "failed",
    "waiting",
    "checking",
    "signed_in",
)


@get("/masuk", include_in_schema=False, opt=PUBLIC, name="sign_in_page")
async def sign_in_page(
    request: Request[Any, Any, Any],
    next_path: Annotated[str, QueryParameter(name="next", max_length=500)] = "/",
) -> Response[str]:
    language = language_of_request(request)
    _ = translator(language)
    main = el(
        "section",
        tx("h1", _("Masuk")),
        tx(
            "p",
            _(
                "Masuk dengan passkey yang tersimpan di perangkat ini. Passkey dibuka dengan "
                "sidik jari, wajah atau kunci layar ponsel Anda, tanpa kata sandi."
            ),
        ),
        noscript(_),
        message_boxes(),
        tx(
            "button",
            _("Masuk dengan passkey"),
            type="button",
            class_="button button-block",
            id="passkey-sign-in",
            data_next=local_path(next_path),
            disabled=True,  # passkey.js enables it once it can handle the tap
        ),
        tx("h2", _("Belum punya akun?")),
        tx(
            "p",
            _(
                "Akun dibuat lewat undangan: minta tautan atau kode QR undangan kepada pengurus "
                "koperasi Anda. Pengurus diundang oleh Dinas Koperasi."
            ),
        ),
        tx("h2", _("Ganti ponsel atau ponsel hilang?")),
        tx(
            "p",
            _(
                "Minta undangan pemulihan kepada pengurus koperasi Anda (atau Dinas Koperasi). "
                "Akun dan peran Anda tetap sama. Setelah masuk, cabut passkey ponsel lama di "
                "halaman Akun."
            ),
        ),
        script_messages(_, SCRIPT_MESSAGES, SIGN_IN_MESSAGES),
        class_="narrow",
    )
    return document(
        request,
        language=language,
        _=_,
        title=_("Masuk"),
        main_html=main,
        user=user_of(request),
        scripts=(PASSKEY_JS,),
        status=200,
        headers=PUBLIC_HEADERS,
    )


# /undangan/{token}

JOIN_MESSAGES = (
    "unsupported",
    "cancelled_create",
    "exists",
    "wrong_address",
    "network",
    "failed",
    "waiting",
    "checking",
    "joined",
)
REFUSAL_TITLES = {
    "invitation_used": N_("Undangan sudah dipakai"),
    "invitation_expired": N_("Undangan sudah kedaluwarsa"),
    "too_many_requests": N_("Terlalu banyak percobaan"),
}


def _invitation_refused(error: AppError, _: Translate) -> tuple[str, str]:
    """Title and main content for an invitation that cannot be used."""
    title = _(REFUSAL_TITLES.get(error.code, N_("Undangan tidak ditemukan")))
    help_text = _(
        "Periksa apakah tautan tersalin lengkap, atau minta undangan baru kepada pengurus "
        "koperasi (atau Dinas Koperasi) yang mengundang Anda."
    )
    main = el(
        "section",
        tx("h1", title),
        tx("p", _(error.message), class_="error-box"),
        tx("p", help_text) if error.code == "invitation_not_found" else "",
        el("p", tx("a", _("Kembali ke beranda"), class_="button", href="/")),
        class_="narrow",
    )
    return title, main


@get("/undangan/{token:str}", include_in_schema=False, opt=PUBLIC, name="invitation_page")
async def invitation_page(
    request: Request[Any, Any, Any], token: Annotated[str, PathParameter(max_length=2000)]
) -> Response[str]:
    # A generous limit: a mangled link gets the page that says "not found" (the service
    # refuses anything longer than a token) rather than a JSON validation error.
    language = language_of_request(request)
    _ = translator(language)
    user = user_of(request)
    try:
        _limiter(request).check("invite:" + client_ip(request.scope))
        info = await invitations.describe_invitation(token, now_utc())
    except AppError as error:
        title, main = _invitation_refused(error, _)
        return document(
            request,
            language=language,
            _=_,
            title=title,
            main_html=main,
            user=user,
            scripts=(),
            status=error.status,
            headers=PERSONAL_HEADERS,
        )
    role = _(info.role_label)
    after = ""
    if info.adds_device:
        heading = _("Tambahkan perangkat baru")
        intro = _(
            "Halo {name}, undangan pemulihan ini menambahkan perangkat ini ke akun Anda yang "
            "sudah ada. Tidak ada akun baru: peran, riwayat dan data Anda tetap sama.",
            name=info.invitee_name,
        )
        after = _(
            "Setelah passkey dibuat, cabut passkey ponsel yang hilang atau tidak dipakai lagi "
            "di halaman Akun."
        )
        button = _("Buat passkey di perangkat ini")
    else:
        heading = _("Undangan bergabung ke Koroena")
        intro = _(
            "Halo {name}, Anda diundang bergabung sebagai {role} di {place}.",
            name=info.invitee_name,
            role=role,
            place=info.koperasi_name or info.region_name,
        )
        button = _("Buat passkey dan bergabung")
    invitation_facts = facts(
        [
            (_("Nama"), info.invitee_name),
            (_("Peran"), role),
            (_("Nama koperasi"), info.koperasi_name),
            (_("Wilayah"), info.region_name),
            (_("Nomor anggota"), info.member_number),
            (_("Berlaku sampai"), when(info.expires_at, language)),
        ]
    )
    device = el(
        "input",
        id="device-name",
        name="device_name",
        maxlength=100,
        autocomplete="off",
        aria_describedby="device-name-hint",
        value=_(NEW_DEVICE_NAME if info.adds_device else DEFAULT_DEVICE_NAME),
    )
    main = el(
        "section",
        tx("h1", heading),
        tx("p", intro, class_="lead"),
        invitation_facts,
        tx("h2", _("Buat passkey")),
        tx(
            "p",
            _(
                "Passkey menggantikan kata sandi: kunci rahasia yang disimpan di perangkat ini "
                "dan dibuka dengan sidik jari, wajah atau kunci layar. Undangan ini hanya bisa "
                "dipakai sekali."
            ),
        ),
        tx("p", after) if after else "",
        noscript(_),
        field(
            _("Nama perangkat"),
            device,
            "device-name",
            _("Untuk mengenali passkey ini nanti di halaman Akun."),
        ),
        message_boxes(),
        tx(
            "button",
            button,
            type="button",
            class_="button button-block",
            id="passkey-join",
            data_token=token,
            disabled=True,  # passkey.js enables it once it can handle the tap
        ),
        script_messages(_, SCRIPT_MESSAGES, JOIN_MESSAGES),
        class_="narrow",
    )
    return document(
        request,
        language=language,
        _=_,
        title=heading,
        main_html=main,
        user=user,
        scripts=(PASSKEY_JS,),
        status=200,
        headers=PERSONAL_HEADERS,
    )


# /akun

ACCOUNT_MESSAGES = (
    "unsent_sales",
    "unsent_reports",
    "unsupported",
    "cancelled_create",
    "exists",
    "wrong_address",
    "network",
    "failed",
    "waiting",
    "checking",
    "added",
    "revoked",
    "confirm_revoke",
    "role_switched",
    "signing_out",
    "copied",
    "copy_failed",
    "invitation_made",
    "qr_label",
    "recovery_made",
    "recovery_qr_label",
    "confirm_revoke_role",
    "role_revoked",
)


def _grant_place(grant: Grant) -> str:
    return grant.koperasi_name or grant.region_name


def _roles_section(user: CurrentUser, _: Translate) -> str:
    active_id = user.active.id if user.active is not None else None
    if not user.grants:
        none = _(
            "Anda belum memiliki peran di koperasi mana pun. Minta undangan kepada pengurus "
            "koperasi."
        )
        return panel("roles-heading", _("Peran"), tx("p", none, class_="notice", id="no-role"))
    items = [
        el(
            "li",
            tx("strong", _(grant.role_label)),
            " " + tx("span", _("Aktif"), class_="tag") if grant.id == active_id else "",
            el("br"),
            tx("span", _grant_place(grant), class_="muted"),
            data_grant_id=grant.id,
        )
        for grant in user.grants
    ]
    switch = ""
    if len(user.grants) > 1:
        options = [
            tx(
                "option",
                _(g.role_label) + " · " + _grant_place(g),
                value=g.id,
                selected=g.id == active_id,
            )
            for g in user.grants
        ]
        switch = el(
            "form",
            field(
                _("Peran aktif"),
                el("select", *options, id="role-select", name="grant_id"),
                "role-select",
            ),
            tx("button", _("Ganti peran aktif"), type="submit", class_="button button-secondary"),
            id="role-form",
        )
    return panel("roles-heading", _("Peran"), el("ul", *items, class_="plain-list roles"), switch)


def _passkeys_section(keys: list[passkeys.PasskeyInfo], language: str, _: Translate) -> str:
    items = []
    for key in keys:
        last_used = when(key.last_used_at, language) if key.last_used_at else _("belum pernah")
        made = (
            tx("span", _("Dibuat {time}", time=when(key.created_at, language)))
            + el("br")
            + tx("span", _("Terakhir dipakai {time}", time=last_used))
        )
        items.append(
            el(
                "li",
                tx("h3", key.device_name, class_="passkey-name"),
                el("p", made, class_="muted"),
                tx(
                    "button",
                    _("Cabut"),
                    type="button",
                    class_="button button-danger",
                    data_revoke=key.id,
                    data_device=key.device_name,
                    aria_label=_("Cabut passkey {device}", device=key.device_name),
                ),
                class_="passkey-item",
                data_passkey_id=key.id,
            )
        )
    device = el(
        "input",
        id="device-name",
        name="device_name",
        maxlength=100,
        autocomplete="off",
        value=_(NEW_DEVICE_NAME),
    )
    return panel(
        "passkeys-heading",
        _("Passkey"),
        tx(
            "p",
            _(
                "Passkey yang bisa dipakai untuk masuk ke akun ini. Cabut passkey perangkat "
                "yang hilang atau tidak dipakai lagi."
            ),
            class_="muted",
        ),
        el("ul", *items, class_="plain-list passkeys"),
        tx("h3", _("Tambah perangkat")),
        tx(
            "p",
            _("Buat passkey baru di perangkat atau pengelola passkey yang sedang Anda pakai."),
        ),
        field(_("Nama perangkat"), device, "device-name"),
        tx("button", _("Tambah perangkat"), type="button", class_="button", id="passkey-add"),
    )


def _link_result(prefix: str, *, heading: str, url_label: str, caption: str, _: Translate) -> str:
    """Where a new one-time link appears (hidden until there is one): the text, the link to
    copy or share, its QR code. account.js `linkResult(prefix)` fills it in."""
    return el(
        "div",
        heading,
        el("p", id=f"{prefix}-result-text", role="status"),
        field(url_label, el("input", id=f"{prefix}-url", readonly=True), f"{prefix}-url"),
        el(
            "div",
            tx("button", _("Salin tautan"), type="button", class_="button", id=f"{prefix}-copy"),
            tx(
                "button",
                _("Bagikan"),
                type="button",
                class_="button button-secondary",
                id=f"{prefix}-share",
                hidden=True,
            ),
            class_="actions",
        ),
        el("figure", el("div", id=f"{prefix}-qr"), tx("figcaption", caption), class_="qr"),
        id=f"{prefix}-result",
        class_="link-result",
        hidden=True,
    )


def _invite_section(
    user: CurrentUser, region_koperasi: list[tenancy.KoperasiSummary], _: Translate
) -> str:
    active = user.active
    if active is None or active.role not in INVITABLE:
        return ""
    roles = INVITABLE[active.role]
    fields = [
        field(
            _("Peran"),
            el(
                "select",
                *[tx("option", _(r.label), value=r.value) for r in roles],
                id="invite-role",
                name="role",
            ),
            "invite-role",
        ),
        field(
            _("Nama yang diundang"),
            el(
                "input",
                id="invite-name",
                name="name",
                required=True,
                maxlength=200,
                autocomplete="off",
            ),
            "invite-name",
        ),
    ]
    if Role.ANGGOTA in roles:
        member = el(
            "input",
            id="invite-member",
            name="member_number",
            maxlength=20,
            autocomplete="off",
            placeholder="A-0001",
            aria_describedby="invite-member-hint",
        )
        fields.append(
            field(
                _("Nomor anggota"),
                member,
                "invite-member",
                _("Nomor pada kartu anggota. Anggota hanya melihat datanya sendiri."),
                data_for_roles="anggota",
                hidden=True,
            )
        )
    if active.role is Role.DINAS:
        koperasi = el(
            "select",
            tx("option", _("Pilih koperasi…"), value=""),
            *[tx("option", k.name, value=k.slug) for k in region_koperasi],
            id="invite-koperasi",
            name="koperasi",
        )
        fields.append(
            field(
                _("Koperasi yang dikelola"),
                koperasi,
                "invite-koperasi",
                data_for_roles="pengurus kasir anggota",
            )
        )
    form = el(
        "form",
        *fields,
        tx("button", _("Buat undangan"), type="submit", class_="button"),
        id="invite-form",
        data_koperasi=active.koperasi_slug,
    )
    result = _link_result(
        "invite",
        heading=tx("h3", _("Undangan siap"), id="invite-result-heading", tabindex="-1"),
        url_label=_("Tautan undangan"),
        caption=_("Minta orang yang diundang memindai kode ini dengan kamera ponselnya."),
        _=_,
    )
    explain = _(
        "Buat tautan undangan sekali pakai. Orang yang diundang membukanya di ponselnya "
        "sendiri (atau memindai kode QR-nya) lalu membuat passkey."
    )
    return panel("invite-heading", _("Undang"), tx("p", explain, class_="muted"), form, result)


def _passkey_count(count: int, _: Translate) -> str:
    if count == 0:
        return _("Belum ada passkey")
    return _("1 passkey") if count == 1 else _("{count} passkey", count=count)


def _person_item(
    person: people.PersonRole, user: CurrentUser, shared: bool, language: str, _: Translate
) -> str:
    """One role someone holds, with what can be done about it. `shared`: the same person
    holds another role in the list too, so the buttons also name the role."""
    role = _(person.role_label)
    person_facts = [role]
    if person.member_number:
        person_facts.append(_("Nomor anggota {number}", number=person.member_number))
    if user.active is not None and user.active.role is Role.DINAS and person.koperasi_name:
        person_facts.append(person.koperasi_name)
    since = _("sejak {date}", date=long_date(person.since.astimezone(REGION_TZ), language))
    own = person.user_id == user.user_id
    name = person.display_name
    if shared:
        recovery_label = _("Undangan pemulihan untuk {name} sebagai {role}", name=name, role=role)
        revoke_label = _("Cabut peran {name} sebagai {role}", name=name, role=role)
    else:
        recovery_label = _("Undangan pemulihan untuk {name}", name=name)
        revoke_label = _("Cabut peran {name}", name=name)
    buttons = [
        tx(
            "button",
            _("Undangan pemulihan"),
            type="button",
            class_="button button-secondary",
            data_person_recovery=person.grant_id,
            aria_label=recovery_label,
        )
    ]
    if not own:
        buttons.append(
            tx(
                "button",
                _("Cabut peran"),
                type="button",
                class_="button button-danger",
                data_person_revoke=person.grant_id,
                aria_label=revoke_label,
            )
        )
    return el(
        "li",
        el(
            "div",
            tx("h3", name, class_="person-name"),
            tx("span", _("Anda"), class_="tag") if own else "",
            class_="person-head",
        ),
        tx("p", " · ".join(person_facts), class_="person-role"),
        tx("p", _passkey_count(person.passkeys, _) + " · " + since, class_="muted"),
        el("div", *buttons, class_="actions"),
        class_="person-item",
        data_grant_id=person.grant_id,
        data_name=name,
        data_role=role,
    )


def _people_section(
    user: CurrentUser, roles: list[people.PersonRole], language: str, _: Translate
) -> str:
    """The roles this pengurus (their koperasi) or Dinas officer (their region) looks after:
    a recovery invitation for a lost phone, or revoking the role."""
    active = user.active
    if active is None or active.role not in INVITABLE:
        return ""
    if active.role is Role.DINAS:
        heading = _("Pengurus dan petugas di wilayah ini")
        whose = _("Pengurus koperasi dan petugas Dinas di {region}.", region=active.region_name)
    else:
        heading = _("Orang di koperasi ini")
        whose = _("Semua yang memegang peran di {koperasi}.", koperasi=_grant_place(active))
    explain = _(
        "Ponsel hilang atau ganti ponsel? Buat undangan pemulihan: tautan sekali pakai yang "
        "menambahkan passkey di ponsel barunya ke akun yang sama, dengan peran yang sama. "
        "Cabut peran orang yang tidak lagi bertugas."
    )
    holders: dict[int, int] = {}
    for person in roles:
        holders[person.user_id] = holders.get(person.user_id, 0) + 1
    items = [
        _person_item(person, user, holders[person.user_id] > 1, language, _) for person in roles
    ]
    result = _link_result(
        "recovery",
        heading=tx("h4", _("Undangan pemulihan siap"), id="recovery-result-heading", tabindex="-1"),
        url_label=_("Tautan pemulihan"),
        caption=_("Minta pemilik akun memindai kode ini dengan kamera ponsel barunya."),
        _=_,
    )
    return panel(
        "people-heading",
        heading,
        tx("p", whose),
        tx("p", explain, class_="muted"),
        el("div", id="people-alert", class_="error-box message", role="alert"),
        el("div", id="people-status", class_="status-box message", role="status"),
        el("ul", *items, class_="plain-list people", id="people-list")
        if items
        else tx("p", _("Belum ada yang memegang peran."), class_="muted"),
        result,
    )


def _audit_detail(entry: audit.AuditEntry, _: Translate) -> str:
    detail = entry.detail
    parts: list[str] = []
    role = detail.get("role")
    if isinstance(role, str):
        try:
            parts.append(_(Role(role).label))
        except ValueError:
            parts.append(role)
    for key in ("name", "person", "member_number", "member", "device", "code", "period"):
        value = detail.get(key)
        if isinstance(value, str) and value:
            parts.append(value)
    number = detail.get("number")
    if isinstance(number, int):
        parts.append(f"#{number}")
    amount = detail.get("amount", detail.get("total"))
    if isinstance(amount, int) and not isinstance(amount, bool):
        parts.append(rupiah(amount))
    count = detail.get("count")
    if isinstance(count, int):
        parts.append(_("{count} sesi", count=count))
    return " · ".join(parts)


def _audit_section(
    events: list[audit.AuditEntry],
    koperasi_names: Mapping[int, str],
    language: str,
    _: Translate,
) -> str:
    items = []
    for entry in events:
        action = AUDIT_ACTIONS.get(entry.action)
        who = _("oleh {who}", who=entry.actor_name or _("Sistem (baris perintah)"))
        where = koperasi_names.get(entry.koperasi_id or 0)
        detail = _audit_detail(entry, _)
        items.append(
            el(
                "li",
                tx(
                    "time",
                    when(entry.created_at, language),
                    datetime=entry.created_at.isoformat(),
                    class_="muted",
                ),
                tx("span", _(action) if action else entry.action, class_="audit-action"),
                tx("span", detail, class_="audit-detail") if detail else "",
                tx("span", who + (" · " + where if where else ""), class_="muted"),
                class_="audit-item",
            )
        )
    body = (
        el("ol", *items, class_="plain-list audit")
        if items
        else tx("p", _("Belum ada kejadian."), class_="muted")
    )
    return panel(
        "audit-heading",
        _("Log audit"),
        tx("p", _("Terbaru di atas, paling banyak {count}.", count=AUDIT_LIMIT), class_="muted"),
        body,
    )


def _sign_out_section(_: Translate) -> str:
    explain = _(
        "Di ponsel yang dipakai bersama, selalu keluar setelah selesai. “Keluar dari semua "
        "perangkat” juga mengakhiri sesi di perangkat lain."
    )
    return panel(
        "sign-out-heading",
        _("Keluar dari akun"),
        tx("p", explain, class_="muted"),
        el(
            "div",
            tx(
                "button",
                _("Keluar dari perangkat ini"),
                type="button",
                class_="button",
                id="sign-out",
            ),
            tx(
                "button",
                _("Keluar dari semua perangkat"),
                type="button",
                class_="button button-secondary",
                id="sign-out-all",
            ),
            class_="actions",
        ),
    )


async def _region_koperasi(region_id: int) -> list[tenancy.KoperasiSummary]:
    for region in await tenancy.list_regions():
        if region.id == region_id:
            return (await tenancy.region_directory(region.slug))[1]
    return []


@get("/akun", include_in_schema=False, opt=PAGE, name="account_page")
async def account_page(request: Request[Any, Any, Any]) -> Response[Any]:
    user = user_of(request)
    if user is None:
        return Redirect(
            "/masuk?next=" + quote(request.url.path), status_code=303, headers=PERSONAL_HEADERS
        )
    language = language_of_request(request)
    _ = translator(language)
    keys = await passkeys.list_passkeys(user.user_id)
    push_devices = await push_service.devices(user.user_id)
    push_topics = await push_service.preferences(user.user_id, [g.role for g in user.grants])
    actor = user.actor
    may_invite = actor is not None and actor.role in INVITABLE
    events: list[audit.AuditEntry] = []
    region_koperasi: list[tenancy.KoperasiSummary] = []
    roles: list[people.PersonRole] = []
    if actor is not None and may_invite:
        events = await audit.list_events(actor, limit=AUDIT_LIMIT)
        roles = await people.list_people(actor)
        if actor.role is Role.DINAS:
            region_koperasi = await _region_koperasi(actor.region_id)
    koperasi_names = {k.id: k.name for k in region_koperasi}
    active = user.active
    acting_as = (
        _("Masuk sebagai {role} · {place}", role=_(active.role_label), place=_grant_place(active))
        if active is not None
        else ""
    )
    main = (
        tx("h1", _("Akun saya"))
        + el(
            "p",
            tx("strong", user.display_name),
            el("br") + tx("span", acting_as, class_="muted") if acting_as else "",
            class_="lead",
        )
        + noscript(_)
        + message_boxes()
        + el(
            "div",
            _roles_section(user, _),
            _invite_section(user, region_koperasi, _),
            _people_section(user, roles, language, _),
            _passkeys_section(keys, language, _),
            notifications_section(push_devices, push_topics, language, _),
            _audit_section(events, koperasi_names, language, _) if may_invite else "",
            _sign_out_section(_),
            class_="panels",
        )
        + script_messages(_, SCRIPT_MESSAGES, ACCOUNT_MESSAGES)
    )
    return document(
        request,
        language=language,
        _=_,
        title=_("Akun saya"),
        main_html=main,
        user=user,
        scripts=(ACCOUNT_JS, PUSH_JS),
        status=200,
        headers=PERSONAL_HEADERS,
        meta={"csrf-token": user.csrf_token},
    )
