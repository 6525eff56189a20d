"""dlib's 68-point landmark predictor, run in a child process.

The predictor (blink liveness) is a 100 MB model whose loading decodes for about a second
with the GIL held: in the kiosk's process that froze the camera preview and the clock at
every start. In a child process it loads without touching this process's GIL; each
request then costs a copy of the frame through a pipe (~1 ms for 640×480) plus the
prediction itself (~2 ms).

Protocol (binary, little-endian): the child writes ``R`` when ready, or ``E`` and a
message when the model cannot be loaded. Each request is a header
``(height, width, left, top, right, bottom)`` as six int32 plus the RGB pixels; the
answer is ``num_parts`` as int32 then that many (x, y) int32 pairs. The child exits at
the end of its input, so it never outlives the kiosk. It ignores SIGINT and SIGTERM: Ctrl+C
in a terminal and ``systemctl stop`` signal the kiosk's whole process group, and the
kiosk, which stops in order, closes the child's input itself once recognition has
stopped (a child that died first would fail the frame in flight).
"""

from __future__ import annotations

import atexit
import contextlib
import logging
import os
import select
import struct
import subprocess
import sys
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import numpy as np
from numpy.typing import NDArray

from core.child import child_command
from core.recognition.errors import CorruptWeightsError, RecognitionError

log = logging.getLogger(__name__)

_HEADER = struct.Struct("<6i")
_COUNT = struct.Struct("<i")
READY_TIMEOUT_S = 120.0
ROOT = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class _Point:
    x: int
    y: int


class RemoteShape:
    """Looks like dlib's ``full_object_detection`` where the pipeline reads it."""

    def __init__(self, points: NDArray[np.int32]) -> None:
        self._points = points

    @property
    def num_parts(self) -> int:
        return int(self._points.shape[0])

    def part(self, index: int) -> _Point:
        x, y = self._points[index]
        return _Point(int(x), int(y))


def _read_exact(stream: IO[bytes], size: int) -> bytes:
    data = b""
    while len(data) < size:
        chunk = stream.read(size - len(data))
        if not chunk:
            raise EOFError
        data += chunk
    return data


class RemoteShapePredictor:
    """Callable like ``dlib.shape_predictor``: ``predictor(rgb, rect) -> shape``."""

    def __init__(self, model: Path) -> None:
        self.model = model
        self._lock = threading.Lock()
        self._proc: subprocess.Popen[bytes] | None = None
        self._closed = False  # by close(): a later call starts the child again, quietly
        self._start()
        atexit.register(self.close)

    def _start(self) -> None:
        env = {
            **os.environ,
            "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
        }
        self._proc = subprocess.Popen(
            child_command("core.recognition.landmarks_child", str(self.model)),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            cwd=ROOT,
            env=env,
        )
        assert self._proc.stdout is not None
        ready, _, _ = select.select([self._proc.stdout], [], [], READY_TIMEOUT_S)
        if not ready:
            self.close()
            raise RecognitionError(f"the landmark model {self.model} did not load in time")
        status = self._proc.stdout.read(1)
        if status == b"R":
            return
        message = self._proc.stdout.read().decode("utf-8", "replace").strip()
        self.close()
        if status == b"E" and "deserializ" in message.lower():
            raise CorruptWeightsError(self.model, message[:200])
        raise RecognitionError(
            f"the landmark process could not start: {message or 'it exited at once'}"
        )

    def __call__(self, rgb: NDArray[np.uint8], rect: Any) -> RemoteShape:
        image = np.ascontiguousarray(rgb, dtype=np.uint8)
        if image.ndim != 3 or image.shape[2] != 3:
            raise ValueError("expected an RGB image")
        header = _HEADER.pack(
            image.shape[0], image.shape[1], rect.left(), rect.top(), rect.right(), rect.bottom()
        )
        with self._lock:
            if self._proc is None or self._proc.poll() is not None:
                if not self._closed:
                    log.warning("the landmark process had stopped; starting it again")
                self._closed = False
                self._start()
            proc = self._proc
            assert proc is not None and proc.stdin is not None and proc.stdout is not None
            try:
                proc.stdin.write(header)
                proc.stdin.write(image.tobytes())
                proc.stdin.flush()
                (count,) = _COUNT.unpack(_read_exact(proc.stdout, _COUNT.size))
                raw = _read_exact(proc.stdout, count * 8)
            except (BrokenPipeError, EOFError, OSError) as exc:
                raise RecognitionError(f"the landmark process stopped: {exc!r}") from exc
        return RemoteShape(np.frombuffer(raw, "<i4").reshape(count, 2))

    def close(self) -> None:
        """End the child (it finishes the request in hand, then sees the end of input)."""
        proc, self._proc = self._proc, None
        if proc is None:
            return
        self._closed = True
        if proc.stdin is not None:
            with contextlib.suppress(OSError):
                proc.stdin.close()  # end of input: the child exits by itself
        try:
            proc.wait(timeout=2)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        if proc.stdout is not None:
            proc.stdout.close()


def serve(model: str) -> int:
    """The child's loop (started through ``landmarks_child``, which ignores the signals)."""
    import dlib

    out = sys.stdout.buffer
    source = sys.stdin.buffer
    try:
        predictor = dlib.shape_predictor(model)
    except RuntimeError as exc:
        out.write(b"E" + str(exc).encode("utf-8", "replace"))
        out.flush()
        return 1
    out.write(b"R")
    out.flush()
    while True:
        try:
            header = _read_exact(source, _HEADER.size)
        except EOFError:
            return 0
        height, width, left, top, right, bottom = _HEADER.unpack(header)
        pixels = _read_exact(source, height * width * 3)
        image = np.frombuffer(pixels, np.uint8).reshape(height, width, 3)
        shape = predictor(image, dlib.rectangle(left, top, right, bottom))
        points = np.array(
            [(shape.part(i).x, shape.part(i).y) for i in range(shape.num_parts)], "<i4"
        )
        out.write(_COUNT.pack(len(points)) + points.tobytes())
        out.flush()
