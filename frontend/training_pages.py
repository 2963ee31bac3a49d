"""Training (diklat) pages, plain HTML (decision 0017):

- `/pelatihan` — signed in: the person's registrations (seat, place in the queue,
  attendance; cancel until the start) and the trainings of their region meant for them or
  public (register: a seat while the quota lasts, else the waiting list). Not signed in:
  the public trainings, with a sign-in link to register.
- `/pengawasan/pelatihan` — the Dinas officers' list of their region's trainings and the
  form to plan or change one.
- `/pengawasan/pelatihan/{id}` — one training: open / close / finish / cancel,
  participants with attendance, the waiting list in order, the cancelled, the Excel
  attendance list."""

from __future__ import annotations

import json
from typing import Annotated, Any

from litestar import Request, Response, get
from litestar.params import PathParameter, QueryParameter

from backend.accounts.domain import Role
from backend.accounts.guards import PAGE, PUBLIC
from backend.accounts.web import user_of
from backend.errors import AppError
from backend.outreach import training
from backend.outreach.domain import (
    AUDIENCE_ROLES,
    PLACE_MAX,
    QUOTA_MAX,
    TRAINING_DESCRIPTION_MAX,
    TRANSITIONS,
    Attendance,
    RegistrationStatus,
    TrainingStatus,
)
from backend.texts import N_
from frontend.document import element as el
from frontend.document import text_element as tx
from frontend.i18n import Translate, translator
from frontend.outreach_common import (
    OUTREACH_JS,
    TZ_OFFSET,
    Notice,
    api_button,
    dinas_tabs,
    local_input,
    markup_hint,
    message_area,
    messages,
    moment,
    notice_text,
    section_messages,
    span_text,
    stylesheet,
    submit,
)
from frontend.personal import (
    PERSONAL_HEADERS,
    PUBLIC_HEADERS,
    document,
    facts,
    field,
    language_of_request,
    noscript,
    panel,
    refusal_page,
    sign_in_redirect,
)

NOTICES: dict[str, str] = {
    "daftar": N_("Pendaftaran Anda tercatat."),
    "batal": N_("Pendaftaran Anda dibatalkan."),
    "dibuat": N_("Pelatihan disimpan sebagai draf. Buka pendaftaran untuk mengumumkannya."),
    "disimpan": N_("Perubahan pelatihan disimpan."),
    "status": N_("Status pelatihan diubah."),
    "hadir": N_("Kehadiran disimpan."),
    "keluar": N_("Peserta dikeluarkan; kursi yang kosong diberikan ke antrean teratas."),
}

# What each status button says and asks.
STATUS_ACTIONS: dict[TrainingStatus, tuple[str, str | None]] = {
    TrainingStatus.DIBUKA: (
        N_("Buka pendaftaran"),
        N_("Buka pendaftaran? Pertama kali dibuka, semua peserta sasaran diberi tahu."),
    ),
    TrainingStatus.DITUTUP: (N_("Tutup pendaftaran"), None),
    TrainingStatus.SELESAI: (N_("Tandai selesai"), N_("Tandai pelatihan ini selesai?")),
    TrainingStatus.BATAL: (
        N_("Batalkan pelatihan"),
        N_("Batalkan pelatihan ini? Semua yang terdaftar diberi tahu. Tidak dapat diulang."),
    ),
}


def _roles_text(roles: list[str], _: Translate) -> str:
    return ", ".join(_(Role(r).label) for r in roles)


def _audience_text(event: training.TrainingOut, _: Translate) -> str:
    text = _roles_text(event.roles, _)
    if event.koperasi:
        text += " — " + ", ".join(k.name for k in event.koperasi)
    else:
        text += " — " + _("semua koperasi di wilayah")
    return text


def _where(event: training.TrainingOut, _: Translate) -> str:
    parts = []
    if event.place:
        parts.append(tx("span", event.place))
    if event.online_url:
        parts.append(
            tx(
                "a",
                _("Tautan pertemuan daring"),
                href=event.online_url,
                rel="noopener noreferrer",
                class_="external",
            )
        )
    return " · ".join(parts)


def _seats(event: training.TrainingOut, _: Translate) -> str:
    left = max(0, event.quota - event.seated)
    text = _(
        "Kuota {quota} orang · {seated} terdaftar · sisa {left}",
        quota=event.quota,
        seated=event.seated,
        left=left,
    )
    if event.waiting:
        text += " · " + _("{count} di daftar tunggu", count=event.waiting)
    return text


def _my_state(mine: training.MyRegistration, _: Translate) -> str:
    if mine.status == RegistrationStatus.MENUNGGU.value and mine.position is not None:
        text = _("Daftar tunggu nomor {position}", position=mine.position)
    else:
        text = _(mine.status_label)
    if mine.attendance_label:
        text += " · " + _(mine.attendance_label)
    return text


def _action(event: training.TrainingOut, signed_in: bool, language: str, _: Translate) -> str:
    base = f"/api/v1/training/{event.id}/registration"
    if not signed_in:
        return el(
            "p",
            tx("a", _("Masuk untuk mendaftar"), href="/masuk?next=/pelatihan", class_="button"),
            class_="actions",
        )
    parts = []
    if event.mine is not None:
        parts.append(
            tx("p", _("Status Anda: {state}", state=_my_state(event.mine, _)), class_="my-state")
        )
        if event.can_cancel:
            parts.append(
                api_button(
                    _("Batalkan pendaftaran"),
                    f"DELETE {base}",
                    "batal",
                    confirm=_("Batalkan pendaftaran Anda di {title}?", title=event.title),
                    secondary=True,
                    aria_label=_("Batalkan pendaftaran {title}", title=event.title),
                )
            )
    elif event.can_register:
        full = event.seated >= event.quota
        parts.append(
            api_button(
                _("Daftar ke daftar tunggu") if full else _("Daftar"),
                f"POST {base}",
                "daftar",
                aria_label=(
                    _("Daftar ke daftar tunggu {title}", title=event.title)
                    if full
                    else _("Daftar {title}", title=event.title)
                ),
            )
        )
        if full:
            parts.append(
                tx(
                    "p",
                    _("Kuota penuh. Anda mendapat kursi bila ada yang batal."),
                    class_="muted small",
                )
            )
    elif not event.in_audience:
        parts.append(
            tx(
                "p",
                _("Pelatihan ini untuk: {audience}", audience=_audience_text(event, _)),
                class_="muted",
            )
        )
    else:
        parts.append(tx("p", _("Pendaftaran sudah ditutup."), class_="muted"))
    return el("div", section_messages(), *parts, class_="actions-block", data_messages=True)


def event_card(
    event: training.TrainingOut, signed_in: bool, language: str, _: Translate, heading: str = "h3"
) -> str:
    rows = [
        (_("Waktu"), span_text(event.starts_at, event.ends_at, language, _)),
        (_("Batas pendaftaran"), moment(event.registration_deadline, language)),
        (_("Penyelenggara"), event.dinas_name),
        (_("Peserta"), _audience_text(event, _)),
        (_("Kuota"), _seats(event, _)),
    ]
    where = _where(event, _)
    return el(
        "article",
        tx(heading, event.title, id=f"pelatihan-{event.id}-judul"),
        tx(
            "p",
            _(event.status_label),
            class_="tag" + (" tag-open" if event.status == TrainingStatus.DIBUKA.value else ""),
        ),
        facts(rows),
        el("p", where, class_="where") if where else "",
        el("div", event.description_html, class_="prose") if event.description else "",
        _action(event, signed_in, language, _),
        class_="card training",
        id=f"pelatihan-{event.id}",
        aria_labelledby=f"pelatihan-{event.id}-judul",
    )


def _my_list(mine: list[training.TrainingOut], language: str, _: Translate) -> str:
    if not mine:
        return tx("p", _("Anda belum mendaftar pelatihan apa pun."), class_="muted")
    rows = []
    for event in mine:
        state = _my_state(event.mine, _) if event.mine else ""
        cancel = ""
        if event.can_cancel:
            cancel = api_button(
                _("Batalkan"),
                f"DELETE /api/v1/training/{event.id}/registration",
                "batal",
                confirm=_("Batalkan pendaftaran Anda di {title}?", title=event.title),
                secondary=True,
                aria_label=_("Batalkan pendaftaran {title}", title=event.title),
            )
        rows.append(
            el(
                "li",
                tx("strong", event.title),
                tx(
                    "p",
                    span_text(event.starts_at, event.ends_at, language, _),
                    class_="muted small",
                ),
                tx("p", f"{state} · {_(event.status_label)}", class_="my-state"),
                cancel,
            )
        )
    return el("div", section_messages(), el("ul", *rows, class_="plain-list"), data_messages=True)


@get("/pelatihan", include_in_schema=False, opt=PUBLIC, name="training_page")
async def training_page(request: Request[Any, Any, Any], pesan: Notice = None) -> Response[str]:
    user = user_of(request)
    language = language_of_request(request)
    _ = translator(language)
    actor = user.actor if user is not None else None
    if actor is None:
        events = await training.public_listing()
        cards = [el("li", event_card(e, False, language, _, "h2")) for e in events]
        main = (
            stylesheet()
            + tx("h1", _("Pelatihan"))
            + tx(
                "p",
                _("Pelatihan (diklat) dari Dinas Koperasi yang terbuka untuk diumumkan."),
                class_="lead",
            )
            + (
                el("ul", *cards, class_="plain-list trainings")
                if cards
                else tx("p", _("Belum ada pelatihan yang diumumkan."), class_="muted")
            )
        )
        return document(
            request,
            language=language,
            _=_,
            title=_("Pelatihan"),
            main_html=main,
            user=user,
            scripts=(),
            headers=PUBLIC_HEADERS if user is None else PERSONAL_HEADERS,
        )
    events = await training.listing(actor)
    mine = await training.my_trainings(actor)
    cards = [el("li", event_card(e, True, language, _)) for e in events]
    main = (
        stylesheet()
        + (dinas_tabs("/pengawasan/pelatihan", _) if actor.role is Role.DINAS else "")
        + tx("h1", _("Pelatihan"))
        + noscript(_)
        + message_area(notice_text(pesan, NOTICES, _))
        + el(
            "div",
            panel("mine-heading", _("Pendaftaran saya"), _my_list(mine, language, _)),
            panel(
                "events-heading",
                _("Pelatihan di wilayah Anda"),
                el("ul", *cards, class_="plain-list trainings")
                if cards
                else tx("p", _("Belum ada pelatihan yang dibuka untuk Anda."), class_="muted"),
            ),
            class_="panels",
        )
        + messages(_)
    )
    return document(
        request,
        language=language,
        _=_,
        title=_("Pelatihan"),
        main_html=main,
        user=user,
        scripts=(OUTREACH_JS,),
        headers=PERSONAL_HEADERS,
        meta={"csrf-token": user.csrf_token} if user is not None else None,
    )


# The Dinas's pages


def _datetime_field(label: str, name: str, value: str, _: Translate) -> str:
    control_id = f"training-{name.replace('_', '-')}"
    return field(
        label,
        el(
            "input",
            type="datetime-local",
            id=control_id,
            data_field=name,
            data_type="datetime",
            data_tz=TZ_OFFSET,
            value=value,
            required=True,
            aria_describedby=f"{control_id}-hint",
        ),
        control_id,
        _("Waktu WIB."),
    )


def _training_form(
    event: training.TrainingOut | None,
    koperasi: list[training.KoperasiRef],
    _: Translate,
) -> str:
    roles = set(event.roles) if event else {Role.ANGGOTA.value, Role.PENGURUS.value}
    chosen = {k.id for k in event.koperasi} if event else set()
    role_boxes = el(
        "fieldset",
        tx("legend", _("Peran peserta")),
        *[
            el(
                "label",
                el(
                    "input",
                    type="checkbox",
                    value=role.value,
                    checked=role.value in roles,
                ),
                " " + tx("span", _(role.label)),
                class_="choice",
            )
            for role in AUDIENCE_ROLES
        ],
        class_="choices",
        data_field="roles",
        data_type="checked",
    )
    koperasi_boxes = el(
        "fieldset",
        tx("legend", _("Koperasi peserta")),
        tx(
            "p",
            _("Kosongkan untuk semua koperasi di wilayah Anda."),
            class_="hint",
            id="training-koperasi-hint",
        ),
        *[
            el(
                "label",
                el("input", type="checkbox", value=k.slug, checked=k.id in chosen),
                " " + tx("span", k.name),
                class_="choice",
            )
            for k in koperasi
        ],
        class_="choices koperasi-choices",
        data_field="koperasi",
        data_type="checked",
        aria_describedby="training-koperasi-hint",
    )
    spec = f"PUT /api/v1/training/manage/{event.id}" if event else "POST /api/v1/training/manage"
    return el(
        "form",
        section_messages(),
        field(
            _("Judul"),
            el(
                "input",
                id="training-title",
                data_field="title",
                required=True,
                maxlength=200,
                value=event.title if event else "",
            ),
            "training-title",
        ),
        field(
            _("Keterangan"),
            tx(
                "textarea",
                event.description if event else "",
                id="training-description",
                data_field="description",
                rows=5,
                maxlength=TRAINING_DESCRIPTION_MAX,
                aria_describedby="training-description-hint",
            ),
            "training-description",
            markup_hint(_),
        ),
        _datetime_field(
            _("Mulai"), "starts_at", local_input(event.starts_at if event else None), _
        ),
        _datetime_field(_("Selesai"), "ends_at", local_input(event.ends_at if event else None), _),
        _datetime_field(
            _("Batas pendaftaran"),
            "registration_deadline",
            local_input(event.registration_deadline if event else None),
            _,
        ),
        field(
            _("Tempat"),
            el(
                "input",
                id="training-place",
                data_field="place",
                maxlength=PLACE_MAX,
                value=event.place if event else "",
                aria_describedby="training-place-hint",
            ),
            "training-place",
            _("Isi tempat, tautan daring, atau keduanya."),
        ),
        field(
            _("Tautan pertemuan daring"),
            el(
                "input",
                id="training-online-url",
                type="url",
                data_field="online_url",
                maxlength=500,
                placeholder="https://",
                value=event.online_url if event else "",
            ),
            "training-online-url",
        ),
        field(
            _("Kuota peserta"),
            el(
                "input",
                id="training-quota",
                type="number",
                data_field="quota",
                data_type="int",
                min=1,
                max=QUOTA_MAX,
                step=1,
                required=True,
                inputmode="numeric",
                value=event.quota if event else 30,
            ),
            "training-quota",
        ),
        role_boxes,
        koperasi_boxes,
        el(
            "div",
            el(
                "label",
                el(
                    "input",
                    type="checkbox",
                    id="training-public",
                    data_field="public",
                    data_type="bool",
                    checked=bool(event and event.public),
                ),
                " " + tx("span", _("Umumkan juga di halaman publik")),
                class_="choice",
            ),
            class_="field",
        ),
        el(
            "p",
            submit(_("Simpan perubahan") if event else _("Simpan draf pelatihan")),
            tx(
                "a",
                _("Batal"),
                href=f"/pengawasan/pelatihan/{event.id}",
                class_="button button-secondary",
            )
            if event
            else "",
            class_="actions",
        ),
        data_api=spec,
        data_notice="disimpan" if event else "dibuat",
        data_next=f"/pengawasan/pelatihan/{event.id}" if event else "/pengawasan/pelatihan/{id}",
        id="training-form",
    )


def _region_list(events: list[training.TrainingOut], language: str, _: Translate) -> str:
    if not events:
        return tx("p", _("Belum ada pelatihan."), class_="muted")
    rows = [
        el(
            "li",
            tx("a", e.title, href=f"/pengawasan/pelatihan/{e.id}"),
            " ",
            tx("span", _(e.status_label), class_="tag"),
            tx("p", span_text(e.starts_at, e.ends_at, language, _), class_="muted small"),
            tx("p", _seats(e, _), class_="small"),
        )
        for e in events
    ]
    return el("ul", *rows, class_="plain-list")


def _dinas_only(
    request: Request[Any, Any, Any], user: Any, language: str, _: Translate
) -> Response[str]:
    return refusal_page(
        request,
        user,
        language,
        403,
        _("Meja pelatihan"),
        _("Halaman ini untuk petugas Dinas Koperasi."),
    )


@get("/pengawasan/pelatihan", include_in_schema=False, opt=PAGE, name="training_desk_page")
async def training_desk_page(
    request: Request[Any, Any, Any],
    ubah: Annotated[int | None, QueryParameter(ge=1, le=2**31 - 1)] = None,
    pesan: Notice = None,
) -> Response[Any]:
    user = user_of(request)
    if user is None:
        return sign_in_redirect(request)
    language = language_of_request(request)
    _ = translator(language)
    actor = user.actor
    if actor is None or actor.role is not Role.DINAS:
        return _dinas_only(request, user, language, _)
    events = await training.region_trainings(actor)
    editing = next(
        (
            e
            for e in events
            if e.id == ubah
            and e.status not in (TrainingStatus.SELESAI.value, TrainingStatus.BATAL.value)
        ),
        None,
    )
    koperasi = await training.region_koperasi(actor.region_id)
    main = (
        stylesheet()
        + dinas_tabs("/pengawasan/pelatihan", _)
        + tx("h1", _("Meja pelatihan"))
        + tx(
            "p",
            _("Rencanakan pelatihan, buka pendaftaran, lalu catat kehadiran pesertanya."),
            class_="lead",
        )
        + noscript(_)
        + message_area(notice_text(pesan, NOTICES, _))
        + el(
            "div",
            panel(
                "form-heading",
                _("Ubah pelatihan: {title}", title=editing.title)
                if editing
                else _("Rencanakan pelatihan"),
                _training_form(editing, koperasi, _),
            ),
            panel("list-heading", _("Pelatihan wilayah Anda"), _region_list(events, language, _)),
            class_="panels",
        )
        + messages(_)
    )
    return document(
        request,
        language=language,
        _=_,
        title=_("Meja pelatihan"),
        main_html=main,
        user=user,
        scripts=(OUTREACH_JS,),
        headers=PERSONAL_HEADERS,
        meta={"csrf-token": user.csrf_token},
    )


def _attendance_options(current: str | None, _: Translate) -> str:
    options = [("", _("Belum dicatat"))] + [(a.value, _(a.label)) for a in Attendance]
    return "".join(
        tx("option", label, value=value, selected=(current or "") == value)
        for value, label in options
    )


def _remove_button(event: training.TrainingOut, person: training.Participant, _: Translate) -> str:
    return api_button(
        _("Keluarkan"),
        f"POST /api/v1/training/manage/{event.id}/registrations/{person.id}/cancel",
        "keluar",
        confirm=_("Keluarkan {name} dari pelatihan ini?", name=person.name),
        secondary=True,
        aria_label=_("Keluarkan {name}", name=person.name),
    )


def _who(person: training.Participant, _: Translate) -> str:
    return " · ".join(x for x in (_(person.role_label), person.koperasi_name) if x)


def _seated_section(
    found: training.Participants, can_remove: bool, can_mark: bool, _: Translate
) -> str:
    event = found.event
    if not found.seated:
        body = tx("p", _("Belum ada peserta terdaftar."), class_="muted")
    else:
        head = el(
            "thead",
            el(
                "tr",
                tx("th", _("No."), scope="col", class_="num"),
                tx("th", _("Peserta"), scope="col"),
                tx("th", _("Kehadiran"), scope="col"),
                tx("th", _("Tindakan"), scope="col") if can_remove else "",
            ),
        )
        rows = []
        for index, person in enumerate(found.seated, start=1):
            control = (
                el(
                    "select",
                    _attendance_options(person.attendance, _),
                    data_registration=person.id,
                    aria_label=_("Kehadiran {name}", name=person.name),
                )
                if can_mark
                else tx(
                    "span",
                    _(person.attendance_label) if person.attendance_label else _("Belum dicatat"),
                )
            )
            rows.append(
                el(
                    "tr",
                    tx("td", str(index), class_="num"),
                    el(
                        "th",
                        tx("span", person.name),
                        el("br"),
                        tx("span", _who(person, _), class_="muted small"),
                        scope="row",
                    ),
                    el("td", control),
                    el("td", _remove_button(event, person, _)) if can_remove else "",
                )
            )
        table = el(
            "div",
            el("table", head, el("tbody", *rows), class_="table"),
            class_="table-wrap",
            tabindex="0",
            role="region",
            aria_label=_("Peserta terdaftar"),
        )
        if can_mark:
            body = el(
                "form",
                section_messages(),
                table,
                el("p", submit(_("Simpan kehadiran")), class_="actions"),
                data_api=f"PUT /api/v1/training/manage/{event.id}/attendance",
                data_attendance=True,
                data_notice="hadir",
                id="attendance-form",
            )
        else:
            body = el("div", section_messages(), table, data_messages=True)
    hint = (
        ""
        if can_mark
        else tx("p", _("Kehadiran dicatat setelah pelatihan dimulai."), class_="muted small")
    )
    export = tx(
        "a",
        _("Unduh daftar hadir (Excel)"),
        href=f"/api/v1/training/manage/{event.id}/attendance.xlsx",
        class_="button button-secondary",
        download=True,
    )
    return panel(
        "seated-heading",
        _("Peserta terdaftar ({count} dari {quota})", count=len(found.seated), quota=event.quota),
        hint,
        body,
        el("p", export, class_="actions"),
    )


def _waiting_section(found: training.Participants, can_remove: bool, _: Translate) -> str:
    if not found.waiting:
        body = tx("p", _("Daftar tunggu kosong."), class_="muted")
    else:
        body = el(
            "div",
            section_messages(),
            el(
                "ol",
                *[
                    el(
                        "li",
                        tx("span", person.name),
                        " ",
                        tx("span", _who(person, _), class_="muted small"),
                        " ",
                        _remove_button(found.event, person, _) if can_remove else "",
                    )
                    for person in found.waiting
                ],
                class_="waiting-list",
            ),
            data_messages=True,
        )
    return panel(
        "waiting-heading",
        _("Daftar tunggu ({count})", count=len(found.waiting)),
        tx(
            "p",
            _("Urut pendaftaran: yang teratas mendapat kursi yang kosong lebih dulu."),
            class_="muted small",
        ),
        body,
    )


def _cancelled_section(found: training.Participants, _: Translate) -> str:
    if not found.cancelled:
        return ""
    return el(
        "details",
        tx("summary", _("Pendaftaran yang dibatalkan ({count})", count=len(found.cancelled))),
        el(
            "ul",
            *[
                el("li", tx("span", p.name), " ", tx("span", _who(p, _), class_="muted small"))
                for p in found.cancelled
            ],
            class_="plain-list",
        ),
        class_="panel",
    )


@get(
    "/pengawasan/pelatihan/{event_id:int}",
    include_in_schema=False,
    opt=PAGE,
    name="training_manage_page",
)
async def training_manage_page(
    request: Request[Any, Any, Any],
    event_id: Annotated[int, PathParameter(ge=1, le=2**31 - 1)],
    pesan: Notice = None,
) -> Response[Any]:
    user = user_of(request)
    if user is None:
        return sign_in_redirect(request)
    language = language_of_request(request)
    _ = translator(language)
    actor = user.actor
    if actor is None or actor.role is not Role.DINAS:
        return _dinas_only(request, user, language, _)
    try:
        found = await training.participants(actor, event_id)
    except AppError:
        return refusal_page(
            request,
            user,
            language,
            404,
            _("Pelatihan tidak ditemukan"),
            _("Pelatihan ini tidak ada di wilayah Anda."),
        )
    event = found.event
    status = TrainingStatus(event.status)
    now = training.now_utc()
    buttons = []
    for wanted in TRANSITIONS[status]:
        if wanted is TrainingStatus.SELESAI and now < event.starts_at:
            continue
        label, confirm = STATUS_ACTIONS[wanted]
        buttons.append(
            api_button(
                _(label),
                f"POST /api/v1/training/manage/{event.id}/status",
                "status",
                confirm=_(confirm) if confirm else None,
                danger=wanted is TrainingStatus.BATAL,
                secondary=wanted not in (TrainingStatus.DIBUKA, TrainingStatus.BATAL),
                data_body=json.dumps({"status": wanted.value}),
            )
        )
    if status not in (TrainingStatus.SELESAI, TrainingStatus.BATAL):
        buttons.append(
            tx(
                "a",
                _("Ubah pelatihan"),
                href=f"/pengawasan/pelatihan?ubah={event.id}#form-heading",
                class_="button button-secondary",
            )
        )
    can_remove = status in (TrainingStatus.DIBUKA, TrainingStatus.DITUTUP) and now < event.starts_at
    can_mark = (
        status in (TrainingStatus.DIBUKA, TrainingStatus.DITUTUP, TrainingStatus.SELESAI)
        and now >= event.starts_at
    )
    summary = panel(
        "summary-heading",
        _("Ringkasan"),
        tx("p", _(event.status_label), class_="tag"),
        facts(
            [
                (_("Waktu"), span_text(event.starts_at, event.ends_at, language, _)),
                (_("Batas pendaftaran"), moment(event.registration_deadline, language)),
                (_("Tempat"), event.place or None),
                (_("Tautan daring"), event.online_url or None),
                (_("Peserta"), _audience_text(event, _)),
                (_("Kuota"), _seats(event, _)),
                (_("Halaman publik"), _("Ya") if event.public else _("Tidak")),
            ]
        ),
        el("div", event.description_html, class_="prose") if event.description else "",
        el("div", section_messages(), el("p", *buttons, class_="actions"), data_messages=True),
    )
    main = (
        stylesheet()
        + dinas_tabs("/pengawasan/pelatihan", _)
        + el(
            "nav",
            tx("a", _("Meja pelatihan"), href="/pengawasan/pelatihan"),
            class_="breadcrumb",
            aria_label=_("Remah roti"),
        )
        + tx("h1", event.title)
        + noscript(_)
        + message_area(notice_text(pesan, NOTICES, _))
        + el(
            "div",
            summary,
            _seated_section(found, can_remove, can_mark, _),
            _waiting_section(found, can_remove, _),
            _cancelled_section(found, _),
            class_="panels",
        )
        + messages(_)
    )
    return document(
        request,
        language=language,
        _=_,
        title=event.title,
        main_html=main,
        user=user,
        scripts=(OUTREACH_JS,),
        headers=PERSONAL_HEADERS,
        meta={"csrf-token": user.csrf_token},
    )


TRAINING_PAGES = [training_page, training_desk_page, training_manage_page]
