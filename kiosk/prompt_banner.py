"""The prompt banner over the top of the kiosk's picture: one short instruction, and a
smaller line for whoever can fix a problem. Its text is set smaller when it would take more
than two lines, so that it does not cover the face it is about."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QFontMetrics
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from kiosk import icons, theme

TEXT_MAX_WIDTH = 800  # the banner's text wraps beyond this
# The banner's text size (kiosk.qss: #PromptBanner QLabel, and [long="true"]): a prompt that
# would take more than two lines at full size is set smaller, so that at 1024×768 it does
# not cover the top of the face it is about (a passive-liveness refusal took three lines).
PROMPT_PX, LONG_PROMPT_PX = 34, 27


class PromptBanner(QFrame):
    """One short instruction over the top of the picture."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("PromptBanner")
        self.setProperty("tone", "info")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground)
        self.icon = QLabel()
        self.text = QLabel()
        self.text.setWordWrap(True)
        self.text.setAlignment(Qt.AlignmentFlag.AlignCenter)
        # A second, smaller line for whoever can fix the problem (a failed model's reason).
        self.detail = QLabel()
        self.detail.setObjectName("PromptDetail")
        self.detail.setWordWrap(True)
        self.detail.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.detail.hide()
        lines = QVBoxLayout()
        lines.setSpacing(6)
        lines.addWidget(self.text)
        lines.addWidget(self.detail)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(28, 14, 28, 14)
        layout.setSpacing(16)
        layout.addWidget(self.icon)
        layout.addLayout(lines)
        self.setMaximumWidth(1000)
        self.icon.hide()
        self._icon_key: tuple[str, str, float] | None = None

    def show_prompt(
        self, text: str, tone: str = "info", icon: str | None = None, detail: str = ""
    ) -> None:
        if self.detail.text() != detail:
            self.detail.setText(detail)
        self.detail.setVisible(bool(detail))
        restyle = False
        if self.text.text() != text:
            self.text.setText(text)
            # 1.8, not 2: word wrapping leaves the end of each line short
            long = _advance(self.text.font(), PROMPT_PX, text) > 1.8 * TEXT_MAX_WIDTH
            restyle = self.property("long") != long
            self.setProperty("long", long)
            # Wrap only what does not fit on one line (a wrapping label asks for little width).
            size = LONG_PROMPT_PX if long else PROMPT_PX
            one_line = _advance(self.text.font(), size, text) + 8
            self.text.setMinimumWidth(min(one_line, TEXT_MAX_WIDTH))
        if self.property("tone") != tone:
            self.setProperty("tone", tone)
            restyle = True
        if restyle:
            theme.repolish(self, children=True)
        if icon:
            color = {"warn": "amber", "ok": "greenText", "bad": "redText"}.get(tone, "text")
            # Called for every frame's observation: draw the icon only when it changes.
            key = (icon, color, self.devicePixelRatioF())
            if key != self._icon_key:
                self._icon_key = key
                self.icon.setPixmap(icons.pixmap(icon, 44, theme.color(color), key[2]))
        self.icon.setVisible(bool(icon))
        self.setVisible(bool(text))

    @property
    def tone(self) -> str:
        return str(self.property("tone"))


def _advance(font: QFont, pixels: int, text: str) -> int:
    """The width of ``text`` on one line in ``font`` at ``pixels`` px."""
    sized = QFont(font)
    sized.setPixelSize(pixels)
    return QFontMetrics(sized).horizontalAdvance(text)
