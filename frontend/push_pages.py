"""The notifications section of the account page (`/akun#notifikasi`): what notifications
bring, explained before the browser asks for permission; this device's state; the topics a
person wants; the devices that receive them.

The browser is asked only when the person presses "Aktifkan notifikasi"
(`static/push.js`: `Notification.requestPermission`, then `pushManager.subscribe` with the
server's VAPID key, then the subscription to `POST /api/v1/push/subscriptions`)."""

from __future__ import annotations

from backend.push import service
from backend.push.domain import Topic
from backend.texts import N_
from frontend.document import element as el
from frontend.document import text_element as tx
from frontend.i18n import Translate
from frontend.personal import when

PUSH_JS = "/static/push.js"
PUSH_CSS = "/static/push.css"

# What push.js may say, by key (its own template: `#push-messages`).
PUSH_MESSAGES: dict[str, str] = {
    "state_checking": N_("Memeriksa perangkat ini…"),
    "state_unsupported": N_(
        "Peramban ini tidak bisa menerima notifikasi. Pakai Chrome, Edge, Firefox atau Safari "
        "versi terbaru (di iPhone: tambahkan aplikasi ke Layar Utama dulu)."
    ),
    "state_off": N_("Belum aktif di perangkat ini."),
    "state_on": N_("Aktif di perangkat ini."),
    "state_denied": N_(
        "Diblokir di peramban. Izinkan notifikasi untuk situs ini di pengaturan peramban, lalu "
        "muat ulang halaman."
    ),
    "asking": N_("Peramban akan menanyakan izin. Pilih “Izinkan”."),
    "enabled": N_("Notifikasi aktif di perangkat ini."),
    "dismissed": N_("Izin belum diberikan. Tekan tombol lagi bila ingin mengaktifkan."),
    "push_failed": N_(
        "Peramban tidak dapat menghubungi layanan notifikasinya. Periksa sinyal, lalu coba lagi."
    ),
    "push_refused": N_(
        "Peramban menolak mendaftarkan notifikasi, misalnya di jendela penyamaran (incognito). "
        "Buka aplikasi di jendela biasa, lalu coba lagi."
    ),
    "disabled": N_("Notifikasi di perangkat ini dimatikan."),
    "test_sent": N_(
        "Notifikasi uji dikirim ke {count} perangkat. Biasanya tiba dalam beberapa detik."
    ),
    "topics_saved": N_("Pilihan topik disimpan."),
    "removed": N_("Perangkat “{device}” dihapus dari daftar."),
    "confirm_remove": N_(
        "Hapus “{device}” dari daftar? Perangkat itu tidak menerima notifikasi lagi."
    ),
    "this_device": N_("perangkat ini"),
    "network": N_("Tidak dapat menghubungi server. Periksa sinyal atau Wi-Fi, lalu coba lagi."),
    "failed": N_("Terjadi kesalahan. Silakan coba lagi."),
}


def _messages(_: Translate) -> str:
    items = "".join(tx("p", _(text), data_key=key) for key, text in PUSH_MESSAGES.items())
    return el("template", items, id="push-messages")


def _device_item(device: service.Device, language: str, _: Translate) -> str:
    last = when(device.last_success_at, language) if device.last_success_at else _("belum pernah")
    details = (
        tx("span", _("Didaftarkan {time}", time=when(device.created_at, language)))
        + el("br")
        + tx("span", _("Terakhir menerima {time}", time=last))
    )
    return el(
        "li",
        el(
            "h4",
            tx("span", device.device_label),
            " ",
            tx("span", "", class_="tag push-this-device", hidden=True),
            class_="push-device-name",
        ),
        el("p", details, class_="muted"),
        tx(
            "button",
            _("Hapus"),
            type="button",
            class_="button button-danger",
            data_push_remove=device.id,
            data_device=device.device_label,
            aria_label=_("Hapus perangkat {device}", device=device.device_label),
        ),
        class_="push-device",
        data_endpoint_sha256=device.endpoint_sha256,
    )


def _topics_form(preferences: list[service.Preference], _: Translate) -> str:
    if not preferences:
        return ""
    boxes = [
        el(
            "div",
            el(
                "input",
                type="checkbox",
                id=f"push-topic-{p.topic.value}",
                name="topic",
                value=p.topic.value,
                checked=p.enabled,
                aria_describedby=f"push-topic-{p.topic.value}-hint",
            ),
            tx("label", _(p.label), for_=f"push-topic-{p.topic.value}"),
            tx("p", _(p.hint), id=f"push-topic-{p.topic.value}-hint", class_="hint"),
            class_="push-checkbox",
        )
        for p in preferences
    ]
    return el(
        "form",
        el("fieldset", tx("legend", _("Topik yang ingin diterima")), *boxes),
        tx("button", _("Simpan pilihan topik"), type="submit", class_="button button-secondary"),
        id="push-topics",
    )


def notifications_section(
    devices: list[service.Device],
    preferences: list[service.Preference],
    language: str,
    _: Translate,
) -> str:
    """The "Notifikasi" panel of /akun, with its stylesheet and the scripts' texts."""
    topics = [_(p.label).lower() for p in preferences] or [_(Topic.BERITA.label).lower()]
    explain = _(
        "Dapatkan pemberitahuan di perangkat ini walau aplikasi sedang ditutup: {topics}. "
        "Anda memilih topiknya sendiri dan bisa mematikannya kapan saja.",
        topics=", ".join(topics),
    )
    ask = _(
        "Setelah Anda menekan “Aktifkan notifikasi”, peramban akan meminta izin. Pilih "
        "“Izinkan”. Di ponsel yang dipakai bersama, jangan aktifkan: pemberitahuan Anda "
        "akan tampil di layar ponsel itu."
    )
    device_list = (
        el(
            "ul",
            *[_device_item(d, language, _) for d in devices],
            class_="plain-list push-devices",
            id="push-devices",
        )
        if devices
        else tx("p", _("Belum ada perangkat yang menerima notifikasi."), class_="muted")
    )
    return el(
        "section",
        el("link", rel="stylesheet", href=PUSH_CSS),
        tx("h2", _("Notifikasi"), id="push-heading"),
        tx("p", explain),
        tx("p", ask, class_="muted"),
        el(
            "p",
            tx("strong", _("Di perangkat ini:")),
            " ",
            tx("span", _(PUSH_MESSAGES["state_checking"]), id="push-state"),
            class_="push-state",
        ),
        el(
            "div",
            tx(
                "button",
                _("Aktifkan notifikasi"),
                type="button",
                class_="button",
                id="push-enable",
                hidden=True,
            ),
            tx(
                "button",
                _("Kirim notifikasi uji"),
                type="button",
                class_="button button-secondary",
                id="push-test",
                hidden=True,
            ),
            tx(
                "button",
                _("Matikan di perangkat ini"),
                type="button",
                class_="button button-secondary",
                id="push-disable",
                hidden=True,
            ),
            class_="actions",
        ),
        el("div", class_="error-box message", role="alert"),
        el("div", class_="status-box message", role="status"),
        _topics_form(preferences, _),
        tx("h3", _("Perangkat yang menerima notifikasi")),
        device_list,
        _messages(_),
        class_="panel",
        id="notifikasi",
        aria_labelledby="push-heading",
        data_push=True,
    )
