"""Push API: the server's public VAPID key (public: it is in every subscription anyway),
and for the signed-in person their devices, their topic choices and a test notification
to themselves. Everything here is the person's own: nobody reads or changes another
person's devices or choices."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any

import msgspec
from litestar import Controller, Request, delete, get, post, put
from litestar.params import JSONBody, PathParameter

from backend.accounts.domain import Role
from backend.accounts.guards import PUBLIC
from backend.accounts.sessions import CurrentUser
from backend.accounts.web import signed_in
from backend.i18n import translator
from backend.push import service, vapid
from backend.push.domain import Topic
from backend.push.worker import wake
from backend.settings import Settings
from backend.texts import N_
from backend.web import language_of

Base64Url = Annotated[str, msgspec.Meta(max_length=200)]


class SubscriptionKeysIn(msgspec.Struct):
    p256dh: Base64Url
    auth: Base64Url


class SubscriptionIn(msgspec.Struct):
    """A browser's `PushSubscription.toJSON()`, with an optional name for the device."""

    endpoint: Annotated[str, msgspec.Meta(max_length=2000)]
    keys: SubscriptionKeysIn
    expiration_time: int | float | None = msgspec.field(default=None, name="expirationTime")
    device_label: Annotated[str, msgspec.Meta(max_length=100)] = ""


class PreferencesIn(msgspec.Struct, forbid_unknown_fields=True):
    topics: dict[Topic, bool]


@dataclass(frozen=True)
class PublicKey:
    public_key: str


@dataclass(frozen=True)
class TestSent:
    notification_id: int
    devices: int


def _settings(request: Request[Any, Any, Any]) -> Settings:
    return request.app.state.settings  # type: ignore[no-any-return]


def _roles(user: CurrentUser) -> list[Role]:
    return [grant.role for grant in user.grants]


def _translated(
    items: list[service.Preference], request: Request[Any, Any, Any]
) -> list[service.Preference]:
    _ = translator(language_of(request.scope))
    return [
        service.Preference(topic=p.topic, label=_(p.label), hint=_(p.hint), enabled=p.enabled)
        for p in items
    ]


class PushController(Controller):
    path = "/push"
    tags = ["notifikasi"]

    @get("/key", summary="Kunci publik VAPID server", opt=PUBLIC)
    async def key(self) -> PublicKey:
        return PublicKey(public_key=await vapid.public_key())

    @get("/subscriptions", summary="Perangkat saya yang menerima notifikasi")
    async def devices(self, request: Request[Any, Any, Any]) -> list[service.Device]:
        return await service.devices(signed_in(request).user_id)

    @post("/subscriptions", summary="Daftarkan perangkat ini untuk notifikasi", status_code=201)
    async def subscribe(
        self, request: Request[Any, Any, Any], data: JSONBody[SubscriptionIn]
    ) -> service.Device:
        user = signed_in(request)
        return await service.subscribe(
            user.user_id,
            data.endpoint,
            data.keys.p256dh,
            data.keys.auth,
            allowed_hosts=_settings(request).push_endpoint_hosts,
            label=data.device_label,
            user_agent=request.headers.get("user-agent", ""),
        )

    @delete(
        "/subscriptions/{subscription_id:int}",
        summary="Hentikan notifikasi di satu perangkat",
        status_code=204,
    )
    async def unsubscribe(
        self,
        request: Request[Any, Any, Any],
        subscription_id: Annotated[int, PathParameter(gt=0)],
    ) -> None:
        await service.remove_subscription(subscription_id, user_id=signed_in(request).user_id)

    @get("/preferences", summary="Topik notifikasi saya")
    async def preferences(self, request: Request[Any, Any, Any]) -> list[service.Preference]:
        user = signed_in(request)
        return _translated(await service.preferences(user.user_id, _roles(user)), request)

    @put("/preferences", summary="Pilih topik notifikasi")
    async def set_preferences(
        self, request: Request[Any, Any, Any], data: JSONBody[PreferencesIn]
    ) -> list[service.Preference]:
        user = signed_in(request)
        saved = await service.set_preferences(user.user_id, _roles(user), data.topics)
        return _translated(saved, request)

    @post("/test", summary="Kirim notifikasi uji ke perangkat saya", status_code=201)
    async def test(self, request: Request[Any, Any, Any]) -> TestSent:
        user = signed_in(request)
        _ = translator(language_of(request.scope))
        notification_id = await service.send_test(
            user.user_id,
            _(N_("Notifikasi Koroena berfungsi")),
            _(N_("Perangkat ini akan menerima pemberitahuan dari koperasi Anda.")),
        )
        wake()
        counts = await service.delivery_counts(notification_id)
        return TestSent(notification_id=notification_id, devices=counts.total)
