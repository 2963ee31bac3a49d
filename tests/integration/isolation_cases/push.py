"""Isolation cases of the push routes: a person's devices, topic choices and test
notifications are their own. The pengurus of K2 ("foreign") has a device and has turned
news off; nobody under test may see, remove, take over or change them, whatever their
role, and a test notification reaches only the sender's own devices. (GET /push/key is
public: the server's public key is in every subscription anyway.)"""

from __future__ import annotations

import secrets

import httpx
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from backend.accounts.domain import Role
from backend.push import service
from backend.push.domain import Topic
from backend.push.tables import PushDelivery, PushPreference, PushSubscription
from backend.push.vapid import b64url
from tests.support.isolation import Case, World

FOREIGN_ENDPOINT = "https://fcm.googleapis.com/fcm/send/rahasia-k2"


def _subscription(endpoint: str) -> dict[str, object]:
    point = (
        ec.generate_private_key(ec.SECP256R1())
        .public_key()
        .public_bytes(serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)
    )
    return {"endpoint": endpoint, "keys": {"p256dh": b64url(point), "auth": b64url(b"k" * 16)}}


async def _foreign(world: World) -> int:
    """K2's pengurus' device (made once per world) and their choice: no news."""
    user_id = world.foreign_pengurus.user_id
    row = (
        await PushSubscription.select(PushSubscription.id)
        .where(PushSubscription.endpoint == FOREIGN_ENDPOINT)
        .first()
    )
    if row is None:
        keys = _subscription(FOREIGN_ENDPOINT)["keys"]
        assert isinstance(keys, dict)
        device = await service.subscribe(
            user_id,
            FOREIGN_ENDPOINT,
            keys["p256dh"],
            keys["auth"],
            allowed_hosts=world.settings.push_endpoint_hosts,
            label="HP Rahasia",
        )
        await service.set_preferences(user_id, [Role.PENGURUS], {Topic.BERITA: False})
        return device.id
    return int(row["id"])


async def _foreign_unchanged(world: World, subscription_id: int) -> None:
    row = (
        await PushSubscription.select(
            PushSubscription.user.as_alias("user_id"), PushSubscription.device_label
        )
        .where(PushSubscription.id == subscription_id)
        .first()
    )
    assert row == {"user_id": world.foreign_pengurus.user_id, "device_label": "HP Rahasia"}
    stored = await service.stored_preferences(world.foreign_pengurus.user_id)
    assert stored == {Topic.BERITA: False}


def _secret_free(response: httpx.Response) -> None:
    assert "rahasia" not in response.text.lower()


async def list_devices(client: httpx.AsyncClient, world: World, role: Role) -> None:
    foreign = await _foreign(world)
    await client.post(
        "/api/v1/push/subscriptions",
        json=_subscription(f"https://fcm.googleapis.com/fcm/send/{secrets.token_urlsafe(8)}"),
    )
    response = await client.get("/api/v1/push/subscriptions")
    assert response.status_code == 200
    _secret_free(response)
    listed = {d["id"] for d in response.json()}
    mine = {
        r["id"]
        for r in await PushSubscription.select(PushSubscription.id).where(
            PushSubscription.user == world.mine[role].user_id
        )
    }
    assert listed == mine and mine and foreign not in listed


async def subscribe(client: httpx.AsyncClient, world: World, role: Role) -> None:
    foreign = await _foreign(world)
    # Someone else's endpoint with other keys is not this browser: refused.
    response = await client.post("/api/v1/push/subscriptions", json=_subscription(FOREIGN_ENDPOINT))
    assert response.status_code == 409, response.text
    _secret_free(response)
    await _foreign_unchanged(world, foreign)
    own = await client.post(
        "/api/v1/push/subscriptions",
        json=_subscription(f"https://fcm.googleapis.com/fcm/send/{secrets.token_urlsafe(8)}"),
    )
    assert own.status_code == 201
    row = (
        await PushSubscription.select(PushSubscription.user.as_alias("user_id"))
        .where(PushSubscription.id == own.json()["id"])
        .first()
    )
    assert row == {"user_id": world.mine[role].user_id}


async def remove_device(client: httpx.AsyncClient, world: World, role: Role) -> None:
    foreign = await _foreign(world)
    response = await client.delete(f"/api/v1/push/subscriptions/{foreign}")
    assert response.status_code == 404
    _secret_free(response)
    await _foreign_unchanged(world, foreign)


async def read_preferences(client: httpx.AsyncClient, world: World, role: Role) -> None:
    await _foreign(world)
    response = await client.get("/api/v1/push/preferences")
    assert response.status_code == 200
    choices = {t["topic"]: t["enabled"] for t in response.json()}
    assert choices["berita"] is True  # the foreign person's "off" is theirs alone
    assert ("kepatuhan" in choices) == (role in (Role.PENGURUS, Role.DINAS))


async def change_preferences(client: httpx.AsyncClient, world: World, role: Role) -> None:
    foreign = await _foreign(world)
    response = await client.put("/api/v1/push/preferences", json={"topics": {"pelatihan": False}})
    assert response.status_code == 200
    owners = {
        r["user_id"]
        for r in await PushPreference.select(PushPreference.user.as_alias("user_id")).where(
            PushPreference.topic == "pelatihan"
        )
    }
    assert owners == {world.mine[role].user_id}
    await _foreign_unchanged(world, foreign)


async def send_test(client: httpx.AsyncClient, world: World, role: Role) -> None:
    foreign = await _foreign(world)
    if not await PushSubscription.exists().where(PushSubscription.user == world.mine[role].user_id):
        await client.post(
            "/api/v1/push/subscriptions",
            json=_subscription(f"https://fcm.googleapis.com/fcm/send/{secrets.token_urlsafe(8)}"),
        )
    response = await client.post("/api/v1/push/test")
    assert response.status_code == 201, response.text
    notification_id = response.json()["notification_id"]
    rows = await PushDelivery.select(
        PushDelivery.subscription.user.as_alias("user_id"),
        PushDelivery.subscription.as_alias("subscription_id"),
    ).where(PushDelivery.notification == notification_id)
    assert rows and {r["user_id"] for r in rows} == {world.mine[role].user_id}
    assert foreign not in {r["subscription_id"] for r in rows}


CASES: dict[tuple[str, str], Case] = {
    ("GET", "/api/v1/push/subscriptions"): list_devices,
    ("POST", "/api/v1/push/subscriptions"): subscribe,
    ("DELETE", "/api/v1/push/subscriptions/{subscription_id:int}"): remove_device,
    ("GET", "/api/v1/push/preferences"): read_preferences,
    ("PUT", "/api/v1/push/preferences"): change_preferences,
    ("POST", "/api/v1/push/test"): send_test,
}
