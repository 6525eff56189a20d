"""The kiosk's colours and the style sheet built from resources/styles/kiosk.qss.

A dark background suits a kiosk (no glare, the camera picture stands out); text on it is
near white, and every pair used for text reaches WCAG AA contrast (4.5:1) or better.
"""

from __future__ import annotations

import re
from pathlib import Path

from PySide6.QtGui import QColor, QFont, QPalette
from PySide6.QtWidgets import QApplication, QWidget

ROOT = Path(__file__).resolve().parent.parent
STYLESHEET = ROOT / "resources" / "styles" / "kiosk.qss"
FONT_FAMILY = "DejaVu Sans"  # present wherever fontconfig is; wide Unicode coverage

PALETTE: dict[str, str] = {
    "bg": "#0E1318",
    "surface": "#17202A",
    "surface2": "#223040",
    "field": "#0B1015",
    "border": "#34465A",
    "text": "#F3F6F8",  # 16:1 on bg
    "muted": "#AEBBC8",  # 9:1 on bg
    "accent": "#4DA3FF",
    "accentDark": "#1E4F85",
    "green": "#17753F",  # Entrada card; white text 5.8:1
    "greenText": "#5FE08F",
    "blue": "#1A5FA3",  # Salida card; white text 6.4:1
    "violet": "#5B3E96",  # break card; white text 8.3:1
    "amber": "#FFB627",  # late notice; dark text on it
    "onAmber": "#1A1300",
    "red": "#D64545",
    "redDark": "#7A2020",
    "redText": "#FF8A80",
}

# The face box: one colour while checking, one for recognised, one for unknown.
FACE_CHECKING = QColor("#4FC3F7")
FACE_RECOGNISED = QColor("#3DDC84")
FACE_UNKNOWN = QColor("#FF5A5A")
FACE_REFUSED = QColor("#FFC857")


def color(name: str) -> QColor:
    return QColor(PALETTE[name])


def stylesheet() -> str:
    text = STYLESHEET.read_text(encoding="utf-8")
    # Images in the sheet (arrows) by absolute path: Qt reads url() relative to the cwd.
    text = text.replace("@styles/", STYLESHEET.parent.as_posix() + "/")
    # Longest names first so @surface2 is not read as @surface followed by "2".
    names = sorted(PALETTE, key=len, reverse=True)
    pattern = re.compile("@(" + "|".join(re.escape(n) for n in names) + ")")
    return pattern.sub(lambda m: PALETTE[m.group(1)], text)


def apply(app: QApplication) -> None:
    app.setStyle("Fusion")  # the same look on every platform; honours the palette fully
    palette = QPalette()
    for role, name in (
        (QPalette.ColorRole.Window, "bg"),
        (QPalette.ColorRole.WindowText, "text"),
        (QPalette.ColorRole.Base, "field"),
        (QPalette.ColorRole.AlternateBase, "surface2"),
        (QPalette.ColorRole.Text, "text"),
        (QPalette.ColorRole.Button, "surface2"),
        (QPalette.ColorRole.ButtonText, "text"),
        (QPalette.ColorRole.Highlight, "accent"),
        (QPalette.ColorRole.HighlightedText, "bg"),
        (QPalette.ColorRole.ToolTipBase, "surface2"),
        (QPalette.ColorRole.ToolTipText, "text"),
        (QPalette.ColorRole.PlaceholderText, "muted"),
    ):
        palette.setColor(role, color(name))
    app.setPalette(palette)
    font = QFont(FONT_FAMILY)
    font.setPixelSize(17)
    app.setFont(font)
    app.setStyleSheet(stylesheet())


def repolish(widget: QWidget, *, children: bool = False) -> None:
    """Re-apply the style sheet after a dynamic property (tone, role) changed.

    ``children``: also for rules such as ``#PromptBanner[tone="warn"] QLabel`` that style
    the children by the parent's property.
    """
    style = widget.style()
    targets = [widget, *(widget.findChildren(QWidget) if children else [])]
    for target in targets:
        style.unpolish(target)
        style.polish(target)
    widget.update()
