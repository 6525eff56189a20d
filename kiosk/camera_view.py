"""The live camera picture with the face box drawn over it.

Each frame is converted once to 32-bit pixels (what Qt draws fastest) and shown from that
buffer without another copy: the QImage wraps it, and the widget keeps it alive while it
is on screen. The preview is mirrored, as people
expect from a screen that faces them (moving left moves left); boxes are mirrored with it.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetrics,
    QImage,
    QPainter,
    QPainterPath,
    QPaintEvent,
    QPen,
)
from PySide6.QtWidgets import QSizePolicy, QWidget
from typing_extensions import override

from core.camera import Frame
from core.runtime.api import FaceObservation, FaceState
from kiosk import theme

# An observation older than this many frames describes a face that may have moved away.
STALE_OBSERVATION_FRAMES = 45

BOX_COLORS = {
    FaceState.CHECKING: theme.FACE_CHECKING,
    FaceState.BLINK: theme.FACE_CHECKING,
    FaceState.RECOGNISED: theme.FACE_RECOGNISED,
    FaceState.UNKNOWN: theme.FACE_UNKNOWN,
    FaceState.REFUSED: theme.FACE_REFUSED,
}


class CameraView(QWidget):
    def __init__(self, parent: QWidget | None = None, *, mirror: bool = True) -> None:
        super().__init__(parent)
        self.mirror = mirror
        self.placeholder = ""
        self._frame: Frame | None = None
        self._image: QImage | None = None
        self._buffer: object = None
        self._observation: FaceObservation | None = None
        # Where a widget over the picture (the prompt banner) hides it, asked at each paint
        # (after layout): the name tag is drawn elsewhere.
        self.covered: Callable[[], QRectF] = QRectF
        self._shown: deque[float] = deque(maxlen=120)
        self.frames_shown = 0
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)

    @override
    def sizeHint(self) -> QSize:
        return QSize(640, 480)

    @property
    def frame(self) -> Frame | None:
        return self._frame

    @property
    def fps(self) -> float:
        """Frames put on screen during the last second."""
        now = time.monotonic()
        return float(sum(1 for t in self._shown if now - t <= 1.0))

    def set_frame(self, frame: Frame) -> None:
        # 32-bit pixels are what Qt's raster engine scales directly: drawing the camera's
        # 24-bit BGR made Qt convert every frame first, on its thread pool (measured: 2.0
        # instead of 3.0 ms of CPU per 640×480 frame, ~3 % of a core at 30 fps).
        import cv2  # here: the window shows before OpenCV has loaded

        image = cv2.cvtColor(frame.image, cv2.COLOR_BGR2BGRA)
        self._frame = frame
        self._buffer = image  # the QImage below borrows this memory
        self._image = QImage(
            image.data,
            frame.width,
            frame.height,
            int(image.strides[0]),
            QImage.Format.Format_RGB32,
        )
        self._shown.append(time.monotonic())
        self.frames_shown += 1
        self.update()

    def clear(self) -> None:
        self._frame = None
        self._image = None
        self._buffer = None
        self.update()

    def set_observation(self, observation: FaceObservation | None) -> None:
        self._observation = observation
        self.update()

    def image_rect(self) -> QRectF:
        """Where the picture is drawn: as large as fits, centred, aspect kept."""
        if self._frame is None:
            return QRectF(self.rect())
        scale = min(self.width() / self._frame.width, self.height() / self._frame.height)
        w, h = self._frame.width * scale, self._frame.height * scale
        return QRectF((self.width() - w) / 2, (self.height() - h) / 2, w, h)

    def box_rect(self) -> QRectF | None:
        """The face box in widget coordinates, or None when there is none to draw."""
        obs, frame = self._observation, self._frame
        if obs is None or frame is None or obs.box is None or obs.state not in BOX_COLORS:
            return None
        if frame.seq - obs.seq > STALE_OBSERVATION_FRAMES:
            return None
        target = self.image_rect()
        scale = target.width() / frame.width
        x, y, w, h = obs.box
        left = target.right() - (x + w) * scale if self.mirror else target.left() + x * scale
        return QRectF(left, target.top() + y * scale, w * scale, h * scale)

    @override
    def paintEvent(self, _event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), theme.color("bg"))
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        if self._image is None:
            self._paint_placeholder(painter)
            painter.end()
            return
        target = self.image_rect()
        clip = QPainterPath()
        clip.addRoundedRect(target, 18, 18)
        painter.setClipPath(clip)
        if self.mirror:
            painter.save()
            painter.translate(target.right() + target.left(), 0)
            painter.scale(-1, 1)
            painter.drawImage(target, self._image)
            painter.restore()
        else:
            painter.drawImage(target, self._image)
        painter.setClipping(False)
        self._paint_box(painter)
        painter.end()

    def _paint_placeholder(self, painter: QPainter) -> None:
        if not self.placeholder:
            return
        painter.setPen(theme.color("muted"))
        font = QFont(self.font())
        font.setPixelSize(28)
        painter.setFont(font)
        painter.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, self.placeholder)

    def _paint_box(self, painter: QPainter) -> None:
        box = self.box_rect()
        obs = self._observation
        if box is None or obs is None:
            return
        color = BOX_COLORS[obs.state]
        faint = QColor(color)
        faint.setAlpha(110)
        painter.setPen(QPen(faint, 2))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRoundedRect(box, 14, 14)
        # Heavy corners read as "a face box" at a glance, even on a busy background.
        pen = QPen(color, 7)
        pen.setCapStyle(Qt.PenCapStyle.RoundCap)
        painter.setPen(pen)
        arm = min(box.width(), box.height()) * 0.22
        for cx, cy, dx, dy in (
            (box.left(), box.top(), 1, 1),
            (box.right(), box.top(), -1, 1),
            (box.left(), box.bottom(), 1, -1),
            (box.right(), box.bottom(), -1, -1),
        ):
            painter.drawLine(QPointF(cx, cy), QPointF(cx + dx * arm, cy))
            painter.drawLine(QPointF(cx, cy), QPointF(cx, cy + dy * arm))
        if obs.state is FaceState.RECOGNISED and obs.employee_name:
            self._paint_name(painter, box, obs.employee_name, color)

    def _name_font(self) -> QFont:
        font = QFont(self.font())
        font.setPixelSize(26)
        font.setBold(True)
        return font

    def name_rect(self, box: QRectF, name: str) -> QRectF:
        """The name tag's pill: above the face, or under it when the prompt banner covers
        the top of the picture there (the banner greets the same person)."""
        metrics = QFontMetrics(self._name_font())
        width = metrics.horizontalAdvance(name) + 28
        height = metrics.height() + 12
        pill = QRectF(box.center().x() - width / 2, box.top() - height - 12, width, height)
        pill.moveTop(max(pill.top(), 4.0))
        covered = self.covered()
        if not covered.isNull() and pill.intersects(covered):
            pill.moveTop(box.bottom() + 12)
        return pill

    def _paint_name(self, painter: QPainter, box: QRectF, name: str, color: QColor) -> None:
        painter.setFont(self._name_font())
        pill = self.name_rect(box, name)
        height = pill.height()
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(color)
        painter.drawRoundedRect(pill, height / 2, height / 2)
        painter.setPen(QColor("#06210F"))
        painter.drawText(pill, Qt.AlignmentFlag.AlignCenter, name)
