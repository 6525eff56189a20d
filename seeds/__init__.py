"""Idempotent seeds, run at start-up after migrations and by ``main.py seed``.

They use the database only, never the models (the old server crashed loading models twice
when its seeds did).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from core.store.database import Store
from seeds.seed_roles import seed_roles
from seeds.seed_turnos import seed_turnos
from seeds.seed_users import SeededAdmin, seed_users


@dataclass
class SeedReport:
    created: list[str] = field(default_factory=list)
    admin: SeededAdmin | None = None


def run_all(store: Store, kiosk_id: str = "") -> SeedReport:
    report = SeedReport()
    with store.write() as session:
        report.created += seed_roles(session)
        report.created += seed_turnos(session)
        report.admin = seed_users(session, kiosk_id)
    if report.admin is not None:
        report.created.append(f"administrator {report.admin.username}")
    return report
