"""The push API (the server key, this person's devices, topic choices, a test
notification) and the in-process sender of `koroena serve`, on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
import hashlib
from collections.abc import AsyncIterator
from dataclasses import replace

import httpx
import pytest_asyncio

from backend.accounts.domain import Role
from backend.app import create_app
from backend.db import current_engine
from backend.push.tables import PushDelivery, PushSubscription
from backend.settings import Settings
from backend.tenancy.tables import Koperasi
from tests.support.client import app_client
from tests.support.push_service import PushService
from tests.support.sessions import as_person, person

ANDROID = (
    "Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Mobile Safari/537.36"
)


@pytest_asyncio.fixture(loop_scope="session")
async def push_service() -> AsyncIterator[PushService]:
    async with PushService() as running:
        yield running


def _with_stand_in(settings: Settings) -> Settings:
    return replace(
        settings,
        push_endpoint_hosts=(*settings.push_endpoint_hosts, "127.0.0.1"),
        vapid_subject="mailto:admin@koroena.example",
    )


async def _anggota(settings: Settings, name: str) -> tuple[str, str]:
    k = (
        await Koperasi.select(Koperasi.id, Koperasi.region.as_alias("region"))
        .where(Koperasi.slug == "kopwan-srikandi")
        .first()
    )
    assert k is not None
    return await person(settings, Role.ANGGOTA, k["id"], k["region"], name=name)


async def test_the_server_key_is_public_and_stays_the_same(demo: Settings) -> None:
    async with app_client(demo) as client:
        first = await client.get("/api/v1/push/key")
        assert first.status_code == 200
        key = first.json()["public_key"]
    async with app_client(demo) as client:  # a restart
        assert (await client.get("/api/v1/push/key")).json()["public_key"] == key


async def test_a_person_subscribes_lists_and_removes_their_devices(
    demo: Settings, push_service: PushService
) -> None:
    settings = _with_stand_in(demo)
    async with app_client(settings) as client:
        as_person(client, await _anggota(settings, "Sri Rahayu"))
        key = (await client.get("/api/v1/push/key")).json()["public_key"]
        subscriber = push_service.subscriber(key)
        body = subscriber.subscription_json()
        made = await client.post(
            "/api/v1/push/subscriptions", json=body, headers={"user-agent": ANDROID}
        )
        assert made.status_code == 201, made.text
        device = made.json()
        assert device["device_label"] == "Chrome · Android"
        assert device["push_service"] == "127.0.0.1"
        assert device["endpoint_sha256"] == hashlib.sha256(body["endpoint"].encode()).hexdigest()
        assert "endpoint" not in device  # a capability URL: never handed back
        # The page sends it again on every visit: still one device.
        again = await client.post(
            "/api/v1/push/subscriptions", json={**body, "device_label": "HP Sri"}
        )
        assert again.json()["id"] == device["id"]
        listed = (await client.get("/api/v1/push/subscriptions")).json()
        assert [(d["id"], d["device_label"]) for d in listed] == [(device["id"], "HP Sri")]

        removed = await client.delete(f"/api/v1/push/subscriptions/{device['id']}")
        assert removed.status_code == 204
        assert (await client.get("/api/v1/push/subscriptions")).json() == []
        gone = await client.delete(f"/api/v1/push/subscriptions/{device['id']}")
        assert gone.status_code == 404


async def test_unknown_push_services_and_bad_keys_are_refused(demo: Settings) -> None:
    async with app_client(demo) as client:
        as_person(client, await _anggota(demo, "Sri"))
        good = PushService().subscriber().subscription_json()
        for endpoint in (
            "https://internal.example/hook",
            "http://127.0.0.1:9/push/x",  # not allowed on this server
            "https://169.254.169.254/latest",
        ):
            response = await client.post(
                "/api/v1/push/subscriptions", json={**good, "endpoint": endpoint}
            )
            assert response.status_code == 422, endpoint
            assert response.json()["error"]["code"] == "push_endpoint"
        bad_keys = {
            "endpoint": "https://fcm.googleapis.com/fcm/send/x",
            "keys": {"p256dh": "AAAA", "auth": good["keys"]["auth"]},
        }
        response = await client.post("/api/v1/push/subscriptions", json=bad_keys)
        assert response.status_code == 422
        assert response.json()["error"]["code"] == "push_keys"
        assert await PushSubscription.count() == 0


async def test_preferences_per_topic(demo: Settings) -> None:
    async with app_client(demo) as client:
        as_person(client, await _anggota(demo, "Sri"))
        topics = (await client.get("/api/v1/push/preferences")).json()
        assert [t["topic"] for t in topics] == [
            "pelatihan",
            "berita",
            "edukasi",
            "pengaduan",
            "simpanan",
            "pinjaman",
        ]
        assert all(t["enabled"] for t in topics)
        assert topics[1]["label"] == "Berita"
        saved = await client.put(
            "/api/v1/push/preferences", json={"topics": {"berita": False, "pinjaman": False}}
        )
        assert saved.status_code == 200
        off = {t["topic"] for t in saved.json() if not t["enabled"]}
        assert off == {"berita", "pinjaman"}
        reread = (await client.get("/api/v1/push/preferences")).json()
        assert {t["topic"] for t in reread if not t["enabled"]} == off
        # Compliance deadlines are not an anggota's topic; "uji" cannot be turned off.
        for topic in ("kepatuhan", "uji"):
            refused = await client.put("/api/v1/push/preferences", json={"topics": {topic: False}})
            assert refused.status_code == 422
        assert (
            await client.put("/api/v1/push/preferences", json={"topics": {"x": 1}})
        ).status_code == 400
        client.cookies.set("koroena_lang", "en", domain="testserver.local")
        english = await client.get("/api/v1/push/preferences")
        assert english.json()[1]["label"] == "News"


async def test_the_in_process_sender_delivers_a_test_notification(
    demo: Settings, push_service: PushService
) -> None:
    """`koroena serve` runs the sender in its lifespan: a test notification sent through
    the API reaches the phone without any other process."""
    settings = _with_stand_in(demo)
    app = create_app(settings, engine=current_engine(), push_worker=True)
    async with app.lifespan():
        transport = httpx.ASGITransport(app=app, client=("127.0.0.1", 50000))
        async with httpx.AsyncClient(
            transport=transport, base_url="https://testserver.local"
        ) as client:
            as_person(client, await _anggota(settings, "Sri"))
            none_yet = await client.post("/api/v1/push/test")
            assert none_yet.status_code == 409
            key = (await client.get("/api/v1/push/key")).json()["public_key"]
            subscriber = push_service.subscriber(key)
            await client.post("/api/v1/push/subscriptions", json=subscriber.subscription_json())
            client.cookies.set("koroena_lang", "en", domain="testserver.local")
            sent = await client.post("/api/v1/push/test")
            assert sent.status_code == 201, sent.text
            assert sent.json()["devices"] == 1
            notification_id = sent.json()["notification_id"]
            for _ in range(200):
                if subscriber.received:
                    break
                await asyncio.sleep(0.05)
            too_soon = await client.post("/api/v1/push/test")
            assert too_soon.status_code == 429
    assert push_service.rejected == []
    [shown] = subscriber.payloads()
    assert shown["id"] == notification_id
    assert shown["title"] == "Koroena notifications work"
    assert shown["url"] == "/akun#notifikasi"
    row = (
        await PushDelivery.select(PushDelivery.status)
        .where(PushDelivery.notification == notification_id)
        .first()
    )
    assert row is not None and row["status"] == "sent"


async def test_anonymous_people_only_get_the_key(demo: Settings) -> None:
    async with app_client(demo) as client:
        assert (await client.get("/api/v1/push/subscriptions")).status_code == 401
        assert (await client.get("/api/v1/push/preferences")).status_code == 401
        assert (await client.get("/api/v1/push/key")).status_code == 200


async def test_the_account_page_explains_and_lists_only_ones_own_devices(
    demo: Settings, push_service: PushService
) -> None:
    settings = _with_stand_in(demo)
    async with app_client(settings) as client:
        other = httpx.AsyncClient(transport=client._transport, base_url=str(client.base_url))
        as_person(other, await _anggota(settings, "Tetangga"))
        key = (await other.get("/api/v1/push/key")).json()["public_key"]
        theirs = push_service.subscriber(key).subscription_json()
        await other.post(
            "/api/v1/push/subscriptions", json={**theirs, "device_label": "HP Tetangga"}
        )

        as_person(client, await _anggota(settings, "Sri"))
        page = await client.get("/akun")
        assert page.status_code == 200
        html = page.text
        assert 'id="notifikasi"' in html and "/static/push.js" in html
        assert "Aktifkan notifikasi" in html and "peramban akan meminta izin" in html
        assert "Belum ada perangkat yang menerima notifikasi." in html
        assert "HP Tetangga" not in html
        assert 'value="kepatuhan"' not in html  # not an anggota's topic

        mine = push_service.subscriber(key).subscription_json()
        await client.post("/api/v1/push/subscriptions", json={**mine, "device_label": "HP Sri"})
        await client.put("/api/v1/push/preferences", json={"topics": {"berita": False}})
        html = (await client.get("/akun")).text
        assert "HP Sri" in html and "HP Tetangga" not in html
        digest = hashlib.sha256(mine["endpoint"].encode()).hexdigest()
        assert f'data-endpoint-sha256="{digest}"' in html
        assert mine["endpoint"] not in html
        assert 'value="berita" aria-describedby="push-topic-berita-hint"' in html
        assert 'value="pelatihan" checked' in html

        client.cookies.set("koroena_lang", "en", domain="testserver.local")
        english = (await client.get("/akun")).text
        assert (
            "Turn on notifications" in english and "Devices that receive notifications" in english
        )
