"""Typed settings, read from the environment when the app is created (never at import)."""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

# What push services accept as the VAPID `sub` claim (RFC 8292: a mailto: or https: URI;
# pywebpush's py_vapid refuses a port or a path in the https form).
_VAPID_SUBJECT = re.compile(
    r"mailto:[^@\s]+@[^@\s]+|https://(localhost|[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+)"
)


class SettingsError(ValueError):
    """A setting in the environment has a value we cannot use."""


def _bool(name: str, raw: str) -> bool:
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off", ""}:
        return False
    raise SettingsError(f"{name} must be true or false, got {raw!r}")


def _int(name: str, raw: str, minimum: int = 0) -> int:
    try:
        value = int(raw)
    except ValueError as exc:
        raise SettingsError(f"{name} must be a whole number, got {raw!r}") from exc
    if value < minimum:
        raise SettingsError(f"{name} must be at least {minimum}, got {value}")
    return value


def _list(raw: str) -> tuple[str, ...]:
    return tuple(item.strip() for item in raw.split(",") if item.strip())


@dataclass(frozen=True)
class Settings:
    """Everything the app needs to know about its environment."""

    data_dir: Path = Path("data")
    database_url: str = ""  # empty: SQLite file in data_dir
    host: str = "127.0.0.1"
    port: int = 8000
    debug: bool = False
    allowed_hosts: tuple[str, ...] = ("localhost", "127.0.0.1")
    # Origins the ReactPy websocket accepts; empty means "derived from allowed_hosts and port".
    allowed_origins: tuple[str, ...] = ()
    max_request_bytes: int = 1_000_000
    # Legality documents (PDF and images) a koperasi uploads for the Dinas.
    max_document_bytes: int = 5 * 1024 * 1024
    sqlite_busy_timeout_s: int = 30
    default_language: str = "id"
    log_json: bool = False
    # Served behind HTTPS (a proxy terminates TLS): send HSTS.
    https: bool = False
    # Passkeys: the RP ID is the site's host name (an IP address cannot be one).
    rp_id: str = "localhost"
    rp_name: str = "Koroena"
    # A cashier's shift must fit in the idle timeout; the absolute one forces a fresh
    # sign-in now and then even on a phone that is used every day.
    session_idle_minutes: int = 12 * 60
    session_absolute_hours: int = 7 * 24
    invitation_hours: int = 72
    # Attempts per minute per client address on sign-in and invitation endpoints. A koperasi
    # office behind one NAT address enrolling its members (about 3 requests each) must fit.
    auth_attempts_per_minute: int = 60
    # Where invitation links point (printed by the CLI); empty: http://{rp_id}:{port}.
    public_url: str = ""
    # Web Push (backend/push): the VAPID contact push services see (mailto: or https:;
    # empty: derived from the public address), whether `serve` runs the sender in-process,
    # how many pushes are in flight at once, how long a push service keeps a notification
    # for a phone that is off (and how long the sender keeps trying), and which push
    # services subscriptions may point at (`*.` allows sub-domains).
    vapid_subject: str = ""
    push_worker: bool = True
    push_concurrency: int = 50
    push_ttl_hours: int = 24
    push_endpoint_hosts: tuple[str, ...] = (
        "fcm.googleapis.com",
        "android.googleapis.com",
        "updates.push.services.mozilla.com",
        "*.notify.windows.com",
        "*.push.apple.com",
    )

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if environ is None else environ
        base = cls()
        values: dict[str, Any] = {}
        if "KOROENA_DATA_DIR" in env:
            values["data_dir"] = Path(env["KOROENA_DATA_DIR"])
        if "KOROENA_DATABASE_URL" in env:
            values["database_url"] = env["KOROENA_DATABASE_URL"].strip()
        if "KOROENA_HOST" in env:
            values["host"] = env["KOROENA_HOST"]
        if "KOROENA_PORT" in env:
            values["port"] = _int("KOROENA_PORT", env["KOROENA_PORT"], minimum=1)
        if "KOROENA_DEBUG" in env:
            values["debug"] = _bool("KOROENA_DEBUG", env["KOROENA_DEBUG"])
        if "KOROENA_ALLOWED_HOSTS" in env:
            hosts = _list(env["KOROENA_ALLOWED_HOSTS"])
            if "*" in hosts:
                raise SettingsError("KOROENA_ALLOWED_HOSTS must list host names, not '*'")
            if not hosts:
                raise SettingsError("KOROENA_ALLOWED_HOSTS must name at least one host")
            values["allowed_hosts"] = hosts
        if "KOROENA_ALLOWED_ORIGINS" in env:
            values["allowed_origins"] = _list(env["KOROENA_ALLOWED_ORIGINS"])
        if "KOROENA_MAX_REQUEST_BYTES" in env:
            values["max_request_bytes"] = _int(
                "KOROENA_MAX_REQUEST_BYTES", env["KOROENA_MAX_REQUEST_BYTES"], minimum=1024
            )
        if "KOROENA_MAX_DOCUMENT_BYTES" in env:
            values["max_document_bytes"] = _int(
                "KOROENA_MAX_DOCUMENT_BYTES", env["KOROENA_MAX_DOCUMENT_BYTES"], minimum=1024
            )
        if "KOROENA_LANGUAGE" in env:
            language = env["KOROENA_LANGUAGE"].strip()
            if language not in {"id", "en"}:
                raise SettingsError("KOROENA_LANGUAGE must be 'id' or 'en'")
            values["default_language"] = language
        if "KOROENA_LOG_JSON" in env:
            values["log_json"] = _bool("KOROENA_LOG_JSON", env["KOROENA_LOG_JSON"])
        if "KOROENA_RP_ID" in env:
            values["rp_id"] = env["KOROENA_RP_ID"].strip().lower()
        if "KOROENA_PUBLIC_URL" in env:
            values["public_url"] = env["KOROENA_PUBLIC_URL"].strip().rstrip("/")
        for name, key, minimum in (
            ("KOROENA_SESSION_IDLE_MINUTES", "session_idle_minutes", 5),
            ("KOROENA_SESSION_ABSOLUTE_HOURS", "session_absolute_hours", 1),
            ("KOROENA_INVITATION_HOURS", "invitation_hours", 1),
            ("KOROENA_AUTH_ATTEMPTS_PER_MINUTE", "auth_attempts_per_minute", 1),
        ):
            if name in env:
                values[key] = _int(name, env[name], minimum=minimum)
        if "KOROENA_HTTPS" in env:
            values["https"] = _bool("KOROENA_HTTPS", env["KOROENA_HTTPS"])
        if "KOROENA_VAPID_SUBJECT" in env:
            values["vapid_subject"] = env["KOROENA_VAPID_SUBJECT"].strip()
        if "KOROENA_PUSH_WORKER" in env:
            values["push_worker"] = _bool("KOROENA_PUSH_WORKER", env["KOROENA_PUSH_WORKER"])
        if "KOROENA_PUSH_CONCURRENCY" in env:
            values["push_concurrency"] = _int(
                "KOROENA_PUSH_CONCURRENCY", env["KOROENA_PUSH_CONCURRENCY"], minimum=1
            )
        if "KOROENA_PUSH_TTL_HOURS" in env:
            values["push_ttl_hours"] = _int(
                "KOROENA_PUSH_TTL_HOURS", env["KOROENA_PUSH_TTL_HOURS"], minimum=1
            )
        if "KOROENA_PUSH_ENDPOINT_HOSTS" in env:
            values["push_endpoint_hosts"] = _list(env["KOROENA_PUSH_ENDPOINT_HOSTS"].lower())
        settings = replace(base, **values)
        settings.validate()
        return settings

    def validate(self) -> None:
        if not self.rp_id or self.rp_id.replace(".", "").isdigit() or ":" in self.rp_id:
            raise SettingsError(
                "KOROENA_RP_ID must be a host name such as localhost or koperasi.example.id"
                " (an IP address cannot be a passkey RP ID)"
            )
        url = self.database_url
        if url and not url.startswith(("postgres://", "postgresql://", "sqlite:///")):
            raise SettingsError("KOROENA_DATABASE_URL must start with postgresql:// or sqlite:///")
        if self.vapid_subject and not _VAPID_SUBJECT.fullmatch(self.vapid_subject):
            raise SettingsError(
                "KOROENA_VAPID_SUBJECT must be mailto:someone@example.id or https://host.example.id"
                " (push services accept no port or path there)"
            )
        if not 1 <= self.push_concurrency <= 1000:
            raise SettingsError("KOROENA_PUSH_CONCURRENCY must be between 1 and 1000")
        if self.push_ttl_hours > 24 * 28:
            raise SettingsError("KOROENA_PUSH_TTL_HOURS must be at most 672 (28 days)")

    @property
    def is_postgres(self) -> bool:
        return self.database_url.startswith(("postgres://", "postgresql://"))

    @property
    def sqlite_path(self) -> Path:
        if self.database_url.startswith("sqlite:///"):
            return Path(self.database_url.removeprefix("sqlite:///"))
        return self.data_dir / "koroena.sqlite"

    @property
    def base_url(self) -> str:
        """The address people open; invitation links start with it."""
        if self.public_url:
            return self.public_url
        scheme = "https" if self.https else "http"
        default_port = 443 if self.https else 80
        port = "" if self.port == default_port else f":{self.port}"
        return f"{scheme}://{self.rp_id}{port}"

    @property
    def push_subject(self) -> str:
        """The VAPID `sub` claim: who a push service contacts about our pushes."""
        if self.vapid_subject:
            return self.vapid_subject
        if self.https:
            return f"https://{self.rp_id}"
        return f"mailto:admin@{self.rp_id}"

    @property
    def origins(self) -> tuple[str, ...]:
        """Origins trusted for the websocket Origin check."""
        if self.allowed_origins:
            return self.allowed_origins
        result: list[str] = []
        for host in self.allowed_hosts:
            for scheme in ("http", "https"):
                result.append(f"{scheme}://{host}:{self.port}")
                if (scheme, self.port) in {("http", 80), ("https", 443)}:
                    result.append(f"{scheme}://{host}")
        return tuple(result)
