"""The enrollment page's photo-files tab: several photos at once, a verdict line each.

A file dialog (Qt's own) for the photos; each gets a line, taken (with its face) or refused
with the reason in words that fit a photo, with the same checks as ``main.py enroll``. The
page (kiosk/admin/enrollment_page.py) sends the files to the runtime and says how it ended.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSize, QStandardPaths, Qt
from PySide6.QtGui import QIcon, QPixmap
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QListWidgetItem,
    QProgressBar,
    QVBoxLayout,
    QWidget,
)

from core.host.images import IMAGE_SUFFIXES
from core.runtime.api import FileProblem, PhotoVerdict, Refusal
from kiosk.admin.page import button
from kiosk.admin.verdict_list import jpeg_pixmap, verdict_list
from kiosk.messages import refusal_text

PHOTO_ICON_PX = 40  # a photo's face beside its line


class PhotoFilesTab(QWidget):
    """``begin`` with the files, then each ``show_verdict``; ``file_dialog`` chooses them."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        how = QLabel(
            self.tr(
                "Choose one or more photos of this person, alone and facing the camera (a "
                "USB stick, a folder). Each photo is checked as a camera sample is; the good "
                "ones are saved."
            )
        )
        how.setObjectName("PageIntro")
        how.setWordWrap(True)
        self.choose_button = button(self.tr("C&hoose photos…"), "primary")
        self.cancel_photos_button = button(self.tr("Stop"))
        self.cancel_photos_button.setEnabled(False)
        self.photo_progress = QProgressBar()
        self.photo_progress.setFormat(self.tr("%v of %m photos"))
        self.photo_progress.setRange(0, 1)
        self.photo_progress.setValue(0)
        self.photo_progress.hide()
        self.photo_results = verdict_list(self.tr("Photos checked"), 80)
        self.photo_results.setIconSize(QSize(PHOTO_ICON_PX, PHOTO_ICON_PX))
        buttons = QHBoxLayout()
        buttons.setSpacing(10)
        buttons.addWidget(self.choose_button)
        buttons.addWidget(self.cancel_photos_button)
        buttons.addWidget(self.photo_progress, 1)
        buttons.addStretch(0)
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 12, 0, 0)
        column.setSpacing(10)
        column.addWidget(how)
        column.addLayout(buttons)
        column.addWidget(self.photo_results, 1)
        self.file_dialog = self._file_dialog()
        self._photo_lines: dict[int, QListWidgetItem] = {}

    def _file_dialog(self) -> QFileDialog:
        # Qt's own dialog: the same on every desktop (or none), and a test can drive it.
        dialog = QFileDialog(self, self.tr("Photos of the person"))
        dialog.setOption(QFileDialog.Option.DontUseNativeDialog, True)
        dialog.setFileMode(QFileDialog.FileMode.ExistingFiles)
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptOpen)
        patterns = " ".join(f"*{s} *{s.upper()}" for s in IMAGE_SUFFIXES)
        dialog.setNameFilters([self.tr("Photos ({patterns})").format(patterns=patterns)])
        pictures = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.PicturesLocation)
        start = Path(pictures) if pictures and Path(pictures).is_dir() else Path.home()
        dialog.setDirectory(str(start))
        return dialog

    # --- a photo run --------------------------------------------------------------------
    def begin(self, photos: list[Path]) -> None:
        """A line for each photo, waiting for its verdict."""
        self.photo_results.clear()
        self._photo_lines = {}
        for index, path in enumerate(photos, start=1):
            item = QListWidgetItem(self.tr("… {name}: waiting").format(name=path.name))
            self.photo_results.addItem(item)
            self._photo_lines[index] = item
        self.photo_progress.setRange(0, len(photos))
        self.photo_progress.setValue(0)
        self.photo_progress.show()

    def set_running(self, running: bool, *, photos: bool) -> None:
        """A capture or a photo run (``photos``) is going: nothing here starts another."""
        self.choose_button.setEnabled(not running)
        self.cancel_photos_button.setEnabled(running and photos)

    def show_verdict(self, verdict: PhotoVerdict) -> None:
        item = self._photo_lines.get(verdict.index)
        if item is None:
            item = QListWidgetItem()
            self.photo_results.addItem(item)
            self._photo_lines[verdict.index] = item
        if verdict.accepted:
            item.setText(self.tr("✓ {name}: taken").format(name=verdict.name))
        else:
            item.setText(
                self.tr("✕ {name}: {why}").format(name=verdict.name, why=self.photo_why(verdict))
            )
        item.setToolTip(verdict.detail)
        pixmap = jpeg_pixmap(verdict.thumbnail)
        if pixmap is None:  # an empty square: every name starts at the same place
            pixmap = QPixmap(PHOTO_ICON_PX, PHOTO_ICON_PX)
            pixmap.fill(Qt.GlobalColor.transparent)
        item.setIcon(QIcon(pixmap))
        self.photo_results.scrollToItem(item)

    def photo_why(self, verdict: PhotoVerdict) -> str:
        """Why a photo was refused, in words that fit a photo (not a person at the camera)."""
        reason = verdict.reason
        if reason is Refusal.UNREADABLE:
            return {
                FileProblem.MISSING: self.tr(
                    "the file cannot be opened (moved, deleted, or not allowed)"
                ),
                FileProblem.TOO_LARGE: self.tr(
                    "the file is too large to be a photo (over 40 MB or 60 megapixels)"
                ),
                FileProblem.CORRUPT: self.tr("the file is damaged or is not a picture"),
                None: self.tr("the file cannot be read"),
            }[verdict.file_problem]
        if reason is Refusal.SEVERAL_FACES:
            return self.tr(
                "%n faces in the photo; use one of the person alone", "", max(verdict.faces, 2)
            )
        if reason is Refusal.DUPLICATE:
            return self.tr("this face is already enrolled as {who}").format(
                who=verdict.duplicate_of or "?"
            )
        texts = {
            Refusal.NO_FACE: self.tr("no face found"),
            Refusal.TOO_SMALL: self.tr("the face is too small; use a closer or larger photo"),
            Refusal.BLURRY: self.tr("the face is blurred"),
            Refusal.TOO_DARK: self.tr("the face is too dark"),
            Refusal.TOO_BRIGHT: self.tr("the face is overexposed"),
            Refusal.POSE: self.tr("the face is turned away from the camera"),
            Refusal.OTHER_PERSON: self.tr(
                "this face does not match the faces already enrolled for this employee"
            ),
            Refusal.INCONSISTENT: self.tr("this face does not look like the other photos"),
        }
        if reason in texts:
            return texts[reason]
        return refusal_text(reason) if reason is not None else ""
