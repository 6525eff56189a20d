"""A few line icons drawn with QPainter: no icon pack is available offline, and these
stay sharp at any size. Small status symbols use Unicode glyphs DejaVu Sans has (● ✓ ⚙).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPainterPath, QPen, QPixmap

Drawing = Callable[[QPainter, float], None]


def _camera(p: QPainter, s: float) -> None:
    body = QRectF(0.08 * s, 0.3 * s, 0.84 * s, 0.56 * s)
    p.drawRoundedRect(body, 0.08 * s, 0.08 * s)
    bump = QPainterPath()
    bump.moveTo(0.34 * s, 0.3 * s)
    bump.lineTo(0.4 * s, 0.18 * s)
    bump.lineTo(0.6 * s, 0.18 * s)
    bump.lineTo(0.66 * s, 0.3 * s)
    p.drawPath(bump)
    p.drawEllipse(QPointF(0.5 * s, 0.58 * s), 0.17 * s, 0.17 * s)


def _camera_off(p: QPainter, s: float) -> None:
    _camera(p, s)
    p.drawLine(QPointF(0.1 * s, 0.1 * s), QPointF(0.9 * s, 0.92 * s))


def _person(p: QPainter, s: float) -> None:
    p.drawEllipse(QPointF(0.5 * s, 0.36 * s), 0.17 * s, 0.19 * s)
    shoulders = QPainterPath()
    shoulders.moveTo(0.16 * s, 0.92 * s)
    shoulders.cubicTo(0.18 * s, 0.62 * s, 0.82 * s, 0.62 * s, 0.84 * s, 0.92 * s)
    p.drawPath(shoulders)


def _eye(p: QPainter, s: float) -> None:
    lid = QPainterPath()
    lid.moveTo(0.06 * s, 0.5 * s)
    lid.quadTo(0.5 * s, 0.08 * s, 0.94 * s, 0.5 * s)
    lid.quadTo(0.5 * s, 0.92 * s, 0.06 * s, 0.5 * s)
    p.drawPath(lid)
    p.drawEllipse(QPointF(0.5 * s, 0.5 * s), 0.14 * s, 0.14 * s)


def _chip(p: QPainter, s: float) -> None:
    p.drawRoundedRect(QRectF(0.25 * s, 0.25 * s, 0.5 * s, 0.5 * s), 0.06 * s, 0.06 * s)
    for i in (0.36, 0.5, 0.64):
        p.drawLine(QPointF(i * s, 0.1 * s), QPointF(i * s, 0.25 * s))
        p.drawLine(QPointF(i * s, 0.75 * s), QPointF(i * s, 0.9 * s))
        p.drawLine(QPointF(0.1 * s, i * s), QPointF(0.25 * s, i * s))
        p.drawLine(QPointF(0.75 * s, i * s), QPointF(0.9 * s, i * s))


def _cloud(p: QPainter, s: float) -> None:
    path = QPainterPath()
    path.moveTo(0.26 * s, 0.74 * s)
    path.cubicTo(0.02 * s, 0.74 * s, 0.04 * s, 0.44 * s, 0.26 * s, 0.46 * s)
    path.cubicTo(0.28 * s, 0.2 * s, 0.66 * s, 0.18 * s, 0.7 * s, 0.42 * s)
    path.cubicTo(0.98 * s, 0.4 * s, 0.98 * s, 0.74 * s, 0.74 * s, 0.74 * s)
    path.closeSubpath()
    p.drawPath(path)


DRAWINGS: dict[str, Drawing] = {
    "camera": _camera,
    "camera_off": _camera_off,
    "person": _person,
    "eye": _eye,
    "chip": _chip,
    "cloud": _cloud,
}


def pixmap(name: str, size: int, color: QColor, ratio: float = 1.0) -> QPixmap:
    """The icon ``name`` as a transparent pixmap of ``size`` logical pixels."""
    out = QPixmap(int(size * ratio), int(size * ratio))
    out.setDevicePixelRatio(ratio)
    out.fill(Qt.GlobalColor.transparent)
    painter = QPainter(out)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    pen = QPen(color, max(size * 0.07, 1.5))
    pen.setCapStyle(Qt.PenCapStyle.RoundCap)
    pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
    painter.setPen(pen)
    painter.setBrush(Qt.BrushStyle.NoBrush)
    DRAWINGS[name](painter, float(size))
    painter.end()
    return out
