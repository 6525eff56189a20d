"""Camera: choose the source and resolution, see the preview, apply without a restart."""

from __future__ import annotations

from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QComboBox, QFileDialog, QLabel, QWidget
from typing_extensions import override

from core.camera import CameraState, CameraStatus, Frame, parse_source
from core.config import Settings
from kiosk.admin.page import AdminContext, AdminPage, add_row, button, form_layout, row
from kiosk.camera_text import camera_text, setting_text
from kiosk.camera_view import CameraView

RESOLUTIONS = ((640, 480), (800, 600), (1280, 720), (1920, 1080))


class _WrappedLabel(QLabel):
    """A word-wrapped label that asks for the height of its lines at the width it got: in
    a form a three-line camera status was given two lines' height and cut at both ends."""

    def __init__(self) -> None:
        super().__init__()
        self.setWordWrap(True)

    def setText(self, text: str) -> None:  # noqa: N802 (Qt's name)
        super().setText(text)
        self._fit()

    @override
    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit()

    def _fit(self) -> None:
        needed = self.heightForWidth(self.width())
        if needed > 0 and needed != self.minimumHeight():
            self.setMinimumHeight(needed)


class CameraPage(AdminPage):
    def __init__(self, admin: AdminContext, parent: QWidget | None = None) -> None:
        super().__init__(admin, parent)
        self.set_intro(
            self.tr(
                "A camera number (0 is the first camera), a network camera's rtsp:// or "
                "http:// address, a video file or a folder of images (for trials)."
            )
        )
        self.source = QComboBox()
        self.source.setEditable(True)
        self.source.setMinimumWidth(340)
        self.source.setAccessibleName(self.tr("Camera source"))
        for index in range(4):
            self.source.addItem(self.tr("Camera {n}").format(n=index), str(index))
        self.file_button = button(self.tr("Video &file…"))
        self.folder_button = button(self.tr("Image f&older…"))
        self.resolution = QComboBox()
        for width, height in RESOLUTIONS:
            self.resolution.addItem(f"{width} × {height}", f"{width}x{height}")
        self.apply_button = button(self.tr("&Apply"), "primary")
        self.status = _WrappedLabel()
        self.status.setMinimumWidth(340)
        self.preview = CameraView()
        self.preview.placeholder = self.tr("No picture from the camera")
        self.preview.setMinimumSize(400, 300)

        form = form_layout()
        add_row(form, self.tr("&Source"), self.source)
        form.addRow("", row(self.file_button, self.folder_button))
        add_row(
            form, self.tr("&Resolution"), row(self.resolution, self.apply_button), self.resolution
        )
        add_row(form, self.tr("Status"), self.status)
        self.body.addLayout(form)
        self.body.addWidget(self.preview, 1)

        self.file_button.clicked.connect(self.choose_file)
        self.folder_button.clicked.connect(self.choose_folder)
        self.apply_button.clicked.connect(self.apply)
        admin.feed.frame.connect(self._on_frame)
        admin.feed.camera_status.connect(self._on_status)

    def title(self) -> str:
        return self.tr("Camera")

    def activate(self) -> None:
        self._on_status(self.admin.runtime.camera_status())
        self.show_settings(self.ctx.settings)

    def show_settings(self, settings: Settings) -> None:
        self.set_source_text(settings.camera)
        size = (settings.camera_width, settings.camera_height)
        index = self.resolution.findData(f"{size[0]}x{size[1]}")
        if index < 0:
            self.resolution.addItem(f"{size[0]} × {size[1]}", f"{size[0]}x{size[1]}")
            index = self.resolution.count() - 1
        self.resolution.setCurrentIndex(index)

    def set_source_text(self, text: str) -> None:
        index = self.source.findData(text)
        if index >= 0:
            self.source.setCurrentIndex(index)
        else:
            self.source.setEditText(text)

    def source_text(self) -> str:
        text = self.source.currentText().strip()
        index = self.source.findText(text)
        data = self.source.itemData(index) if index >= 0 else None
        return str(data) if data is not None else text

    def choose_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self,
            self.tr("Choose a video file"),
            "",
            self.tr("Videos (*.mp4 *.avi *.mkv *.mov *.webm);;All files (*)"),
            options=QFileDialog.Option.DontUseNativeDialog,
        )
        if path:
            self.source.setEditText(path)

    def choose_folder(self) -> None:
        path = QFileDialog.getExistingDirectory(
            self,
            self.tr("Choose a folder of images"),
            "",
            QFileDialog.Option.DontUseNativeDialog | QFileDialog.Option.ShowDirsOnly,
        )
        if path:
            self.source.setEditText(path)

    def apply(self) -> None:
        text = self.source_text()
        try:
            parse_source(text)  # cheap: classifies, opens nothing
        except ValueError as exc:
            self.show_notice(setting_text(exc), "bad")
            return
        width, height = (int(n) for n in str(self.resolution.currentData()).split("x"))
        runtime = self.admin.runtime

        def switch(settings: Settings) -> None:
            # The settings in force, not the fields: where an environment variable still
            # decides (the notice says which), its camera stays, and the page shows it.
            # Opening the camera already open does nothing, unless it ended or failed.
            runtime.set_camera(settings.camera, settings.camera_width, settings.camera_height)
            self.show_settings(settings)
            self.preview.clear()

        self.save_settings({"camera": text, "camera_width": width, "camera_height": height}, switch)

    def _on_frame(self, frame: Frame) -> None:
        if self.isVisible():
            self.preview.set_frame(frame)

    def _on_status(self, status: CameraStatus) -> None:
        words = {
            CameraState.STREAMING: self.tr("Working"),
            CameraState.STARTING: self.tr("Opening…"),
            CameraState.RECONNECTING: self.tr("Lost; reconnecting"),
            CameraState.ENDED: self.tr("The video ended"),
            CameraState.FAILED: self.tr("Not working"),
            CameraState.STOPPED: self.tr("Stopped"),
        }
        self.status.setText(f"{words[status.state]} — {camera_text(status)}")
        if status.state is not CameraState.STREAMING:
            self.preview.clear()
