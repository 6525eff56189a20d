"""Employees through the service: create, edit, deactivate, erase biometrics — audited."""

from __future__ import annotations

import json

import numpy as np
import pytest
from sqlalchemy import select

from core.context import AppContext
from core.errors import NotFoundError, RefusedError, UsageError
from core.store.models import AuditEntry, Employee, FaceTemplate, Tombstone


def _audit(ctx: AppContext, action: str) -> list[AuditEntry]:
    with ctx.store.read() as session:
        return list(session.scalars(select(AuditEntry).where(AuditEntry.action == action)))


def test_add_list_and_refuse_duplicates(ctx: AppContext) -> None:
    service = ctx.employees()
    service.add("cli:test", "E1", "  Ana   García ", pin="4821")
    service.assign_shift("cli:test", "E1", "oficina")
    (view,) = service.list()
    assert (view.code, view.name, view.has_pin, view.shifts) == (
        "E1",
        "Ana García",
        True,
        ("Oficina",),
    )
    with pytest.raises(RefusedError, match="already exists"):
        service.add("cli:test", "E1", "Otra")
    with pytest.raises(UsageError):
        service.add("cli:test", "with space", "X")
    with pytest.raises(UsageError, match="PIN"):
        service.add("cli:test", "E2", "Bea", pin="12")
    with pytest.raises(NotFoundError, match="no shift named"):
        service.assign_shift("cli:test", "E1", "Madrugada")
    (entry,) = _audit(ctx, "employee.add")
    assert entry.actor == "cli:test" and entry.target_id == "E1"
    assert "4821" not in entry.details and json.loads(entry.details)["with_pin"] is True


def test_deactivated_employees_are_hidden_but_kept(ctx: AppContext) -> None:
    service = ctx.employees()
    service.add("cli:test", "E1", "Ana")
    service.set_active("cli:test", "E1", False, "left the company")
    assert service.list() == []
    assert [v.code for v in service.list(include_inactive=True)] == ["E1"]
    (entry,) = _audit(ctx, "employee.deactivate")
    assert entry.reason == "left the company"


def test_erasure_removes_every_template_and_leaves_a_tombstone(ctx: AppContext) -> None:
    service = ctx.employees()
    view = service.add("cli:test", "E1", "Ana")
    with ctx.store.write() as session:
        for _ in range(3):
            vector = np.random.default_rng(1).normal(size=128).astype(np.float32)
            session.add(
                FaceTemplate(
                    employee_id=view.id, model_name="Dlib", vector=vector.tobytes(), dim=128
                )
            )
        employee = session.get(Employee, view.id)
        assert employee is not None
        employee.photo_jpeg = b"\xff\xd8fake"
    with pytest.raises(UsageError, match="reason"):
        service.erase_biometrics("cli:test", "E1", "  ")
    assert service.erase_biometrics("cli:test", "E1", "employee asked (GDPR art. 17)") == 3
    with ctx.store.read() as session:
        assert session.scalars(select(FaceTemplate)).all() == []
        employee = session.get(Employee, view.id)
        assert (
            employee is not None and employee.photo_jpeg is None and employee.biometrics_erased_at
        )
        (tomb,) = session.scalars(select(Tombstone)).all()
    assert tomb.entity == "employee_biometrics" and tomb.entity_id == view.id
    (entry,) = _audit(ctx, "employee.erase_biometrics")
    assert (
        entry.reason == "employee asked (GDPR art. 17)"
        and json.loads(entry.details)["templates"] == 3
    )
    # Erasing again (say, after a new enrollment) renews the same tombstone.
    assert service.erase_biometrics("cli:test", "E1", "asked again") == 0
    with ctx.store.read() as session:
        assert len(session.scalars(select(Tombstone)).all()) == 1
