"""The runtime starts an enrollment without reading the store on the caller's thread (the
window's): the employee is looked up on ``kiosk-io``, the answer comes through the future,
and a cancel that comes before the lookup has finished starts nothing.

The real runtime (main.py's), its recognition worker not started: no models are needed to
see which thread reads the store and what the future says.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from core.context import AppContext
from core.errors import NotFoundError
from core.people.employees import EmployeeService
from core.runtime import Runtime


@pytest.fixture
def runtime(ctx: AppContext) -> Iterator[Runtime]:
    import main

    ctx.start_store()
    ctx.employees().add("cli:test", "E1", "Ana García")
    built = main.build_runtime(ctx, ctx.model_loader())  # models never started: not needed
    yield built
    built.stop()


@pytest.fixture
def held_lookup(
    ctx: AppContext, monkeypatch: pytest.MonkeyPatch
) -> tuple[threading.Event, list[str]]:
    """The store read that finds the employee waits for the test's go, and says its thread."""
    go, readers = threading.Event(), []
    real: Callable[[], EmployeeService] = ctx.employees

    def employees() -> EmployeeService:
        readers.append(threading.current_thread().name)
        assert go.wait(10)
        return real()

    monkeypatch.setattr(ctx, "employees", employees)
    return go, readers


def wait_for(condition: Callable[[], bool]) -> None:
    deadline = time.monotonic() + 5
    while not condition():
        assert time.monotonic() < deadline
        time.sleep(0.01)


def test_starting_a_capture_returns_at_once_and_reads_the_store_on_kiosk_io(
    runtime: Runtime, held_lookup: tuple[threading.Event, list[str]]
) -> None:
    go, readers = held_lookup
    began = time.monotonic()
    future = runtime.start_enrollment("E1", 3, lambda _progress: None, "user:admin")
    assert time.monotonic() - began < 0.5 and not future.done()
    assert not runtime.enrollment.active
    go.set()
    wait_for(lambda: runtime.enrollment.active)
    assert readers and all(name.startswith("kiosk-io") for name in readers)
    runtime.cancel_enrollment()
    progress = future.result(5)
    assert progress.cancelled and progress.accepted == 0 and progress.needed == 3


def test_photo_files_are_started_off_the_callers_thread_too(
    runtime: Runtime, held_lookup: tuple[threading.Event, list[str]], tmp_path: Path
) -> None:
    go, readers = held_lookup
    future = runtime.enroll_photos("E1", [tmp_path / "a.jpg"], lambda _verdict: None, "user:admin")
    assert not future.done() and not runtime.enrollment.photos_waiting
    go.set()
    wait_for(lambda: runtime.enrollment.photos_waiting)
    assert readers and all(name.startswith("kiosk-io") for name in readers)
    runtime.cancel_enrollment()
    assert future.result(5).cancelled


def test_an_unknown_code_comes_back_through_the_future(runtime: Runtime) -> None:
    future = runtime.start_enrollment("E404", 3, lambda _progress: None, "user:admin")
    with pytest.raises(NotFoundError):
        future.result(5)
    assert not runtime.enrollment.active


def test_a_cancel_before_the_employee_is_found_starts_nothing(
    runtime: Runtime, held_lookup: tuple[threading.Event, list[str]]
) -> None:
    go, _readers = held_lookup
    future = runtime.start_enrollment("E1", 3, lambda _progress: None, "user:admin")
    runtime.cancel_enrollment()
    go.set()
    progress = future.result(5)
    assert progress.cancelled and progress.error == "cancelled"
    assert not runtime.enrollment.active  # nothing left running behind the page
    # The slot is free: the next capture starts.
    again = runtime.start_enrollment("E1", 3, lambda _progress: None, "user:admin")
    wait_for(lambda: runtime.enrollment.active)
    runtime.cancel_enrollment()
    assert again.result(5).cancelled


def test_a_lookup_still_waiting_when_the_kiosk_stops_ends_as_stopped(
    runtime: Runtime, held_lookup: tuple[threading.Event, list[str]]
) -> None:
    go, _readers = held_lookup
    first = runtime.start_enrollment("E1", 3, lambda _progress: None, "user:admin")
    second = runtime.enroll_photos("E1", [Path("a.jpg")], lambda _verdict: None, "user:admin")
    threading.Timer(0.2, go.set).start()  # the first lookup is running when the stop comes
    runtime.stop()
    assert first.result(5).error == "stopped" and first.result().cancelled
    assert second.result(5).error == "stopped" and second.result().cancelled
    assert not runtime.enrollment.active and not runtime.enrollment.photos_waiting
