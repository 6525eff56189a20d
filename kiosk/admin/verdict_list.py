"""What both enrollment tabs list their verdicts in: samples taken, photos checked."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import QListView, QListWidget
from typing_extensions import override


class _Verdicts(QListWidget):
    """A list that grows into the room left, but does not ask for more."""

    @override
    def sizeHint(self) -> QSize:
        return QSize(240, 70)


def verdict_list(name: str, minimum_height: int) -> QListWidget:
    verdicts = _Verdicts()
    verdicts.setAccessibleName(name)
    verdicts.setMinimumWidth(200)
    verdicts.setMinimumHeight(minimum_height)
    # Each verdict whole ("Not taken: look straight at the camera"), on two lines if need be.
    verdicts.setWordWrap(True)
    verdicts.setTextElideMode(Qt.TextElideMode.ElideNone)
    verdicts.setResizeMode(QListView.ResizeMode.Adjust)
    return verdicts


def jpeg_pixmap(jpeg: bytes | None) -> QPixmap | None:
    """A face the runtime cut out (a sample's, a photo's); None when there is none."""
    if not jpeg:
        return None
    pixmap = QPixmap()
    return pixmap if pixmap.loadFromData(jpeg, "JPEG") else None
