"""Errors the service layer raises; the API turns each into one JSON shape.

Every 4xx/5xx answer looks like
``{"error": {"code": "koperasi_not_found", "message": "Koperasi tidak ditemukan.",
"status": 404, "request_id": "...", "details": [...]}}``: `code` is for programs,
`message` for people (Bahasa Indonesia).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class AppError(Exception):
    code: str
    message: str
    status: int = 400
    details: list[dict[str, Any]] = field(default_factory=list)

    def __str__(self) -> str:
        return f"{self.code}: {self.message}"


class NotFound(AppError):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(code=code, message=message, status=404)


class ValidationFailed(AppError):
    def __init__(self, code: str, message: str, field_name: str | None = None) -> None:
        details = [{"field": field_name, "code": code, "message": message}] if field_name else []
        super().__init__(code=code, message=message, status=422, details=details)


class Conflict(AppError):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(code=code, message=message, status=409)


class Gone(AppError):
    """Something that existed but can no longer be used (an expired or used invitation)."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(code=code, message=message, status=410)


class Unauthenticated(AppError):
    def __init__(self, code: str = "unauthenticated", message: str = "") -> None:
        super().__init__(code=code, message=message or "Silakan masuk terlebih dahulu.", status=401)


class Forbidden(AppError):
    def __init__(self, code: str = "forbidden", message: str = "") -> None:
        super().__init__(
            code=code, message=message or "Anda tidak berhak melakukan ini.", status=403
        )
