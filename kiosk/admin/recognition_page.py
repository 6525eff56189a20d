"""Recognition: how sure the kiosk must be (Strict / Normal / Lenient), liveness, cooldown;
under Advanced the raw numbers: model, detector, match threshold, frames to agree, the
passive threshold, smallest face.

A preset is a named threshold and frame count (core/runtime/setup.py); choosing one sets the raw
fields, and raw fields that match no preset show as "Custom". Nobody has to read "match
threshold 0.066" to make the kiosk stricter."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QLabel,
    QSpinBox,
    QWidget,
)

from core.config import Settings
from core.recognition.antispoof import PASSIVE_THRESHOLD
from core.recognition.config import DEFAULT_THRESHOLDS
from core.runtime.setup import PRESET_NAMES, preset_of, preset_values
from kiosk.admin.page import AdminContext, AdminPage, add_row, button, form_layout, row

# Dlib and MediaPipe's detector ship with the kiosk; dlib's HOG needs a source install's
# dlib extra (and a CPU with AVX); the others need their weights installed.
DETECTORS = ("mediapipe", "dlib", "mtcnn", "opencv", "ssd", "yunet", "retinaface")
SHIPPED_MODEL = "Dlib"
SHIPPED_DETECTOR = "mediapipe"


class RecognitionPage(AdminPage):
    def __init__(self, admin: AdminContext, parent: QWidget | None = None) -> None:
        super().__init__(admin, parent)
        self.set_intro(
            self.tr(
                "Changes apply at once; a different model or detector is loaded in the "
                "background while the kiosk keeps accepting PINs."
            )
        )
        self.model = QComboBox()
        for name in DEFAULT_THRESHOLDS:
            label = name if name == SHIPPED_MODEL else self.tr("{name} (needs its weights)")
            self.model.addItem(label.format(name=name), name)
        self.detector = QComboBox()
        for name in DETECTORS:
            if name == SHIPPED_DETECTOR:
                label = name
            elif name == "dlib":
                label = self.tr("{name} (needs the dlib extra)")
            else:
                label = self.tr("{name} (needs its weights)")
            self.detector.addItem(label.format(name=name), name)
        self._build_match_threshold()
        self.frames = QSpinBox()
        self.frames.setRange(1, 30)
        self.liveness = QComboBox()
        self.liveness.addItem(self.tr("Off"), "off")
        self.liveness.addItem(self.tr("Ask for a blink"), "blink")
        self.liveness.addItem(self.tr("Refuse photos and screens (passive)"), "passive")
        self.liveness.addItem(self.tr("Both: passive and a blink"), "both")
        self._build_passive_threshold()
        self.cooldown = QSpinBox()
        self.cooldown.setRange(0, 86_400)
        self.cooldown.setSuffix(" s")
        self.min_face = QSpinBox()
        self.min_face.setRange(24, 1000)
        self.min_face.setSuffix(" px")
        self.save_button = button(self.tr("&Save"), "primary")
        self.reset_button = button(self.tr("&Undo changes"))
        self._build_preset()
        self._lay_out()

        self.calibrated.toggled.connect(self._calibrated_toggled)
        self.model.currentIndexChanged.connect(lambda _i: self._model_changed())
        self.passive_calibrated.toggled.connect(lambda _on: self._passive_enabled())
        self.liveness.currentIndexChanged.connect(lambda _i: self._passive_enabled())
        self.save_button.clicked.connect(self.save)
        self.reset_button.clicked.connect(self.activate)

    def _lay_out(self) -> None:
        form = form_layout()
        add_row(form, self.tr("How &sure before recording"), self.preset)
        form.addRow("", self.preset_note)
        add_row(form, self.tr("&Liveness"), self.liveness)
        add_row(form, self.tr("&Cooldown for the same person"), self.cooldown)
        self.body.addLayout(form)
        self.advanced_button = button(self.tr("Advanced settings ▸"))
        self.advanced_button.setCheckable(True)
        self.body.addLayout(row(self.advanced_button))
        # A plain widget, not a framed group: its rows are as wide as the page allows
        # (a frame's margins pushed the Spanish threshold row off a 1024x768 screen).
        self.advanced = QWidget()
        advanced = form_layout(self.advanced)
        advanced.setContentsMargins(0, 0, 0, 0)
        advanced.setVerticalSpacing(5)
        title = QLabel(self.tr("Advanced: the raw numbers"))
        title.setObjectName("PageIntro")
        advanced.addRow(title)
        add_row(advanced, self.tr("&Model"), self.model)
        add_row(advanced, self.tr("&Detector"), self.detector)
        add_row(
            advanced,
            self.tr("Match &threshold"),
            row(self.threshold, self.calibrated),
            self.threshold,
        )
        advanced.addRow("", self.threshold_note)
        add_row(advanced, self.tr("&Frames that must agree"), self.frames)
        add_row(
            advanced,
            self.tr("&Photo and screen threshold"),
            row(self.passive_threshold, self.passive_calibrated),
            self.passive_threshold,
        )
        advanced.addRow("", self.passive_note)
        add_row(advanced, self.tr("Smallest &face"), self.min_face)
        self.advanced.hide()
        self.body.addWidget(self.advanced)
        self.body.addLayout(row(self.save_button, self.reset_button))
        self.body.addStretch(1)
        self.advanced_button.toggled.connect(self.show_advanced)
        self.preset.activated.connect(lambda _i: self._preset_chosen())
        self.threshold.valueChanged.connect(lambda _v: self._show_preset())
        self.frames.valueChanged.connect(lambda _v: self._show_preset())
        self.calibrated.toggled.connect(lambda _on: self._show_preset())

    def _build_preset(self) -> None:
        self.preset = QComboBox()
        names = {
            "strict": self.tr("Strict"),
            "normal": self.tr("Normal (recommended)"),
            "lenient": self.tr("Lenient"),
        }
        for name in PRESET_NAMES:
            self.preset.addItem(names[name], name)
        self.preset.addItem(self.tr("Custom (see Advanced)"), "custom")
        self.preset.setMinimumWidth(260)
        self.preset_note = _note("")

    def _preset_chosen(self) -> None:
        """A preset sets the raw numbers under Advanced; those are what is saved."""
        name = str(self.preset.currentData())
        if name == "custom":
            self.show_advanced(True)
            return
        values = preset_values(name, str(self.model.currentData()))
        threshold = values["match_threshold"]
        self.calibrated.setChecked(threshold is None)
        if threshold is not None:
            self.threshold.setValue(threshold)
        self.frames.setValue(values["frames_to_agree"])
        self._show_preset()

    def _show_preset(self) -> None:
        threshold = None if self.calibrated.isChecked() else self.threshold.value()
        name = preset_of(str(self.model.currentData()), threshold, self.frames.value()) or "custom"
        self.preset.setCurrentIndex(self.preset.findData(name))
        notes = {
            "strict": self.tr(
                "Sure of every match: more pictures must agree and the face must be closer "
                "to the enrolled one. Some people may be asked to try again."
            ),
            "normal": self.tr(
                "The balance calibrated for this model: no mistaken match in its tests."
            ),
            "lenient": self.tr(
                "Quicker, fewer people asked to retry; two people who look alike may be "
                "taken for each other."
            ),
            "custom": self.tr("The numbers under Advanced were set by hand."),
        }
        self.preset_note.setText(notes[name])

    def _model_changed(self) -> None:
        # A preset is relative to the model's calibrated value: it follows the model.
        name = str(self.preset.currentData())
        self._calibrated_toggled()
        if name != "custom":
            self.preset.setCurrentIndex(self.preset.findData(name))
            self._preset_chosen()

    def show_advanced(self, shown: bool) -> None:
        self.advanced.setVisible(shown)
        self.advanced_button.setChecked(shown)
        self.advanced_button.setText(
            self.tr("Advanced settings ▾") if shown else self.tr("Advanced settings ▸")
        )

    def _build_match_threshold(self) -> None:
        self.calibrated = QCheckBox()
        self.threshold = QDoubleSpinBox()
        self.threshold.setDecimals(3)
        self.threshold.setRange(0.001, 1.999)
        self.threshold.setSingleStep(0.005)
        self.threshold_note = _note(
            self.tr("Lower is stricter: fewer mistaken matches, more people asked to retry.")
        )

    def _build_passive_threshold(self) -> None:
        self.passive_calibrated = QCheckBox(
            self.tr("Calibrated value ({value})").format(value=f"{PASSIVE_THRESHOLD:.2f}")
        )
        self.passive_threshold = QDoubleSpinBox()
        self.passive_threshold.setDecimals(2)
        self.passive_threshold.setRange(0.01, 0.99)
        self.passive_threshold.setSingleStep(0.01)
        self.passive_note = _note(
            self.tr("Higher: more photos and screens refused, more real people asked to retry.")
        )

    def title(self) -> str:
        return self.tr("Recognition")

    def activate(self) -> None:
        self.load(self.ctx.settings)

    def load(self, settings: Settings) -> None:
        _select(self.model, settings.model_name)
        _select(self.detector, settings.detector)
        self.calibrated.setChecked(settings.match_threshold is None)
        if settings.match_threshold is not None:
            self.threshold.setValue(settings.match_threshold)
        self._calibrated_toggled()
        self.frames.setValue(settings.frames_to_agree)
        _select(self.liveness, settings.liveness)
        self.passive_calibrated.setChecked(settings.passive_threshold is None)
        self.passive_threshold.setValue(
            PASSIVE_THRESHOLD if settings.passive_threshold is None else settings.passive_threshold
        )
        self._passive_enabled()
        self.cooldown.setValue(settings.cooldown_seconds)
        self.min_face.setValue(settings.min_face_px)
        self._show_preset()
        self.show_advanced(self.preset.currentData() == "custom")

    def _calibrated_toggled(self) -> None:
        default = DEFAULT_THRESHOLDS.get(str(self.model.currentData()))
        self.calibrated.setText(
            self.tr("Calibrated value ({value})").format(value=default)
            if default is not None
            else self.tr("Calibrated value")
        )
        self.threshold.setEnabled(not self.calibrated.isChecked())
        if self.calibrated.isChecked() and default is not None:
            self.threshold.setValue(default)

    def _passive_enabled(self) -> None:
        # the threshold means something only when passive liveness runs
        passive = self.liveness.currentData() in ("passive", "both")
        self.passive_calibrated.setEnabled(passive)
        self.passive_threshold.setEnabled(passive and not self.passive_calibrated.isChecked())
        if self.passive_calibrated.isChecked():
            self.passive_threshold.setValue(PASSIVE_THRESHOLD)

    def changes(self) -> dict[str, object]:
        return {
            "model_name": self.model.currentData(),
            "detector": self.detector.currentData(),
            # None removes the key: back to the model's calibrated value.
            "match_threshold": None if self.calibrated.isChecked() else self.threshold.value(),
            "frames_to_agree": self.frames.value(),
            "liveness": self.liveness.currentData(),
            "passive_threshold": (
                None if self.passive_calibrated.isChecked() else self.passive_threshold.value()
            ),
            "cooldown_seconds": self.cooldown.value(),
            "min_face_px": self.min_face.value(),
        }

    def save(self) -> None:
        self.save_settings(self.changes(), self.load)


def _note(text: str) -> QLabel:
    """A threshold's explanation under its field, wide enough for two lines at 1024×768."""
    label = QLabel(text)
    label.setObjectName("PageIntro")
    label.setWordWrap(True)
    label.setMinimumWidth(440)
    return label


def _select(combo: QComboBox, value: object) -> None:
    index = combo.findData(value)
    if index < 0:
        combo.addItem(str(value), value)
        index = combo.count() - 1
    combo.setCurrentIndex(index)
