"""What the kiosk shows instead of an empty picture when there is no camera.

It says what happened in plain words, what to check, how an administrator chooses another
camera, and that the PIN still works meanwhile. The camera reader's own sentence (English,
from core) is kept underneath as the detail for whoever fixes it.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QLabel, QPushButton, QVBoxLayout, QWidget

from core.camera import CameraState, CameraStatus
from kiosk import icons, theme
from kiosk.camera_text import camera_text


class NoCameraPanel(QFrame):
    choose_camera = Signal()
    use_pin = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("NoCamera")
        self.icon = QLabel()
        self.icon.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.title = QLabel()
        self.title.setObjectName("NoCameraTitle")
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.body = QLabel()
        self.body.setObjectName("NoCameraBody")
        self.body.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.body.setWordWrap(True)
        self.detail = QLabel()
        self.detail.setObjectName("NoCameraDetail")
        self.detail.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.detail.setWordWrap(True)
        self.detail.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
        self.choose_button = QPushButton(self.tr("Choose a camera (administrators)"))
        self.choose_button.setObjectName("KioskButton")
        self.choose_button.clicked.connect(self.choose_camera)
        self.pin_button = QPushButton(self.tr("Record with code and PIN"))
        self.pin_button.setObjectName("PinOfferButton")
        self.pin_button.clicked.connect(self.use_pin)
        for button in (self.choose_button, self.pin_button):
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        # One above the other: side by side they needed ~1100 px, more than a 1024 screen.
        buttons = QVBoxLayout()
        buttons.setSpacing(14)
        buttons.addWidget(self.pin_button, 0, Qt.AlignmentFlag.AlignHCenter)
        buttons.addWidget(self.choose_button, 0, Qt.AlignmentFlag.AlignHCenter)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(80, 40, 80, 40)
        layout.setSpacing(18)
        layout.addStretch(1)
        layout.addWidget(self.icon)
        layout.addWidget(self.title)
        layout.addWidget(self.body)
        layout.addWidget(self.detail)
        layout.addSpacing(12)
        layout.addLayout(buttons)
        layout.addStretch(1)
        self.state: CameraState | None = None

    def set_status(self, status: CameraStatus) -> None:
        self.state = status.state
        reconnecting = status.state is CameraState.RECONNECTING
        self.icon.setPixmap(
            icons.pixmap(
                "camera_off",
                120,
                theme.color("amber" if reconnecting else "redText"),
                self.devicePixelRatioF(),
            )
        )
        how_to_choose = self.tr(
            "An administrator can choose another camera in Settings (⚙ or F2), Camera."
        )
        if reconnecting:
            self.title.setText(
                self.tr("The camera was lost")
                if status.was_streaming
                else self.tr("Waiting for the camera")
            )
            wait = (
                self.tr("Trying again in {s} s (attempt {n}).").format(
                    s=round(status.retry_in), n=status.attempt
                )
                if status.retry_in is not None
                else self.tr("Trying again (attempt {n}).").format(n=status.attempt)
            )
            self.body.setText(
                wait + "\n" + self.tr("Check the camera's cable or its network connection.")
            )
        elif status.state is CameraState.ENDED:
            self.title.setText(self.tr("The video has ended"))
            self.body.setText(
                self.tr("The camera source is a video file and it reached its end.")
                + "\n"
                + how_to_choose
            )
        else:
            self.title.setText(self.tr("No camera"))
            self.body.setText(
                self.tr("The kiosk cannot open its camera. Check that it is connected and on.")
                + "\n"
                + how_to_choose
            )
        self.detail.setText(camera_text(status))
