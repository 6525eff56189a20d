"""Camera sources: parsing, files, folders, lost and unreachable cameras, clean stops.

Everything runs against real OpenCV: videos are written with cv2.VideoWriter into
tmp_path, and live streams come from a small MJPEG-over-HTTP server in this process.
"""

from __future__ import annotations

import http.server
import itertools
import logging
import random
import socket
import socketserver
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import cv2
import numpy as np
import pytest

from core.camera import (
    CameraReader,
    CameraSource,
    CameraState,
    CameraStatus,
    Frame,
    SourceKind,
    mask_url,
    parse_source,
)
from core.camera.capture import MAX_FRAME_SIDE
from core.camera.reader import THREAD_NAME_PREFIX
from core.host.backoff import Backoff
from core.host.images import MAX_BYTES as MAX_IMAGE_BYTES

FPS = 25
CLIP_FRAMES = 25  # one second at 25 fps: long enough to see pacing, short enough for CI
UNREACHABLE_URL = "http://127.0.0.1:9/stream.mjpg"  # port 9 (discard) is closed locally

ReaderFactory = Callable[..., CameraReader]


# -- helpers ---------------------------------------------------------------------------


def draw_frame(index: int, size: tuple[int, int] = (160, 120)) -> np.ndarray:
    """A frame with a moving square and its number, so each frame differs."""
    width, height = size
    image = np.full((height, width, 3), 40, np.uint8)
    x = (index * 5) % (width - 20)
    cv2.rectangle(image, (x, 10), (x + 20, 30), (0, 200, 255), -1)
    cv2.putText(image, str(index), (10, height - 20), cv2.FONT_HERSHEY_SIMPLEX, 1, (255,) * 3, 2)
    return image


def write_video(path: Path, frames: int = CLIP_FRAMES, fps: float = FPS) -> Path:
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter.fourcc(*"MJPG"), fps, (160, 120))
    assert writer.isOpened()
    for index in range(frames):
        writer.write(draw_frame(index))
    writer.release()
    return path


@pytest.fixture(scope="module")
def clip(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_video(tmp_path_factory.mktemp("video") / "clip.avi")


def camera_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name.startswith(THREAD_NAME_PREFIX)]


@pytest.fixture
def make_reader() -> Iterator[ReaderFactory]:
    """Build readers that are always stopped, then fail the test if a thread leaked."""
    readers: list[CameraReader] = []

    def make(source: CameraSource | str, **options: Any) -> CameraReader:
        reader = CameraReader(source, **options)
        readers.append(reader)
        return reader

    yield make
    for reader in readers:
        assert reader.stop(timeout=5.0)
    assert camera_threads() == []


class StatusLog:
    """Collects published statuses and waits for one that matches."""

    def __init__(self, reader: CameraReader) -> None:
        self.items: list[CameraStatus] = []
        self._cond = threading.Condition()
        reader.subscribe(self._add)

    def _add(self, status: CameraStatus) -> None:
        with self._cond:
            self.items.append(status)
            self._cond.notify_all()

    def wait_for(self, state: CameraState, timeout: float = 5.0, count: int = 1) -> CameraStatus:
        def matches() -> list[CameraStatus]:
            return [s for s in self.items if s.state is state]

        with self._cond:
            assert self._cond.wait_for(lambda: len(matches()) >= count, timeout), (
                f"no {state} within {timeout} s; got {[s.state for s in self.items]}"
            )
            return matches()[count - 1]

    @property
    def states(self) -> list[CameraState]:
        with self._cond:
            return [s.state for s in self.items]


def drain(reader: CameraReader, timeout: float = 5.0) -> list[Frame]:
    """Take every frame a fast consumer can see until the reader finishes."""
    frames: list[Frame] = []
    deadline = time.monotonic() + timeout
    seq = -1
    while time.monotonic() < deadline:
        frame = reader.wait_frame(seq, timeout=0.5)
        if frame is None:
            if reader.state.is_final:
                return frames
            continue
        frames.append(frame)
        seq = frame.seq
    pytest.fail(f"the reader did not finish within {timeout} s (state {reader.state})")


# -- parse_source ----------------------------------------------------------------------


@pytest.mark.parametrize(("text", "index"), [("0", 0), ("1", 1), (" 2 ", 2), ("/dev/video3", 3)])
def test_parse_device_index(text: str, index: int) -> None:
    assert parse_source(text) == CameraSource(SourceKind.DEVICE, index)


@pytest.mark.parametrize(
    "url",
    [
        "rtsp://10.0.0.5:554/stream1",
        "rtsps://cam.local/live",
        "http://10.0.0.5/video.mjpg",
        "HTTPS://cam.example.com/live",
    ],
)
def test_parse_url(url: str) -> None:
    assert parse_source(url) == CameraSource(SourceKind.URL, url)


def test_parse_file_and_folder(tmp_path: Path, clip: Path) -> None:
    assert parse_source(str(clip)) == CameraSource(SourceKind.VIDEO_FILE, str(clip.resolve()))
    assert parse_source(str(tmp_path)) == CameraSource(
        SourceKind.IMAGE_FOLDER, str(tmp_path.resolve())
    )


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("", "empty"),
        ("   ", "empty"),
        ("999", "out of range"),
        ("ftp://cam/stream", "unsupported URL scheme"),
        ("rtsp://", "no host"),
        ("/no/such/video.mp4", "not found"),
        ("camera-front", "a camera number"),
    ],
)
def test_parse_rejects_bad_input_with_a_clear_message(text: str, says: str) -> None:
    with pytest.raises(ValueError, match=says):
        parse_source(text)


def test_url_password_is_never_shown() -> None:
    source = parse_source("rtsp://admin:s3cret@10.0.0.5:554/stream1")
    assert source.describe() == "stream rtsp://admin:***@10.0.0.5:554/stream1"
    assert "s3cret" not in repr(source)
    assert "s3cret" not in str(source)
    with pytest.raises(ValueError, match="unsupported") as error:
        parse_source("ftp://admin:s3cret@host/x")
    assert "s3cret" not in str(error.value)


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        ("rtsp://u:p@h/x", "rtsp://u:***@h/x"),
        ("rtsp://u:p@ss@h:554/x", "rtsp://u:***@h:554/x"),
        ("rtsp://user@h/x", "rtsp://user@h/x"),
        ("http://h/x?a=1", "http://h/x?a=1"),
    ],
)
def test_mask_url(url: str, shown: str) -> None:
    assert mask_url(url) == shown


# -- backoff ---------------------------------------------------------------------------


def test_backoff_grows_to_its_cap_with_bounded_jitter_and_resets() -> None:
    backoff = Backoff(initial=0.5, cap=10.0, jitter=0.2, rng=random.Random(1))
    delays = [backoff.next_delay() for _ in range(8)]
    for delay, base in zip(delays, [0.5, 1, 2, 4, 8, 10, 10, 10], strict=True):
        assert base * 0.8 <= delay <= min(base * 1.2, 10.0)
    backoff.reset()
    assert backoff.next_delay() <= 0.6


# -- video files -----------------------------------------------------------------------


def test_video_file_delivers_every_frame_then_ends(make_reader: ReaderFactory, clip: Path) -> None:
    reader = make_reader(str(clip), realtime=False)
    log = StatusLog(reader)
    reader.start()
    frames = drain(reader)

    assert [f.seq for f in frames] == list(range(CLIP_FRAMES))
    assert [f.position for f in frames] == list(range(CLIP_FRAMES))
    first = frames[0]
    assert first.image.shape == (120, 160, 3)
    assert first.image.dtype == np.uint8
    assert not first.image.flags.writeable  # shared by all consumers
    assert all(a.captured_at <= b.captured_at for a, b in itertools.pairwise(frames))
    # The reader's state turns final a moment before its subscribers hear of it.
    log.wait_for(CameraState.ENDED)
    assert log.states == [CameraState.STARTING, CameraState.STREAMING, CameraState.ENDED]
    assert f"after {CLIP_FRAMES} frames" in reader.status.message
    # Once ended, waiting returns at once instead of blocking.
    started = time.monotonic()
    assert reader.wait_frame(frames[-1].seq, timeout=5) is None
    assert time.monotonic() - started < 0.5


def test_video_file_plays_at_its_own_frame_rate(make_reader: ReaderFactory, clip: Path) -> None:
    reader = make_reader(str(clip))
    started = time.monotonic()
    reader.start()
    frames = drain(reader)
    elapsed = time.monotonic() - started
    # The last of 25 frames at 25 fps is due 0.96 s after the first.
    assert 0.85 <= elapsed < 3.0
    assert reader.state is CameraState.ENDED
    assert len(frames) >= CLIP_FRAMES - 3  # a fast consumer misses next to nothing


def test_slow_consumer_skips_frames_but_never_gets_a_stale_one(
    make_reader: ReaderFactory, clip: Path
) -> None:
    reader = make_reader(str(clip))
    reader.start()
    seen: list[Frame] = []
    seq = -1
    while not reader.state.is_final:
        frame = reader.wait_frame(seq, timeout=1.0)
        if frame is None:
            continue
        # What the consumer got is the newest frame there is: at most a frame or two old
        # (a queue would hand out frames 0.15 s old and older).
        assert time.monotonic() - frame.captured_at < 3 / FPS
        assert frame.seq > seq
        seen.append(frame)
        seq = frame.seq
        time.sleep(0.15)  # a slow recogniser
    gaps = [b.seq - a.seq for a, b in itertools.pairwise(seen)]
    assert gaps and all(gap >= 1 for gap in gaps)
    assert max(gaps) >= 3  # frames were dropped, not queued
    assert len(seen) < CLIP_FRAMES // 2
    final = reader.latest()  # the last frame stays available after ENDED
    assert final is not None
    assert final.seq == CLIP_FRAMES - 1


def test_fps_limit_drops_frames(make_reader: ReaderFactory, clip: Path) -> None:
    reader = make_reader(str(clip), fps_limit=5)
    reader.start()
    frames = drain(reader)
    assert 4 <= len(frames) <= 7
    assert frames[-1].seq == len(frames) - 1  # seq counts delivered frames only


def test_a_file_read_frame_by_frame_is_dated_on_its_own_clock(
    make_reader: ReaderFactory, tmp_path: Path
) -> None:
    """A consumer taking seconds a frame (recognition under CPU emulation) still sees the
    frames 1/25 s apart, as recorded, across loop passes; a realtime reader dates a frame
    when it arrives."""
    short = write_video(tmp_path / "short.avi", frames=5)
    reader = make_reader(str(short), loop=True, realtime=False)
    assert not reader.realtime
    reader.start()
    frames: list[Frame] = []
    while len(frames) < 8:
        frame = reader.wait_frame(frames[-1].seq if frames else -1, timeout=2)
        assert frame is not None, reader.status
        frames.append(frame)
        time.sleep(0.1)  # a slow consumer: 0.1 s a frame, 2.5 times the file's rate
    gaps = [b.captured_at - a.captured_at for a, b in itertools.pairwise(frames)]
    assert gaps == pytest.approx([1 / FPS] * 7)
    assert make_reader(str(short)).realtime


def test_loop_repeats_the_file(make_reader: ReaderFactory, tmp_path: Path) -> None:
    short = write_video(tmp_path / "short.avi", frames=5)
    reader = make_reader(str(short), loop=True, realtime=False)
    log = StatusLog(reader)
    reader.start()
    positions: list[int] = []
    seq = -1
    while len(positions) < 12:
        frame = reader.wait_frame(seq, timeout=2)
        assert frame is not None, reader.status
        positions.append(frame.position)
        seq = frame.seq
    assert positions == [0, 1, 2, 3, 4, 0, 1, 2, 3, 4, 0, 1]
    assert reader.state is CameraState.STREAMING
    assert reader.stop()
    assert reader.status.state is CameraState.STOPPED
    assert log.states.count(CameraState.STREAMING) == 1  # one stream, not one per pass


@pytest.mark.parametrize(
    ("content", "says"),
    [(b"", "is empty"), (b"not a video at all" * 50, "cannot be opened as a video")],
)
def test_bad_video_file_fails_with_a_clear_message(
    make_reader: ReaderFactory, tmp_path: Path, content: bytes, says: str
) -> None:
    bad = tmp_path / "broken.avi"
    bad.write_bytes(content)
    reader = make_reader(str(bad))
    reader.start()
    assert reader.wait_frame(timeout=5) is None
    assert reader.state is CameraState.FAILED
    assert says in reader.status.message
    assert str(bad) in reader.status.message


# -- image folders ---------------------------------------------------------------------


def test_image_folder_skips_bad_files_and_ends(
    make_reader: ReaderFactory, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    folder = tmp_path / "photos"
    folder.mkdir()
    cv2.imwrite(str(folder / "img2.png"), draw_frame(2))
    cv2.imwrite(str(folder / "img10.jpg"), draw_frame(10, size=(320, 240)))
    cv2.imwrite(str(folder / "img11_wide.png"), np.zeros((50, 2500, 3), np.uint8))
    (folder / "img3_corrupt.jpg").write_bytes(b"\xff\xd8\xff\xe0" + b"\x00garbage" * 64)
    (folder / "img4_empty.png").write_bytes(b"")
    (folder / "notes.txt").write_text("not a photo\n")
    with (folder / "img5_huge.jpg").open("wb") as huge:  # sparse: costs no disk
        huge.truncate(MAX_IMAGE_BYTES + 1)
    (folder / ".DS_Store").write_bytes(b"\x00\x01")  # hidden: ignored silently
    (folder / "sub").mkdir()  # folders are not descended into
    cv2.imwrite(str(folder / "sub" / "img1.png"), draw_frame(1))

    reader = make_reader(str(folder), realtime=False)
    with caplog.at_level(logging.WARNING, logger="core.camera"):
        reader.start()
        frames = drain(reader)

    assert [f.name for f in frames] == ["img2.png", "img10.jpg", "img11_wide.png"]
    assert [f.image.shape for f in frames] == [
        (120, 160, 3),
        (240, 320, 3),
        (38, MAX_FRAME_SIDE, 3),
    ]
    assert reader.state is CameraState.ENDED
    assert "3 images, 4 unreadable files skipped" in reader.status.message
    warned = " ".join(r.getMessage() for r in caplog.records)
    for name in ("img3_corrupt.jpg", "img4_empty.png", "img5_huge.jpg", "notes.txt"):
        assert name in warned
    assert "empty" in warned
    assert "too large" in warned
    assert ".DS_Store" not in warned


def test_image_folder_is_paced_by_fps_limit(make_reader: ReaderFactory, tmp_path: Path) -> None:
    for index in range(3):
        cv2.imwrite(str(tmp_path / f"{index}.png"), draw_frame(index))
    reader = make_reader(str(tmp_path), fps_limit=10)
    started = time.monotonic()
    reader.start()
    frames = drain(reader)
    assert len(frames) == 3
    assert 0.15 <= time.monotonic() - started < 2.0  # images due at 0, 0.1 and 0.2 s


def test_folder_without_usable_images_fails(make_reader: ReaderFactory, tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("hello")
    (tmp_path / "b.jpg").write_bytes(b"")
    reader = make_reader(str(tmp_path), realtime=False)
    reader.start()
    assert reader.wait_frame(timeout=5) is None
    assert reader.state is CameraState.FAILED
    assert "No frame could be read" in reader.status.message


def test_empty_folder_fails(make_reader: ReaderFactory, tmp_path: Path) -> None:
    reader = make_reader(str(tmp_path))
    reader.start()
    assert reader.wait_frame(timeout=5) is None
    assert reader.state is CameraState.FAILED
    assert "has no files" in reader.status.message


# -- live sources that are missing -----------------------------------------------------


def test_missing_device_is_a_clear_state_not_a_crash(make_reader: ReaderFactory) -> None:
    reader = make_reader("97", backoff=Backoff(initial=0.05, cap=0.2))
    log = StatusLog(reader)
    reader.start()
    status = log.wait_for(CameraState.RECONNECTING, count=2)
    assert "Camera 97" in status.message
    assert status.attempt == 2
    assert not status.was_streaming  # never reached: the screen says "waiting", not "lost"
    started = time.monotonic()
    assert reader.stop(timeout=2.0)
    assert time.monotonic() - started < 0.5
    assert reader.state is CameraState.STOPPED
    assert camera_threads() == []


def test_missing_device_with_no_retries_fails(make_reader: ReaderFactory) -> None:
    reader = make_reader("97", max_retries=0)
    reader.start()
    assert reader.wait_frame(timeout=5) is None
    assert reader.state is CameraState.FAILED
    assert "gave up after 1 attempt" in reader.status.message


def test_unreachable_url_reconnects_with_growing_delays(
    make_reader: ReaderFactory, caplog: pytest.LogCaptureFixture
) -> None:
    url = UNREACHABLE_URL.replace("//", "//kiosk:s3cret@")
    reader = make_reader(url, backoff=Backoff(initial=0.05, cap=0.4, jitter=0), open_timeout_s=1)
    log = StatusLog(reader)
    with caplog.at_level(logging.DEBUG, logger="core.camera"):
        reader.start()
        log.wait_for(CameraState.RECONNECTING, count=4)
        started = time.monotonic()
        assert reader.stop(timeout=2.0)
        assert time.monotonic() - started < 1.0

    retries = [s for s in log.items if s.state is CameraState.RECONNECTING]
    assert [s.attempt for s in retries[:4]] == [1, 2, 3, 4]
    assert [s.retry_in for s in retries[:4]] == [0.05, 0.1, 0.2, 0.4]
    assert "Cannot connect" in retries[0].message
    assert log.states[-1] is CameraState.STOPPED
    # The outage is a warning once; the retries after it are debug.
    warnings = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1
    everything = " ".join(s.message for s in log.items) + caplog.text
    assert "s3cret" not in everything
    assert "kiosk:***@" in everything


# -- a live stream that comes and goes -------------------------------------------------


class MjpegHandler(http.server.BaseHTTPRequestHandler):
    """Serves an endless multipart JPEG stream, like an IP camera's /video.mjpg."""

    server: MjpegServer

    def do_GET(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "multipart/x-mixed-replace; boundary=frame")
        self.end_headers()
        index = 0
        try:
            while not self.server.closing.is_set():
                ok, jpeg = cv2.imencode(".jpg", draw_frame(index))
                assert ok
                data = jpeg.tobytes()
                header = f"--frame\r\nContent-Type: image/jpeg\r\nContent-Length: {len(data)}"
                self.wfile.write(header.encode() + b"\r\n\r\n" + data + b"\r\n")
                index += 1
                time.sleep(1 / FPS)
        except OSError:
            pass  # the reader hung up

    def log_message(self, format: str, *args: object) -> None:
        pass


class MjpegServer(socketserver.ThreadingMixIn, http.server.HTTPServer):
    allow_reuse_address = True
    daemon_threads = True

    def __init__(self, port: int = 0) -> None:
        super().__init__(("127.0.0.1", port), MjpegHandler)
        self.closing = threading.Event()
        self._thread = threading.Thread(target=self.serve_forever, name="test-mjpeg-server")
        self._thread.start()

    @property
    def port(self) -> int:
        return int(self.server_address[1])

    def close(self) -> None:
        self.closing.set()
        self.shutdown()
        self.server_close()
        self._thread.join()


def test_lost_stream_reconnects_and_recovers(make_reader: ReaderFactory) -> None:
    server = MjpegServer()
    port = server.port
    try:
        reader = make_reader(
            f"http://127.0.0.1:{port}/video.mjpg",
            backoff=Backoff(initial=0.05, cap=0.2, jitter=0),
            open_timeout_s=2,
        )
        log = StatusLog(reader)
        reader.start()
        first = reader.wait_frame(timeout=5)
        assert first is not None, reader.status
        assert first.image.shape == (120, 160, 3)

        server.close()  # the camera goes away mid-run
        lost = log.wait_for(CameraState.RECONNECTING)
        assert lost.attempt == 1 and lost.was_streaming
        log.wait_for(CameraState.RECONNECTING, count=2)

        server = MjpegServer(port)  # and comes back
        back = log.wait_for(CameraState.STREAMING, count=2)
        assert "is back after" in back.message
        assert reader.status.attempt == 0
        latest = reader.wait_frame(first.seq, timeout=5)
        assert latest is not None
        assert latest.seq > first.seq  # seq keeps counting across reconnects
    finally:
        server.close()


def test_stop_is_bounded_while_a_connection_hangs(make_reader: ReaderFactory) -> None:
    # A host that accepts the connection but never answers: FFmpeg blocks in open().
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen()
        url = f"http://127.0.0.1:{silent.getsockname()[1]}/video.mjpg"
        reader = make_reader(url, open_timeout_s=1.0)
        log = StatusLog(reader)
        reader.start()
        time.sleep(0.2)
        assert reader.state is CameraState.STARTING
        started = time.monotonic()
        assert reader.stop(timeout=0.1) is False  # stop() keeps its promise about time
        assert time.monotonic() - started < 0.5
        assert reader.stop(timeout=3.0)  # the open timeout frees the thread
        assert log.states == [CameraState.STARTING, CameraState.STOPPED]


# -- life cycle ------------------------------------------------------------------------


def test_life_cycle_rules(make_reader: ReaderFactory, clip: Path) -> None:
    reader = make_reader(str(clip))
    assert reader.state is CameraState.STOPPED
    assert reader.latest() is None
    assert reader.stop()  # before start: nothing to do
    with pytest.raises(RuntimeError, match="only be started once"):
        reader.start()  # a stopped reader stays stopped

    reader = make_reader(str(clip), realtime=False)
    reader.start()
    with pytest.raises(RuntimeError):
        reader.start()
    assert reader.wait_frame(timeout=5) is not None
    assert reader.stop()
    assert reader.stop()  # idempotent
    assert not reader.running
    assert camera_threads() == []


def test_a_failing_subscriber_does_not_stop_the_camera(
    make_reader: ReaderFactory, clip: Path, caplog: pytest.LogCaptureFixture
) -> None:
    reader = make_reader(str(clip), realtime=False)

    def broken(status: CameraStatus) -> None:
        raise RuntimeError("view bug")

    reader.subscribe(broken)
    log = StatusLog(reader)

    def unsubscribed(status: CameraStatus) -> None:
        pytest.fail(f"an unsubscribed callback got {status}")

    unsubscribe = reader.subscribe(unsubscribed)
    unsubscribe()
    with caplog.at_level(logging.ERROR, logger="core.camera"):
        reader.start()
        assert len(drain(reader)) == CLIP_FRAMES
        log.wait_for(CameraState.ENDED)
    assert "subscriber failed" in caplog.text


def test_bad_options_are_rejected() -> None:
    with pytest.raises(ValueError, match="fps_limit"):
        CameraReader("0", fps_limit=0)
    with pytest.raises(ValueError, match="size"):
        CameraReader("0", width=0)
    with pytest.raises(ValueError, match="not found"):
        CameraReader("/no/such/file.mp4")
