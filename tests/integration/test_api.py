"""The app boots on both engines; its API answers with one error shape and safe headers."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest
from litestar.testing import AsyncTestClient

from backend.app import create_app
from backend.settings import Settings


@pytest.fixture
async def client(demo: Settings) -> AsyncIterator[AsyncTestClient[Any]]:
    async with AsyncTestClient(create_app(demo)) as test_client:
        yield test_client


def assert_error(response: Any, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    error = response.json()["error"]
    assert error["code"] == code
    assert error["status"] == status
    assert error["message"]
    assert error["request_id"] == response.headers["x-request-id"]
    assert isinstance(error["details"], list)
    return error  # type: ignore[no-any-return]


async def test_health_reports_database(client: AsyncTestClient[Any], demo: Settings) -> None:
    response = await client.get("/api/v1/health")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["database"] == {
        "engine": "postgresql" if demo.is_postgres else "sqlite",
        "reachable": True,
        "migrations": "current",
    }
    assert response.headers["cache-control"] == "no-store"


async def test_health_on_a_database_behind_is_503(database: Settings) -> None:
    async with AsyncTestClient(create_app(database)) as client:
        response = await client.get("/api/v1/health")
    assert response.status_code == 503
    assert response.json()["database"]["migrations"] == "behind"


async def test_directory_api(client: AsyncTestClient[Any]) -> None:
    regions = (await client.get("/api/v1/regions")).json()
    assert [r["slug"] for r in regions] == ["kota-mojokerto"]
    koperasi = (await client.get("/api/v1/regions/kota-mojokerto/koperasi")).json()
    assert len(koperasi) >= 6
    srikandi = next(k for k in koperasi if k["slug"] == "kopwan-srikandi")
    assert srikandi["kind_label"] == "Koperasi Wanita"
    assert srikandi["member_count"] >= 5
    profile = (await client.get("/api/v1/koperasi/kopwan-srikandi")).json()
    assert profile["region"]["slug"] == "kota-mojokerto"
    assert profile["outlets"][0]["code"] == "T01"
    products = (await client.get("/api/v1/koperasi/kopwan-srikandi/products")).json()
    assert all(isinstance(p["price"], int) for p in products)
    sembako = (
        await client.get(
            "/api/v1/koperasi/kopwan-srikandi/products", params={"category": "Sembako"}
        )
    ).json()
    assert sembako and {p["category"] for p in sembako} == {"Sembako"}


async def test_error_shape(client: AsyncTestClient[Any]) -> None:
    assert_error(await client.get("/api/v1/koperasi/tidak-ada"), 404, "koperasi_not_found")
    assert_error(await client.get("/api/v1/regions/tidak-ada/koperasi"), 404, "region_not_found")
    assert_error(await client.get("/api/v1/tidak-ada"), 404, "not_found")
    assert_error(await client.delete("/api/v1/health"), 405, "method_not_allowed")
    assert_error(
        await client.post(
            "/api/v1/nik/check", content=b"{not json", headers={"content-type": "application/json"}
        ),
        400,
        "invalid_input",
    )
    missing = assert_error(await client.post("/api/v1/nik/check", json={}), 400, "invalid_input")
    assert missing["details"]
    error = assert_error(
        await client.post("/api/v1/nik/check", json={"nik": "3576011308850000"}),
        422,
        "nik_sequence",
    )
    assert error["details"] == [
        {"field": "nik", "code": "nik_sequence", "message": error["message"]}
    ]
    assert_error(
        await client.get(
            "/api/v1/koperasi/kopwan-srikandi/products", params={"category": "x" * 99}
        ),
        400,
        "invalid_input",
    )


async def test_nik_check(client: AsyncTestClient[Any]) -> None:
    response = await client.post("/api/v1/nik/check", json={"nik": "3576 0154 0892 0001"})
    assert response.status_code == 200
    assert response.json() == {
        "nik": "3576015408920001",
        "province": "Jawa Timur",
        "regency_code": "3576",
        "district_code": "357601",
        "birth_day": 14,
        "birth_month": 8,
        "sex": "perempuan",
    }


async def test_request_size_limit(demo: Settings) -> None:
    from dataclasses import replace

    small = replace(demo, max_request_bytes=2048)
    async with AsyncTestClient(create_app(small)) as client:
        response = await client.post(
            "/api/v1/nik/check",
            content=b'{"nik": "' + b"1" * 5000 + b'"}',
            headers={"content-type": "application/json"},
        )
    assert_error(response, 413, "request_too_large")


async def test_unknown_host_is_refused(client: AsyncTestClient[Any]) -> None:
    response = await client.get("/api/v1/health", headers={"host": "evil.example"})
    assert_error(response, 400, "invalid_host")


async def test_request_id_is_echoed_or_made(client: AsyncTestClient[Any]) -> None:
    kept = await client.get("/api/v1/health", headers={"x-request-id": "kasir-hp-0001"})
    assert kept.headers["x-request-id"] == "kasir-hp-0001"
    made = await client.get("/api/v1/health", headers={"x-request-id": "<script>"})
    assert made.headers["x-request-id"] != "<script>"
    assert len(made.headers["x-request-id"]) == 32


async def test_security_headers(client: AsyncTestClient[Any]) -> None:
    for path in ("/", "/api/v1/health", "/static/app.css", "/api/v1/tidak-ada"):
        headers = (await client.get(path)).headers
        csp = headers["content-security-policy"]
        assert "frame-ancestors 'none'" in csp
        assert "default-src 'self'" in csp
        assert "'unsafe-inline'" not in csp.split("script-src", 1)[1].split(";")[0]
        assert headers["x-content-type-options"] == "nosniff"
        assert headers["referrer-policy"] == "strict-origin-when-cross-origin"


async def test_openapi_document(client: AsyncTestClient[Any]) -> None:
    schema = (await client.get("/api/docs/openapi.json")).json()
    assert "/api/v1/health" in schema["paths"]
    assert "/api/v1/koperasi/{slug}" in schema["paths"]
    assert not any(path.startswith("/koperasi") for path in schema["paths"])
    docs = await client.get("/api/docs")
    assert docs.status_code == 200
    assert "text/html" in docs.headers["content-type"]


async def test_pages_are_prerendered(client: AsyncTestClient[Any]) -> None:
    home = await client.get("/")
    assert home.status_code == 200
    assert '<html lang="id">' in home.text
    assert "Koperasi Wanita Srikandi" in home.text
    assert 'data-reactpy-component="frontend.pages.home.HomePage"' in home.text
    page = await client.get("/koperasi/kopwan-srikandi")
    assert page.status_code == 200
    assert "<title>Koperasi Wanita Srikandi · Koroena</title>" in page.text
    assert "Rp 78.000" in page.text  # Beras Premium 5 kg
    missing = await client.get("/koperasi/tidak-ada")
    assert missing.status_code == 404
    assert "Koperasi tidak ditemukan" in missing.text


async def test_language_switch(client: AsyncTestClient[Any]) -> None:
    response = await client.get("/bahasa/en", params={"next": "/tentang"}, follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/tentang"
    assert "koroena_lang=en" in response.headers["set-cookie"]
    client.cookies.set("koroena_lang", "en")
    english = await client.get("/tentang")
    assert '<html lang="en">' in english.text
    for hostile in ("//evil.example/", "https://evil.example/", "/\\evil"):
        redirect = await client.get("/bahasa/en", params={"next": hostile}, follow_redirects=False)
        assert redirect.headers["location"] == "/", hostile


async def test_pwa_endpoints(client: AsyncTestClient[Any]) -> None:
    sw = await client.get("/sw.js")
    assert sw.headers["service-worker-allowed"] == "/"
    assert sw.headers["cache-control"] == "no-cache"
    assert "__CACHE_VERSION__" not in sw.text and "__PRECACHE_URLS__" not in sw.text
    assert '"/offline"' in sw.text
    manifest = (await client.get("/manifest.webmanifest")).json()
    assert manifest["lang"] == "id"
    assert manifest["display"] == "standalone"
    offline = await client.get("/offline")
    assert "Anda sedang offline" in offline.text
    for icon in manifest["icons"]:
        assert (await client.get(icon["src"])).headers["content-type"] == "image/png"
