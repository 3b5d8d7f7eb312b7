"""What the figures were measured on: CPU, cores, memory, Python, SQLite, PostgreSQL."""

from __future__ import annotations

import os
import platform
import sqlite3
from pathlib import Path
from typing import Any

import psycopg


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def _memory_gib() -> float | None:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return round(int(line.split()[1]) / 1024 / 1024, 1)
    except OSError:
        pass
    return None


def _postgres_version(url: str | None) -> str | None:
    if url is None:
        return None
    try:
        with psycopg.connect(url, connect_timeout=3) as conn:
            row = conn.execute("SHOW server_version").fetchone()
            return str(row[0]) if row else None
    except psycopg.Error:
        return None


def describe(postgres_url: str | None) -> dict[str, Any]:
    return {
        "cpu": _cpu_model(),
        "cores": os.cpu_count(),
        "memory_gib": _memory_gib(),
        "os": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "postgresql": _postgres_version(postgres_url),
        "load_average": [round(x, 2) for x in os.getloadavg()],
    }


def one_line(machine: dict[str, Any]) -> str:
    pg = f", PostgreSQL {machine['postgresql']}" if machine.get("postgresql") else ""
    return (f"{machine['cpu']}, {machine['cores']} cores, {machine['memory_gib']} GiB RAM;"
            f" Python {machine['python']}, SQLite {machine['sqlite']}{pg}")
