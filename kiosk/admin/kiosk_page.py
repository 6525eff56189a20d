"""This kiosk: its name on screen, language, time zone, what a face or PIN records, full
screen, sounds; the administrator's password; closing the program.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QCompleter,
    QDialogButtonBox,
    QGroupBox,
    QLabel,
    QLineEdit,
    QWidget,
)

from core.config import Settings
from core.errors import UsageError
from core.runtime.setup import record_kiosk_closed, record_settings_change, zone_names
from core.secrets.passwords import password_problem
from kiosk.admin.dialogs import ReasonDialog
from kiosk.admin.page import AdminContext, AdminPage, add_row, button, form_layout, row


class KioskPage(AdminPage):
    quit_requested = Signal()
    test_sound = Signal()

    def __init__(self, admin: AdminContext, parent: QWidget | None = None) -> None:
        super().__init__(admin, parent)
        self.name = QLineEdit()
        self.name.setMaxLength(80)
        self.name.setMinimumWidth(260)
        self.language = self._language_choice()
        self.zone = _zone_box()
        self.punch_mode, self.punch_mode_note = self._punch_mode_choice()
        self.fullscreen = QCheckBox(self.tr("Fill the whole screen"))
        self.sounds = QCheckBox(self.tr("Play a sound on each record"))
        self.sound_button = button(self.tr("&Try the sound"))
        self.save_button = button(self.tr("&Save"), "primary")
        general = QGroupBox(self.tr("This kiosk"))
        form = form_layout(general)
        add_row(form, self.tr("&Name on screen"), self.name)
        add_row(form, self.tr("&Language"), self.language)
        add_row(form, self.tr("&Time zone"), self.zone)
        add_row(form, self.tr("After a face or &PIN"), self.punch_mode)
        form.addRow("", self.punch_mode_note)
        add_row(form, self.tr("Full screen"), self.fullscreen)
        add_row(form, self.tr("Sounds"), row(self.sounds, self.sound_button), self.sounds)
        form.addRow("", row(self.save_button))
        self.about = QLabel()
        self.about.setObjectName("PageIntro")
        self.about.setWordWrap(True)
        form.addRow(self.about)

        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.repeat = QLineEdit()
        self.repeat.setEchoMode(QLineEdit.EchoMode.Password)
        self.password_button = button(self.tr("Change &password"))
        account = QGroupBox(self.tr("Your account: {user}").format(user=admin.session.username))
        account_form = form_layout(account)
        add_row(account_form, self.tr("New pass&word"), self.password)
        add_row(account_form, self.tr("&Repeat it"), self.repeat)
        account_form.addRow("", row(self.password_button))

        self.quit_button = button(self.tr("&Close Asistencia"), "danger")
        self.quit_note = QLabel(
            self.tr("The kiosk stops recording until the program is started again.")
        )
        self.quit_note.setObjectName("PageIntro")
        self.quit_note.setWordWrap(True)

        self.body.addWidget(general)
        self.body.addWidget(account)
        self.body.addLayout(row(self.quit_button, self.quit_note))
        self.body.addStretch(1)

        self.save_button.clicked.connect(self.save)
        self.sound_button.clicked.connect(self.test_sound)
        self.password_button.clicked.connect(self.change_password)
        self.quit_button.clicked.connect(self.confirm_quit)
        self.dialog: ReasonDialog | None = None

    def title(self) -> str:
        return self.tr("Kiosk")

    def activate(self) -> None:
        self.load(self.ctx.settings)

    def load(self, settings: Settings) -> None:
        self.name.setText(settings.kiosk_name)
        self.language.setCurrentIndex(max(self.language.findData(settings.language), 0))
        if self.zone.findText(settings.timezone) < 0:  # e.g. Etc/UTC, which the list hides
            self.zone.addItem(settings.timezone)
        self.zone.setCurrentText(settings.timezone)
        self.punch_mode.setCurrentIndex(max(self.punch_mode.findData(settings.punch_mode), 0))
        self._explain_punch_mode()
        self.fullscreen.setChecked(settings.fullscreen)
        self.sounds.setChecked(settings.sounds)
        self.about.setText(
            self.tr("Kiosk id {id} · time zone {zone} · data in {path}").format(
                id=settings.kiosk_id, zone=settings.timezone, path=self.ctx.paths.root
            )
        )

    def save(self) -> None:
        name = " ".join(self.name.text().split())
        if not name:
            self.show_notice(self.tr("Write the kiosk's name."), "bad")
            return
        zone = self.zone.currentText().strip()
        if self.zone.findText(zone, Qt.MatchFlag.MatchExactly) < 0:
            self.show_notice(
                self.tr(
                    "“{zone}” is not a time zone. Type part of a city and choose it in the "
                    "list, e.g. Europe/Madrid."
                ).format(zone=zone),
                "bad",
            )
            self.zone.setFocus()
            return
        before = self.ctx.settings
        changes: dict[str, object] = {
            "kiosk_name": name,
            "language": self.language.currentData(),
            "punch_mode": self.punch_mode.currentData(),
            "fullscreen": self.fullscreen.isChecked(),
            "sounds": self.sounds.isChecked(),
        }
        if zone != before.timezone:  # kept out otherwise: an unset zone follows the system's
            changes["timezone"] = zone
        actor, ctx = self.admin.actor, self.ctx

        def saved(settings: Settings) -> None:
            # The zone decides every record's local time and the punch mode what a record
            # is: both change payroll, so both are audited.
            audited = {
                key: getattr(settings, key)
                for key in ("timezone", "punch_mode")
                if getattr(settings, key) != getattr(before, key)
            }
            if audited:
                self.run(
                    lambda: record_settings_change(ctx.store, actor, settings.kiosk_id, audited),
                    lambda _none: None,
                )

        self.save_settings(changes, saved)

    def _language_choice(self) -> QComboBox:
        choice = QComboBox()
        choice.addItem(self.tr("Automatic (system language; Spanish otherwise)"), "auto")
        choice.addItem("Español", "es")
        choice.addItem("English", "en")
        return choice

    def _punch_mode_choice(self) -> tuple[QComboBox, QLabel]:
        """A choice of three, each explained in a line under it (core.config punch_mode)."""
        choice = QComboBox()
        choice.addItem(self.tr("What the shift expects, with “Change”"), "shift")
        choice.addItem(self.tr("Ask: check-in, check-out or a break"), "ask")
        choice.addItem(self.tr("Alternate check-in and check-out"), "toggle")
        note = QLabel()
        note.setObjectName("PageIntro")
        note.setWordWrap(True)
        choice.currentIndexChanged.connect(lambda _i: self._explain_punch_mode())
        return choice, note

    def _explain_punch_mode(self) -> None:
        notes = {
            "shift": self.tr(
                "Recommended. Nobody taps anything when the record is the expected one (in "
                "the morning, out in the evening, a first exit mid-shift is the break); the "
                "card offers to change it for a few seconds."
            ),
            "ask": self.tr(
                "After each face or PIN the employee taps check-in, check-out, break start or "
                "break end; the expected one is highlighted and taken after a few seconds."
            ),
            "toggle": self.tr(
                "Each record is the opposite of the last one. Breaks are not recorded at the "
                "kiosk (an administrator can add them)."
            ),
        }
        self.punch_mode_note.setText(notes.get(str(self.punch_mode.currentData()), ""))

    def change_password(self) -> None:
        password = self.password.text()
        if password != self.repeat.text():
            self.show_notice(self.tr("The two passwords differ. Type the same one twice."), "bad")
            return
        if problem := password_problem(password):
            self.show_error(UsageError(problem))
            return
        username, actor, auth = self.admin.session.username, self.admin.actor, self.ctx.auth

        def work() -> None:
            auth().change_password(actor, username, password)

        def done(_none: None) -> None:
            self.password.clear()
            self.repeat.clear()
            self.show_notice(self.tr("Password changed."), "ok")

        self.run(work, done)

    def confirm_quit(self) -> None:
        """Closing stops attendance at this door: asked, with a reason for the audit log."""
        dialog = ReasonDialog(
            self.tr("Close Asistencia"),
            self.tr(
                "Nobody can record attendance at this kiosk until the program is started "
                "again (or the computer restarts)."
            ),
            self,
        )
        dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(
            self.tr("Close Asistencia")
        )
        self.dialog = dialog

        def close() -> None:
            reason, actor, ctx = dialog.value(), self.admin.actor, self.ctx

            def work() -> None:
                record_kiosk_closed(ctx.store, actor, ctx.settings.kiosk_id, reason)

            # Closed only once the audit line is committed.
            self.run(work, lambda _none: self.quit_requested.emit())

        dialog.accepted.connect(close)
        dialog.open()


def _zone_box() -> QComboBox:
    """Typed into, it offers the zones holding what was typed ("madrid", "bogo")."""
    box = QComboBox()
    box.setEditable(True)
    box.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
    box.setMinimumWidth(320)
    box.addItems(zone_names())
    completer = QCompleter(list(zone_names()), box)
    completer.setFilterMode(Qt.MatchFlag.MatchContains)
    completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
    box.setCompleter(completer)
    return box
