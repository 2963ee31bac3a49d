"""Koroena backend: Litestar API, services and domain rules, one folder per bounded context."""

__version__ = "0.1.0"
