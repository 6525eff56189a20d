"""The same models and migrations on a real PostgreSQL server (the central database)."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import numpy as np
import pytest
from sqlalchemy import inspect, select

from core.store.database import Store, create_store_engine
from core.store.migrate import current_revision, head_revision, migrate
from core.store.models import AttendanceEvent, Employee, FaceTemplate, Shift
from tests.store.test_store import TABLES

pytestmark = pytest.mark.postgres


def test_migrations_and_types_round_trip_on_postgres(postgres_url: str) -> None:
    store = Store(create_store_engine(postgres_url))
    try:
        result = migrate(store.engine)
        assert result.to_revision == head_revision() and result.backup is None
        assert set(inspect(store.engine).get_table_names()) >= TABLES
        assert current_revision(store.engine) == head_revision()

        vector = np.arange(128, dtype=np.float32) / 128
        madrid = datetime(2026, 3, 29, 3, 30, tzinfo=ZoneInfo("Europe/Madrid"))
        with store.write() as session:
            employee = Employee(code="E1", name="Ana García")
            session.add(employee)
            session.flush()
            session.add(
                FaceTemplate(
                    employee_id=employee.id, model_name="Dlib", vector=vector.tobytes(), dim=128
                )
            )
            session.add(Shift(name="Noche", start_time=time(22), end_time=time(6)))
            event_id = uuid.uuid4()
            session.add(
                AttendanceEvent(
                    id=event_id,
                    employee_id=employee.id,
                    kiosk_id="k1",
                    kind="in",
                    occurred_at=madrid,
                    timezone="Europe/Madrid",
                    shift_day=date(2026, 3, 28),
                    method="face",
                    score=0.31,
                )
            )
        with store.read() as session:
            event = session.get(AttendanceEvent, event_id)
            template = session.scalar(select(FaceTemplate))
        assert event is not None and event.occurred_at == madrid and event.occurred_at.tzinfo is UTC
        assert template is not None
        assert np.array_equal(np.frombuffer(template.vector, dtype=np.float32), vector)
        assert not migrate(store.engine).changed
    finally:
        store.dispose()
