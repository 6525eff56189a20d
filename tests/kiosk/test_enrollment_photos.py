"""Enrollment from photo files in Settings → Face enrollment (issue 21, item 4).

It was only possible with ``main.py enroll`` on a terminal. Now the page's file dialog
takes several photos at once and each is judged, off the GUI thread, with the same gates
and duplicate-face check as the command; every file gets a line (taken, with its face, or
refused and why), a bad file costs nothing but its own line, and the good ones are saved.

The real window, the real kiosk core and models, real photos (tests/data/faces, see its
NOTICE): person01 is img1, img2, img4; person13 img39, img40, img41. Bad-input limits: the
"huge" file is sparse (no disk used) and is refused from its size, before any read.
"""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import json
import shutil
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from core.context import AppContext
from core.host.images import MAX_BYTES
from core.people.faces import FaceEnrollment
from core.recognition.config import RecognitionConfig
from core.recognition.loader import ModelLoader
from core.runtime.api import PhotoVerdict
from core.store.models import AuditEntry
from tests.support.enrollment_window import real_kiosk
from tests.support.paths import FACES

pytestmark = pytest.mark.slow


def photo_folder(tmp_path: Path) -> tuple[Path, list[str]]:
    """A USB stick's folder: good photos, bad ones in between, in the order chosen."""
    folder = tmp_path / "usb"
    folder.mkdir()
    for name in ("img1.jpg", "img2.jpg", "couple.jpg", "no_face.jpg", "img41.jpg"):
        shutil.copy(FACES / name, folder / name)
    (folder / "broken.jpg").write_bytes(b"\xff\xd8\xff\xe0 not really a JPEG" * 10)
    with (folder / "huge.jpg").open("wb") as fh:
        fh.truncate(MAX_BYTES + 1)  # sparse: 40 MB on paper, nothing on disk
    order = [
        "img1.jpg", "broken.jpg", "couple.jpg", "huge.jpg", "no_face.jpg", "img41.jpg",
        "img2.jpg",
    ]  # fmt: skip
    return folder, order


def test_several_photos_at_once_each_judged_the_good_ones_saved(
    qtbot: QtBot, ctx: AppContext, tmp_path: Path
) -> None:
    ctx.start_store()
    ctx.employees().add("cli:test", "E1", "Ana García")
    # Luis is already enrolled with person13's face.
    loader = ModelLoader(RecognitionConfig(), ctx.paths.models).start()
    models = loader.wait_ready(timeout=180)
    loader.join(5)
    FaceEnrollment(ctx.store, models, RecognitionConfig(), "kiosk-test").enroll_photos(
        "cli:test", "E2", "Luis Pérez", [FACES / "img39.jpg", FACES / "img40.jpg"]
    )
    folder, order = photo_folder(tmp_path)

    with real_kiosk(qtbot, ctx) as (_window, page):
        page.preselect("E1")
        page.tabs.setCurrentWidget(page.photos_tab)
        page.photos_tab.choose_button.click()  # without consent: said beside the box, no dialog
        assert page.consent_error.isVisible() and "consent" in page.consent_error.text()
        assert not page.photos_tab.file_dialog.isVisible()

        page.consent.setChecked(True)
        assert not page.consent_error.isVisible()
        page.photos_tab.choose_button.click()
        dialog = page.photos_tab.file_dialog
        qtbot.waitUntil(dialog.isVisible, timeout=5000)
        seen: list[tuple[PhotoVerdict, bool]] = []
        page.verdict_arrived.connect(
            lambda verdict: seen.append((verdict, page.photos_tab.photo_progress.isVisible()))
        )
        dialog.setDirectory(str(folder))
        dialog.selectFile(" ".join(f'"{name}"' for name in order))
        dialog.accept()
        assert page.running  # the GUI goes on; the runtime judges the files
        assert (
            not page.camera_tab.start_button.isEnabled()
            and page.photos_tab.cancel_photos_button.isEnabled()
        )
        qtbot.waitUntil(lambda: not page.running, timeout=120_000)

        lines = [
            page.photos_tab.photo_results.item(i).text()
            for i in range(page.photos_tab.photo_results.count())
        ]
        assert lines == [
            "✓ img1.jpg: taken",
            "✕ broken.jpg: the file is damaged or is not a picture",
            "✕ couple.jpg: 2 faces in the photo; use one of the person alone",
            "✕ huge.jpg: the file is too large to be a photo (over 40 MB or 60 megapixels)",
            "✕ no_face.jpg: no face found",
            "✕ img41.jpg: this face is already enrolled as E2 Luis Pérez",
            "✓ img2.jpg: taken",
        ]
        # Each as it was judged, with the progress shown; the faces taken beside their line.
        assert [v.index for v, _shown in seen] == list(range(1, 8))
        assert all(shown for _v, shown in seen)
        assert not page.photos_tab.photo_results.item(0).icon().isNull()
        assert page.notice.text() == "2 photos enrolled. 5 refused: see why beside each."
        assert page.camera_tab.start_button.isEnabled() and page.consent.isChecked()

    assert ctx.employees().get("E1").templates == 2
    assert ctx.employees().get("E2").templates == 2
    with ctx.store.read() as session:
        audits = {
            entry.action: entry
            for entry in session.scalars(
                select(AuditEntry).where(AuditEntry.target_id == "E1").order_by(AuditEntry.at)
            )
        }
    assert audits["employee.enroll"].actor == "user:admin"
    refused = audits["employee.enroll_refused"].details
    refused = json.loads(refused) if isinstance(refused, str) else refused
    assert [r["sample"] for r in refused["refused"]] == ["img41.jpg"]
    assert refused["source"] == "photo"


def test_no_usable_photo_saves_nothing_and_says_so(
    qtbot: QtBot, ctx: AppContext, tmp_path: Path
) -> None:
    ctx.start_store()
    ctx.employees().add("cli:test", "E1", "Ana García")
    folder, _order = photo_folder(tmp_path)
    with real_kiosk(qtbot, ctx) as (_window, page):
        page.preselect("E1")
        page.consent.setChecked(True)
        page.tabs.setCurrentWidget(page.photos_tab)
        page.enroll_files([folder / "couple.jpg", folder / "broken.jpg", folder / "gone.jpg"])
        qtbot.waitUntil(lambda: not page.running, timeout=120_000)
        lines = [
            page.photos_tab.photo_results.item(i).text()
            for i in range(page.photos_tab.photo_results.count())
        ]
        assert lines[2] == (
            "✕ gone.jpg: the file cannot be opened (moved, deleted, or not allowed)"
        )
        assert page.notice.text() == (
            "No photo could be used; nothing was saved. See why beside each."
        )
    assert ctx.employees().get("E1").templates == 0
