from pathlib import Path

import pytest

from backend.settings import Settings, SettingsError


def test_defaults_use_sqlite_in_the_data_folder() -> None:
    settings = Settings.from_env({})
    assert not settings.is_postgres
    assert settings.sqlite_path == Path("data") / "koroena.sqlite"
    assert settings.port == 8000
    assert "*" not in settings.allowed_hosts
    assert "http://localhost:8000" in settings.origins


def test_reads_the_environment() -> None:
    settings = Settings.from_env(
        {
            "KOROENA_DATA_DIR": "/srv/koroena",
            "KOROENA_DATABASE_URL": "postgresql://app@db/koroena",
            "KOROENA_PORT": "9000",
            "KOROENA_DEBUG": "yes",
            "KOROENA_ALLOWED_HOSTS": "koroena.mojokertokota.go.id, localhost",
            "KOROENA_LANGUAGE": "en",
            "KOROENA_HTTPS": "1",
        }
    )
    assert settings.data_dir == Path("/srv/koroena")
    assert settings.is_postgres
    assert settings.port == 9000
    assert settings.debug and settings.https
    assert settings.allowed_hosts == ("koroena.mojokertokota.go.id", "localhost")
    assert settings.default_language == "en"
    assert "https://koroena.mojokertokota.go.id:9000" in settings.origins


def test_sqlite_url_names_the_file() -> None:
    settings = Settings.from_env({"KOROENA_DATABASE_URL": "sqlite:///tmp/k.sqlite"})
    assert settings.sqlite_path == Path("tmp/k.sqlite")


def test_settings_are_read_when_asked_not_at_import(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KOROENA_PORT", "8123")
    assert Settings.from_env().port == 8123
    monkeypatch.setenv("KOROENA_PORT", "8124")
    assert Settings.from_env().port == 8124


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"KOROENA_PORT": "delapan"}, "KOROENA_PORT"),
        ({"KOROENA_PORT": "0"}, "at least 1"),
        ({"KOROENA_DEBUG": "mungkin"}, "KOROENA_DEBUG"),
        ({"KOROENA_ALLOWED_HOSTS": "*"}, "not '*'"),
        ({"KOROENA_ALLOWED_HOSTS": " , "}, "at least one"),
        ({"KOROENA_DATABASE_URL": "mysql://x"}, "postgresql://"),
        ({"KOROENA_LANGUAGE": "jv"}, "KOROENA_LANGUAGE"),
        ({"KOROENA_MAX_REQUEST_BYTES": "10"}, "at least 1024"),
    ],
)
def test_bad_values_are_explained(env: dict[str, str], message: str) -> None:
    with pytest.raises(SettingsError, match=message):
        Settings.from_env(env)
