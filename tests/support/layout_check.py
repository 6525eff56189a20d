"""What a person would see as broken in a laid-out window: off-screen controls, cut text.

``layout_problems(window)`` walks every visible widget of a shown top-level window and its
open dialogs and reports, in words:

- a control that lies (even partly) outside the window, unless it sits in a scroll area
  (it can be scrolled to), and a page wider than its scroll area (sideways scrolling);
- a window that cannot shrink to the screen it is on (its minimum size is larger);
- a label, button or check box whose text is wider than the space it got (measured with
  its own ``QFontMetrics`` and style: a button's ``sizeHint`` is what its text and padding
  need), or a word-wrapped label whose lines need more height than it has. A label that is
  meant to elide says so with the ``elide`` property and carries its full text as tooltip.
"""

from __future__ import annotations

from PySide6.QtCore import QPoint, QRect, QSize
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractScrollArea,
    QApplication,
    QCheckBox,
    QComboBox,
    QDialog,
    QLabel,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QToolButton,
    QWidget,
)

SLACK_PX = 1  # rounding of fractional font metrics


def _name(widget: QWidget) -> str:
    text = ""
    if isinstance(widget, (QLabel, QAbstractButton)):
        text = widget.text().replace("\n", " ")[:60]
    kind = type(widget).__name__
    name = widget.objectName()
    return f"{kind}{'#' + name if name else ''}{' ' + repr(text) if text else ''}"


def _in_scroll_area(widget: QWidget, top: QWidget) -> bool:
    parent = widget.parentWidget()
    while parent is not None and parent is not top:
        if isinstance(parent, QAbstractScrollArea):
            return True
        parent = parent.parentWidget()
    return False


def _clipped_by_parent(widget: QWidget, top: QWidget) -> bool:
    """True when an ancestor cuts the widget off (it does not fit inside the ancestor)."""
    rect = QRect(QPoint(0, 0), widget.size())
    child: QWidget = widget
    parent = widget.parentWidget()
    while parent is not None:
        rect = rect.translated(child.pos())
        inside = QRect(QPoint(0, 0), parent.size())
        if not inside.adjusted(-SLACK_PX, -SLACK_PX, SLACK_PX, SLACK_PX).contains(rect):
            return True
        if parent is top:
            return False
        child, parent = parent, parent.parentWidget()
    return False


def _label_problem(label: QLabel) -> str | None:
    text = label.text()
    pixmap = label.pixmap()
    if not text or (pixmap is not None and not pixmap.isNull()):
        return None
    if label.property("elide"):
        return None if label.toolTip() else "elides without its full text as tooltip"
    if label.wordWrap():
        needed = label.heightForWidth(label.width())
        short = needed > label.height() + SLACK_PX
        return f"needs {needed} px of height for its lines, has {label.height()}" * short or None
    hint = label.sizeHint()
    if hint.width() > label.width() + SLACK_PX:
        return f"text needs {hint.width()} px, has {label.width()}"
    if hint.height() > label.height() + SLACK_PX:
        return f"text needs {hint.height()} px of height, has {label.height()}"
    return None


def _button_problem(button: QAbstractButton) -> str | None:
    if not button.text():
        return None
    hint: QSize = button.sizeHint()
    if hint.width() > button.width() + SLACK_PX:
        return f"text needs {hint.width()} px, has {button.width()}"
    if isinstance(button, (QCheckBox, QRadioButton)) and hint.height() > button.height() + 2:
        return f"text needs {hint.height()} px of height, has {button.height()}"
    return None


def _combo_problem(combo: QComboBox) -> str | None:
    if not combo.currentText():
        return None
    needed = combo.fontMetrics().horizontalAdvance(combo.currentText()) + 36  # arrow, frame
    if needed > combo.width() + SLACK_PX:
        return f"'{combo.currentText()}' needs {needed} px, has {combo.width()}"
    return None


def _text_problem(widget: QWidget) -> str | None:
    if isinstance(widget, QLabel):
        return _label_problem(widget)
    if isinstance(widget, (QPushButton, QCheckBox, QRadioButton, QToolButton)):
        return _button_problem(widget)
    if isinstance(widget, QComboBox):
        return _combo_problem(widget)
    return None


def widget_problems(top: QWidget) -> list[str]:
    problems: list[str] = []
    for area in top.findChildren(QScrollArea):
        # Scrolling down a long page is fine; sideways, part of every line is off screen.
        content = area.widget()
        if area.isVisible() and content is not None:
            spare = area.viewport().width() - content.minimumSizeHint().width()
            if spare < -SLACK_PX:
                problems.append(
                    f"{_name(content)} needs {-spare} px more than its scroll area shows "
                    "(sideways scrolling)"
                )
    for widget in [top, *top.findChildren(QWidget)]:
        if not widget.isVisible() or widget.window() is not top:
            continue
        if widget.width() <= 0 or widget.height() <= 0:
            continue
        scrolls = _in_scroll_area(widget, top)
        if widget is not top and not scrolls and _clipped_by_parent(widget, top):
            origin = widget.mapTo(top, QPoint(0, 0))
            problems.append(
                f"{_name(widget)} at {origin.x()},{origin.y()} {widget.width()}×"
                f"{widget.height()} is cut off (window {top.width()}×{top.height()})"
            )
            continue
        if (problem := _text_problem(widget)) is not None:
            problems.append(f"{_name(widget)}: {problem}")
    return problems


def layout_problems(window: QWidget, screen: QSize) -> list[str]:
    problems: list[str] = []
    if window.width() > screen.width() or window.height() > screen.height():
        minimum = window.minimumSizeHint().expandedTo(window.minimumSize())
        problems.append(
            f"window is {window.width()}×{window.height()} on a {screen.width()}×"
            f"{screen.height()} screen (its minimum is {minimum.width()}×{minimum.height()})"
        )
    problems += widget_problems(window)
    for dialog in QApplication.topLevelWidgets():
        if isinstance(dialog, QDialog) and dialog.isVisible():
            if dialog.width() > screen.width() or dialog.height() > screen.height():
                problems.append(
                    f"dialog {dialog.windowTitle()!r} is {dialog.width()}×{dialog.height()}"
                )
            problems += [f"dialog {dialog.windowTitle()!r}: {p}" for p in widget_problems(dialog)]
    return problems
