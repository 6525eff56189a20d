"""What the kiosk window sees of the running core: plain data and one protocol, no Qt.

The window polls a :class:`KioskRuntime` from a GUI timer (~30 Hz): every call here returns
at once with the newest value, so the GUI thread never waits on the camera, the model, the
network or a slow write. Things that must not be missed (a record was made) come through
``poll_events``; things that take time (a PIN record, enrollment) return a ``Future``
completed on a worker thread.
"""

from __future__ import annotations

import enum
import uuid
from collections.abc import Callable, Sequence
from concurrent.futures import Future
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Protocol

from core.attendance.outcomes import KioskOutcome, NotRecorded, NotSaved, PunchChoice, Recorded
from core.attendance.rules import Kind
from core.camera import CameraStatus, Frame
from core.config import Settings
from core.recognition.head_pose import HeadTurn
from core.states import FaceState, ModelState, ModelStatus, Refusal
from core.store.durability import WriteProblem
from core.sync.status import SyncStatus


@dataclass(frozen=True)
class FaceObservation:
    """The newest recognition result, for the overlay and the prompts."""

    seq: int  # the frame it was computed on
    state: FaceState
    box: tuple[int, int, int, int] | None = None  # x, y, w, h in that frame's pixels
    reason: Refusal | None = None
    employee_name: str | None = None
    unknown_for_s: float = 0.0  # how long an unknown face has stayed (PIN pad after a few s)


@dataclass(frozen=True)
class EnrollmentProgress:
    """Guided capture from the live camera: one update per accepted or refused sample."""

    accepted: int
    needed: int
    last_reason: Refusal | None = None  # why the last sample was refused
    duplicate_of: str | None = None  # the face is already enrolled as this person (code and name)
    done: bool = False
    error: str | None = None
    cancelled: bool = False  # stopped by the administrator or the window closing; nothing saved
    turn: HeadTurn | None = None  # what the person is asked to do before the next sample
    same_pose: bool = False  # a good face, but where a sample was already taken: not taken
    thumbnail: bytes | None = None  # JPEG of the face of the sample just taken


class FileProblem(enum.Enum):
    """Why a photo file could not be read at all (its reason is ``Refusal.UNREADABLE``)."""

    MISSING = "missing"  # gone, a folder, or not readable
    TOO_LARGE = "too_large"  # over the byte or pixel limit: never decoded
    CORRUPT = "corrupt"  # empty, cut short, or not an image


@dataclass(frozen=True)
class PhotoVerdict:
    """Enrollment from photo files: what became of one file."""

    name: str  # the file name
    index: int  # 1-based, in the order given
    total: int
    reason: Refusal | None = None  # None: taken
    detail: str = ""  # the engine's English sentence (the log, a tooltip)
    duplicate_of: str | None = None  # DUPLICATE: who (code and name)
    faces: int = 0  # SEVERAL_FACES: how many
    file_problem: FileProblem | None = None  # UNREADABLE: why
    thumbnail: bytes | None = None  # taken: JPEG of the face

    @property
    def accepted(self) -> bool:
        return self.reason is None


@dataclass(frozen=True)
class PhotoEnrollmentReport:
    """The end of an enrollment from photo files; ``verdicts`` are final (a photo taken at
    first may be refused at the end as unlike the others)."""

    verdicts: tuple[PhotoVerdict, ...]
    saved: int = 0  # samples written (0: nothing was saved)
    total_templates: int = 0  # the employee's face samples now
    error: str | None = None  # the save failed, or no photo could be used
    cancelled: bool = False


@dataclass(frozen=True)
class RecordEvent:
    """A face became a record (or was refused by the rules, or the store could not keep
    it): show the result card; or the person is to choose which record (``PunchChoice``)."""

    outcome: KioskOutcome | NotSaved
    photo_jpeg: bytes | None = None  # enrollment photo, if any
    at: datetime = field(default_factory=lambda: datetime.now().astimezone())


class KioskRuntime(Protocol):
    """Implemented by core.runtime.Runtime (real) and by a fake in the kiosk tests."""

    def start(self) -> None: ...
    def stop(self) -> None: ...

    def latest_frame(self, after_seq: int = -1) -> Frame | None: ...
    def observation(self) -> FaceObservation: ...
    def model_status(self) -> ModelStatus: ...
    def camera_status(self) -> CameraStatus: ...
    def sync_status(self) -> SyncStatus: ...
    # Why the store cannot keep records now (a full disk), until a change is kept again.
    def store_problem(self) -> WriteProblem | None: ...
    def poll_events(self) -> list[RecordEvent]: ...

    def record_pin(self, code: str, pin: str) -> Future[KioskOutcome]: ...
    # The person's answer to a PunchChoice (punch_mode = ask), and their "Not right?
    # Change" on a record the kiosk guessed (punch_mode = shift).
    def choose_punch(self, token: uuid.UUID, kind: Kind) -> Future[Recorded]: ...
    def change_punch(self, event_id: uuid.UUID, kind: Kind) -> Future[Recorded]: ...
    def sync_now(self) -> bool: ...  # False when no central database is configured
    def set_camera(self, source: str, width: int, height: int) -> None: ...
    def apply(self, new: Settings, old: Settings) -> None: ...  # a saved settings change
    def pause_recognition(self, paused: bool) -> None: ...  # while an admin screen is open

    def start_enrollment(
        self,
        employee_code: str,
        samples: int,
        on_progress: Callable[[EnrollmentProgress], None],
        actor: str = "kiosk",  # the signed-in administrator, for the audit log
    ) -> Future[EnrollmentProgress]: ...  # an unknown code: the future's exception
    def cancel_enrollment(self) -> None: ...  # a capture or photos, whichever runs
    def enroll_photos(
        self,
        employee_code: str,
        photos: Sequence[Path],
        on_verdict: Callable[[PhotoVerdict], None],  # each file as it is judged
        actor: str = "kiosk",
    ) -> Future[PhotoEnrollmentReport]: ...


__all__ = [
    "EnrollmentProgress",
    "FaceObservation",
    "FaceState",
    "FileProblem",
    "HeadTurn",
    "KioskRuntime",
    "ModelState",
    "NotRecorded",
    "NotSaved",
    "PhotoEnrollmentReport",
    "PhotoVerdict",
    "PunchChoice",
    "RecordEvent",
    "Recorded",
    "Refusal",
    "WriteProblem",
]
