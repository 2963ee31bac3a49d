"""Accounts end to end through the HTTP API, on SQLite and PostgreSQL, with a software
passkey authenticator: joining by invitation, usernameless sign-in, roles and who may
invite whom, CSRF, session rotation and timeouts, rate limits, invitation expiry and
single use, revoked passkeys, the audit log."""

from __future__ import annotations

from contextlib import AbstractAsyncContextManager
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest

from backend.accounts.invitations import create_admin_invitation
from backend.accounts.sessions import COOKIE_NAME
from backend.accounts.tables import AuditEvent, AuthSession, Invitation
from backend.settings import Settings
from tests.support.authenticator import SoftAuthenticator
from tests.support.client import app_client

ORIGIN = "http://localhost:8000"

Client = httpx.AsyncClient


@pytest.fixture
async def app_settings(demo: Settings) -> Settings:
    return replace(demo, auth_attempts_per_minute=1000)


def new_client(settings: Settings) -> AbstractAsyncContextManager[Client]:
    return app_client(settings, origin=ORIGIN)


def token_of(url: str) -> str:
    return url.rsplit("/", 1)[1]


async def join(client: Client, token: str, device: SoftAuthenticator, name: str = "HP") -> Any:
    options = await client.post(f"/api/v1/auth/invitations/{token}/options")
    assert options.status_code == 200, options.text
    body = options.json()
    credential = device.create(body["options"])
    response = await client.post(
        f"/api/v1/auth/invitations/{token}/register",
        json={"flow_id": body["flow_id"], "credential": credential, "device_name": name},
    )
    assert response.status_code == 200, response.text
    client.headers["x-csrf-token"] = response.json()["me"]["csrf_token"]
    return response


async def sign_in(client: Client, device: SoftAuthenticator, **kwargs: Any) -> Any:
    options = (await client.post("/api/v1/auth/login/options")).json()
    credential = device.get(options["options"], **kwargs)
    response = await client.post(
        "/api/v1/auth/login", json={"flow_id": options["flow_id"], "credential": credential}
    )
    if response.status_code == 200:
        client.headers["x-csrf-token"] = response.json()["me"]["csrf_token"]
    return response


async def invite(client: Client, **body: Any) -> Any:
    return await client.post("/api/v1/invitations", json=body)


async def admin_token(settings: Settings) -> str:
    created = await create_admin_invitation(
        "kota-mojokerto", "Rahmat Hidayat", settings, datetime.now(UTC)
    )
    return token_of(created.url)


async def test_join_sign_in_and_invite_down_the_roles(app_settings: Settings) -> None:
    officer_phone, pengurus_phone, kasir_phone = (SoftAuthenticator() for _ in range(3))
    async with new_client(app_settings) as officer:
        joined = await join(officer, await admin_token(app_settings), officer_phone)
        cookie = joined.headers["set-cookie"]
        assert cookie.startswith(f"{COOKIE_NAME}=")
        for attribute in ("Secure", "HttpOnly", "SameSite=Lax", "Path=/"):
            assert attribute.lower() in cookie.lower()
        me = (await officer.get("/api/v1/me")).json()
        assert me["display_name"] == "Rahmat Hidayat"
        assert [g["role"] for g in me["grants"]] == ["dinas"]
        assert me["active"]["koperasi_id"] is None

        # A Dinas officer invites pengurus of any koperasi of the region, not kasir.
        made = await invite(officer, role="pengurus", name="Bu Endang", koperasi="kopwan-srikandi")
        assert made.status_code == 201, made.text
        assert made.json()["url"].startswith("http://localhost:8000/undangan/")
        assert made.json()["qr_svg"].startswith("<svg")
        pengurus_token = token_of(made.json()["url"])
        refused = await invite(officer, role="kasir", name="X", koperasi="kopwan-srikandi")
        assert refused.status_code == 403

    async with new_client(app_settings) as pengurus:
        info = (await pengurus.get(f"/api/v1/auth/invitations/{pengurus_token}")).json()
        assert info["role"] == "pengurus" and info["koperasi_name"] == "Koperasi Wanita Srikandi"
        await join(pengurus, pengurus_token, pengurus_phone)
        kasir_made = await invite(
            pengurus, role="kasir", name="Mas Didik", koperasi="kopwan-srikandi"
        )
        assert kasir_made.status_code == 201
        anggota = await invite(
            pengurus,
            role="anggota",
            name="Siti",
            koperasi="kopwan-srikandi",
            member_number="A-0001",
        )
        assert anggota.status_code == 201
        # ...but nothing for another koperasi, and no Dinas officers.
        other = await invite(pengurus, role="kasir", name="Y", koperasi="ksp-artha-mandiri")
        assert other.status_code == 403
        assert (await invite(pengurus, role="dinas", name="Z")).status_code == 403
        no_member = await invite(pengurus, role="anggota", name="W", koperasi="kopwan-srikandi")
        assert no_member.json()["error"]["code"] == "member_required"
        audit = (await pengurus.get("/api/v1/audit")).json()
        assert {e["action"] for e in audit} >= {"invitation_created", "invitation_redeemed"}

    async with new_client(app_settings) as kasir:
        await join(kasir, token_of(kasir_made.json()["url"]), kasir_phone)
        assert (await kasir.get("/api/v1/me")).json()["active"]["role"] == "kasir"
        assert (
            await invite(kasir, role="kasir", name="V", koperasi="kopwan-srikandi")
        ).status_code == 403
        assert (await kasir.get("/api/v1/audit")).json() == []

    # Usernameless sign-in later, from a fresh browser.
    async with new_client(app_settings) as later:
        signed = await sign_in(later, officer_phone)
        assert signed.status_code == 200, signed.text
        assert signed.json()["me"]["display_name"] == "Rahmat Hidayat"
        region_audit = (await later.get("/api/v1/audit")).json()
        # The officer sees the region's events, including the koperasi's own.
        assert any(e["koperasi_id"] is not None for e in region_audit)


async def test_invitations_are_single_use_and_expire(app_settings: Settings) -> None:
    async with new_client(app_settings) as client:
        token = await admin_token(app_settings)
        await join(client, token, SoftAuthenticator())
        async with new_client(app_settings) as other:
            used = await other.get(f"/api/v1/auth/invitations/{token}")
            assert used.status_code == 410 and used.json()["error"]["code"] == "invitation_used"
            again = await other.post(f"/api/v1/auth/invitations/{token}/options")
            assert again.json()["error"]["code"] == "invitation_used"

            late = await admin_token(app_settings)
            await Invitation.update(
                {Invitation.expires_at: datetime.now(UTC) - timedelta(minutes=1)}
            ).where(Invitation.used_at.is_null())
            expired = await other.get(f"/api/v1/auth/invitations/{late}")
            assert (
                expired.status_code == 410
                and expired.json()["error"]["code"] == "invitation_expired"
            )
            unknown = await other.get("/api/v1/auth/invitations/tidak-ada")
            assert unknown.status_code == 404


async def test_a_ceremony_cannot_be_replayed_or_moved_to_another_origin(
    app_settings: Settings,
) -> None:
    async with new_client(app_settings) as client:
        phone = SoftAuthenticator()
        token = await admin_token(app_settings)
        options = (await client.post(f"/api/v1/auth/invitations/{token}/options")).json()
        wrong_origin = phone.create(options["options"], origin="https://evil.example")
        refused = await client.post(
            f"/api/v1/auth/invitations/{token}/register",
            json={"flow_id": options["flow_id"], "credential": wrong_origin},
        )
        assert refused.json()["error"]["code"] == "passkey_invalid"
        replay = await client.post(
            f"/api/v1/auth/invitations/{token}/register",
            json={"flow_id": options["flow_id"], "credential": phone.create(options["options"])},
        )
        assert replay.json()["error"]["code"] == "ceremony_expired"
        # The invitation itself is still usable after the failed attempts.
        await join(client, token, phone)


async def test_unverified_user_is_refused(app_settings: Settings) -> None:
    async with new_client(app_settings) as client:
        token = await admin_token(app_settings)
        options = (await client.post(f"/api/v1/auth/invitations/{token}/options")).json()
        no_pin = SoftAuthenticator(user_verified=False).create(options["options"])
        response = await client.post(
            f"/api/v1/auth/invitations/{token}/register",
            json={"flow_id": options["flow_id"], "credential": no_pin},
        )
        assert response.json()["error"]["code"] == "passkey_invalid"


async def test_session_rotation_sign_out_and_revoked_passkey(app_settings: Settings) -> None:
    async with new_client(app_settings) as client:
        phone = SoftAuthenticator()
        first = await join(client, await admin_token(app_settings), phone)
        first_cookie = first.cookies[COOKIE_NAME]
        second = await sign_in(client, phone)
        assert second.status_code == 200
        assert second.cookies[COOKIE_NAME] != first_cookie  # a new session id at sign-in
        assert await AuthSession.count().where(AuthSession.revoked_at.is_null()) == 1

        # A second device, then revoke the first.
        laptop = SoftAuthenticator()
        options = (await client.post("/api/v1/me/passkeys/options")).json()
        added = await client.post(
            "/api/v1/me/passkeys",
            json={
                "flow_id": options["flow_id"],
                "credential": laptop.create(options["options"]),
                "device_name": "Laptop kantor",
            },
        )
        assert added.status_code == 201, added.text
        keys = (await client.get("/api/v1/me/passkeys")).json()
        assert [k["device_name"] for k in keys] == ["HP", "Laptop kantor"]
        # This browser signed in with the first passkey: revoking it ends this session too.
        assert (await client.delete(f"/api/v1/me/passkeys/{keys[0]['id']}")).status_code == 204
        assert (await client.get("/api/v1/me")).status_code == 401
        assert (await sign_in(client, laptop)).status_code == 200
        last = await client.delete(f"/api/v1/me/passkeys/{keys[1]['id']}")
        assert last.json()["error"]["code"] == "last_passkey"

        async with new_client(app_settings) as other:
            revoked = await sign_in(other, phone)
            assert revoked.status_code == 401
            assert revoked.json()["error"]["code"] == "passkey_refused"
            assert await AuditEvent.count().where(AuditEvent.action == "sign_in_failed") == 1
            assert (await sign_in(other, laptop)).status_code == 200
            # The Dinas audit trail shows both attempts in the officer's region.
            region_events = (await other.get("/api/v1/audit")).json()
            assert {"signed_in", "sign_in_failed"} <= {e["action"] for e in region_events}
            # Sign out of all sessions: both browsers lose theirs.
            ended = await other.post("/api/v1/me/logout-all")
            assert ended.json() == {"ended": 2}
        assert (await client.get("/api/v1/me")).status_code == 401


async def test_csrf_is_required_for_every_change(app_settings: Settings) -> None:
    async with new_client(app_settings) as client:
        await join(client, await admin_token(app_settings), SoftAuthenticator())
        token = client.headers.pop("x-csrf-token")
        missing = await client.post("/api/v1/me/logout-all")
        assert missing.status_code == 403 and missing.json()["error"]["code"] == "csrf_failed"
        wrong = await client.post("/api/v1/me/logout-all", headers={"x-csrf-token": "x" * 43})
        assert wrong.status_code == 403
        assert (await client.get("/api/v1/me")).status_code == 200  # nothing happened
        ok = await client.post("/api/v1/me/logout-all", headers={"x-csrf-token": token})
        assert ok.status_code == 200

        # Without a session, a foreign page may not start a sign-in in our name.
        foreign = await client.post(
            "/api/v1/auth/login/options", headers={"origin": "https://evil.example"}
        )
        assert foreign.status_code == 403
        cross = await client.post(
            "/api/v1/auth/login/options", headers={"sec-fetch-site": "cross-site"}
        )
        assert cross.status_code == 403


async def test_sessions_time_out(app_settings: Settings) -> None:
    async with new_client(app_settings) as client:
        await join(client, await admin_token(app_settings), SoftAuthenticator())
        assert (await client.get("/api/v1/me")).status_code == 200
        idle = datetime.now(UTC) - timedelta(minutes=app_settings.session_idle_minutes + 1)
        await AuthSession.update({AuthSession.last_seen_at: idle}).where(AuthSession.id > 0)
        assert (await client.get("/api/v1/me")).status_code == 401
        await AuthSession.update(
            {AuthSession.last_seen_at: datetime.now(UTC), AuthSession.expires_at: datetime.now(UTC)}
        ).where(AuthSession.id > 0)
        assert (await client.get("/api/v1/me")).status_code == 401


async def test_sign_in_is_rate_limited(demo: Settings) -> None:
    strict = replace(demo, auth_attempts_per_minute=3)
    async with new_client(strict) as client:
        answers = [(await client.post("/api/v1/auth/login/options")).status_code for _ in range(4)]
        assert answers == [200, 200, 200, 429]
        limited = await client.post("/api/v1/auth/login/options")
        assert limited.json()["error"]["code"] == "too_many_requests"
        assert int(limited.headers["retry-after"]) >= 1
        # Other public reads are not affected.
        assert (await client.get("/api/v1/health")).status_code == 200
        # The public NIK check has its own bucket, limited the same way.
        nik = {"nik": "3576011308850001"}
        checks = [(await client.post("/api/v1/nik/check", json=nik)).status_code for _ in range(4)]
        assert checks == [200, 200, 200, 429]


async def test_errors_speak_the_readers_language(app_settings: Settings) -> None:
    async with new_client(app_settings) as client:
        indonesian = await client.get("/api/v1/auth/invitations/tidak-ada")
        assert indonesian.json()["error"]["message"] == "Undangan tidak ditemukan."
        client.cookies.set("koroena_lang", "en", domain="testserver.local")
        english = await client.get("/api/v1/auth/invitations/tidak-ada")
        assert english.json()["error"]["message"] == "Invitation not found."
        assert english.json()["error"]["code"] == "invitation_not_found"


async def test_anonymous_is_401_on_private_api(app_settings: Settings) -> None:
    async with new_client(app_settings) as client:
        for method, path in (
            ("GET", "/api/v1/me"),
            ("GET", "/api/v1/me/passkeys"),
            ("GET", "/api/v1/audit"),
            ("POST", "/api/v1/invitations"),
        ):
            response = await client.request(method, path, json={})
            assert response.status_code == 401, (method, path, response.text)
            assert response.json()["error"]["code"] == "unauthenticated"


async def test_people_roles_and_recovery_of_a_lost_phone(app_settings: Settings) -> None:
    officer_phone, pengurus_phone, kasir_phone, new_kasir_phone = (
        SoftAuthenticator() for _ in range(4)
    )
    async with new_client(app_settings) as officer:
        await join(officer, await admin_token(app_settings), officer_phone)
        made = await invite(officer, role="pengurus", name="Bu Endang", koperasi="kopwan-srikandi")
    async with new_client(app_settings) as pengurus:
        await join(pengurus, token_of(made.json()["url"]), pengurus_phone)
        kasir_link = (
            await invite(pengurus, role="kasir", name="Mas Didik", koperasi="kopwan-srikandi")
        ).json()["url"]
        async with new_client(app_settings) as kasir:
            await join(kasir, token_of(kasir_link), kasir_phone, name="HP lama")
            kasir_id = (await kasir.get("/api/v1/me")).json()["user_id"]

        people = (await pengurus.get("/api/v1/people")).json()
        # The pengurus looks after the kasir and herself, not the Dinas officer.
        assert {(p["display_name"], p["role"]) for p in people} == {
            ("Bu Endang", "pengurus"),
            ("Mas Didik", "kasir"),
        }
        kasir_grant = next(p for p in people if p["role"] == "kasir")
        assert kasir_grant["passkeys"] == 1

        # The kasir lost the phone: a recovery link adds a passkey to the same person.
        recovery = await pengurus.post(f"/api/v1/people/roles/{kasir_grant['grant_id']}/recovery")
        assert recovery.status_code == 201, recovery.text
        async with new_client(app_settings) as new_phone:
            info = (
                await new_phone.get(f"/api/v1/auth/invitations/{token_of(recovery.json()['url'])}")
            ).json()
            assert info["adds_device"] is True
            await join(new_phone, token_of(recovery.json()["url"]), new_kasir_phone, name="HP baru")
            me = (await new_phone.get("/api/v1/me")).json()
            assert me["user_id"] == kasir_id
            assert [g["role"] for g in me["grants"]] == ["kasir"]  # no duplicate role
            names = [k["device_name"] for k in (await new_phone.get("/api/v1/me/passkeys")).json()]
            assert names == ["HP lama", "HP baru"]

        # A second recovery link is still out when the role is revoked: it must die with it.
        stale = await pengurus.post(f"/api/v1/people/roles/{kasir_grant['grant_id']}/recovery")
        stale_token = token_of(stale.json()["url"])

        # Revoking the role: the kasir keeps the account but acts in no koperasi.
        own = next(p for p in people if p["role"] == "pengurus")
        refused_own = await pengurus.delete(f"/api/v1/people/roles/{own['grant_id']}")
        assert refused_own.json()["error"]["code"] == "own_role"
        assert (
            await pengurus.delete(f"/api/v1/people/roles/{kasir_grant['grant_id']}")
        ).status_code == 204
        assert {p["role"] for p in (await pengurus.get("/api/v1/people")).json()} == {"pengurus"}
        actions = {e["action"] for e in (await pengurus.get("/api/v1/audit")).json()}
        assert {
            "role_revoked",
            "recovery_invitation_created",
            "recovery_invitation_redeemed",
        } <= actions
        gone = await pengurus.get(f"/api/v1/auth/invitations/{stale_token}")
        assert gone.status_code == 410 and gone.json()["error"]["code"] == "invitation_expired"
    async with new_client(app_settings) as kasir_again:
        assert (await sign_in(kasir_again, new_kasir_phone)).status_code == 200
        me = (await kasir_again.get("/api/v1/me")).json()
        assert me["grants"] == [] and me["active"] is None
        refused = await invite(kasir_again, role="kasir", name="X", koperasi="kopwan-srikandi")
        assert refused.json()["error"]["code"] == "no_role"
