"""Push settings from the environment."""

from __future__ import annotations

import pytest

from backend.settings import Settings, SettingsError


def test_defaults() -> None:
    settings = Settings.from_env({})
    assert settings.push_worker is True
    assert settings.push_concurrency == 50
    assert settings.push_ttl_hours == 24
    assert "fcm.googleapis.com" in settings.push_endpoint_hosts
    assert "127.0.0.1" not in settings.push_endpoint_hosts
    assert settings.push_subject == "mailto:admin@localhost"


def test_reads_the_environment() -> None:
    settings = Settings.from_env(
        {
            "KOROENA_PUSH_WORKER": "false",
            "KOROENA_PUSH_CONCURRENCY": "200",
            "KOROENA_PUSH_TTL_HOURS": "6",
            "KOROENA_PUSH_ENDPOINT_HOSTS": "FCM.googleapis.com, *.push.apple.com",
            "KOROENA_VAPID_SUBJECT": "mailto:dinas@mojokertokota.go.id",
        }
    )
    assert settings.push_worker is False
    assert settings.push_concurrency == 200
    assert settings.push_ttl_hours == 6
    assert settings.push_endpoint_hosts == ("fcm.googleapis.com", "*.push.apple.com")
    assert settings.push_subject == "mailto:dinas@mojokertokota.go.id"


def test_the_subject_follows_the_public_address_behind_https() -> None:
    settings = Settings.from_env({"KOROENA_HTTPS": "1", "KOROENA_RP_ID": "koperasi.example.id"})
    assert settings.push_subject == "https://koperasi.example.id"


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"KOROENA_VAPID_SUBJECT": "admin@example.id"}, "KOROENA_VAPID_SUBJECT"),
        ({"KOROENA_VAPID_SUBJECT": "https://example.id:8443/x"}, "no port or path"),
        ({"KOROENA_PUSH_CONCURRENCY": "0"}, "at least 1"),
        ({"KOROENA_PUSH_CONCURRENCY": "5000"}, "between 1 and 1000"),
        ({"KOROENA_PUSH_TTL_HOURS": "1000"}, "at most 672"),
        ({"KOROENA_PUSH_WORKER": "kadang"}, "KOROENA_PUSH_WORKER"),
    ],
)
def test_bad_values_are_explained(env: dict[str, str], message: str) -> None:
    with pytest.raises(SettingsError, match=message):
        Settings.from_env(env)
