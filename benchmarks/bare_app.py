"""The baseline for benchmarks/health_rps.py: Litestar with one trivial endpoint, nothing else.

Served with `python -m uvicorn --app-dir benchmarks bare_app:app`; whatever Koroena's health
endpoint costs on top of this (middleware, headers, the `SELECT 1`) shows up in the ratio.
"""

from __future__ import annotations

from litestar import Litestar, get


@get("/health")
async def health() -> dict[str, str]:
    return {"status": "ok"}


app = Litestar([health])
