"""Join a central database: the join file (a USB stick's listed first), its passphrase, Join.

One widget, shown by Settings → Sync and by the first-run assistant. The join runs on a
worker (``kiosk.join_flow``): meanwhile the panel says it is working and nothing in it can
be pressed again; then it shows the kiosk's name, its site, the central database and what
the first sync did, or the refusal's one sentence. A kiosk that already syncs says with
which database, and joining again is asked first.
"""

from __future__ import annotations

from pathlib import Path

import shiboken6
from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QFontDatabase, QHideEvent, QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)
from typing_extensions import override

from core.host.removable_drives import RemovableDrive, removable_drives
from core.sync.join_file import GROUP_LENGTH, GROUPS, normalize_passphrase
from kiosk import theme
from kiosk.admin.dialogs import FormDialog
from kiosk.admin.page import add_row, button, form_layout, row
from kiosk.join_flow import Joined, JoinOutcome, JoinService, join_files
from kiosk.messages import core_sentence, one_sentence

DRIVE_POLL_MS = 2000  # a stick plugged in is listed within two seconds
OTHER = "other"
PASSPHRASE_LENGTH = GROUPS * GROUP_LENGTH


class JoinPanel(QWidget):
    busy_changed = Signal(bool)
    joined = Signal(object)  # the JoinOutcome

    def __init__(self, service: JoinService, actor: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.service, self.actor = service, actor
        self.busy = False
        self.drives: list[RemovableDrive] = []
        self._listed = False
        self._suggested = ""
        self.dialog: FormDialog | None = None
        self.joined_note = _label("PageIntro")
        intro = _label("PageIntro")
        intro.setText(
            self.tr(
                "Plug in the USB stick with the join file made on the server (central "
                "add-kiosk), choose the file and type the passphrase printed with it. The "
                "kiosk takes the deployment's keys and the database's address, then syncs."
            )
        )
        self._build_fields()
        self.outcome = _label("Notice")
        self.outcome.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.outcome.hide()

        form = form_layout()
        add_row(form, self.tr("Join &file"), self.source)
        form.addRow("", row(self.path, self.choose_button))
        add_row(form, self.tr("&Passphrase"), self.passphrase)
        form.addRow("", self.groups)
        form.addRow("", row(self.join_button))
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(10)
        column.addWidget(self.joined_note)
        column.addWidget(intro)
        column.addLayout(form)
        column.addWidget(self.outcome)

        self.drive_timer = QTimer(self)
        self.drive_timer.setInterval(DRIVE_POLL_MS)
        self.drive_timer.timeout.connect(self.refresh_drives)
        self.source.currentIndexChanged.connect(lambda _i: self._source_chosen())
        self.choose_button.clicked.connect(self.choose_file)
        self.passphrase.textChanged.connect(self._show_groups)
        self.passphrase.returnPressed.connect(self.join)
        self.join_button.clicked.connect(self.join)
        self._show_groups("")
        self.show_joined()

    def _build_fields(self) -> None:
        self.source = QComboBox()
        self.source.setMinimumWidth(380)
        self.source.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.source.setAccessibleName(self.tr("Join file"))
        self.path = QLineEdit()
        # With "Choose…" beside it, the Spanish labels and the Sync page's 1024 px.
        self.path.setMinimumWidth(380)
        self.path.setAccessibleName(self.tr("Join file's path"))
        self.choose_button = button(self.tr("C&hoose…"))
        self.passphrase = QLineEdit()
        self.passphrase.setMinimumWidth(420)
        # Shown as typed, not as dots: four groups copied from paper are checked by eye, and
        # a join file opens nothing once used or expired.
        self.passphrase.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.passphrase.setPlaceholderText(
            self.tr("the groups printed with the file, e.g. 7K2QM-…")
        )
        self.passphrase.setAccessibleName(self.tr("Passphrase"))
        self.groups = _label("PageIntro")
        self.groups.setMinimumWidth(480)  # under the field: four groups on one line
        self.join_button = button(self.tr("&Join"), "primary")

    # --- what is shown ----------------------------------------------------------------
    def show_joined(self) -> None:
        """Say which central database this kiosk syncs with, if any."""
        central = self.service.central_in_use()
        self.joined_note.setText(
            self.tr(
                "This kiosk already syncs with {central}. Joining again replaces it; you "
                "will be asked to confirm."
            ).format(central=central)
            if central
            else ""
        )
        self.joined_note.setVisible(central is not None)

    def _show_groups(self, text: str) -> None:
        # As the join file reads it (case, spaces and hyphens do not count; O, I and L are
        # the digits they look like), in the groups it was printed in: a missing or extra
        # character shows at once, before the half-second key derivation says "wrong".
        typed = normalize_passphrase(text)
        groups = [typed[i : i + GROUP_LENGTH] for i in range(0, len(typed), GROUP_LENGTH)]
        self.groups.setText(
            self.tr("{count} of {total} characters: {groups}").format(
                count=len(typed), total=PASSPHRASE_LENGTH, groups=" ".join(groups)
            )
            if typed
            else self.tr("Case, spaces and hyphens do not matter; pasting works too.")
        )

    def say(self, text: str, tone: str) -> None:
        self.outcome.setText(text)
        self.outcome.setProperty("tone", tone)
        theme.repolish(self.outcome)
        self.outcome.setVisible(bool(text))

    # --- the file ---------------------------------------------------------------------
    def refresh_drives(self) -> None:
        """List the join files on the sticks plugged in, first; a new one is chosen."""
        drives = removable_drives()
        if drives == self.drives and self._listed:
            return
        self.drives, self._listed = drives, True
        chosen = self.source.currentData()
        before = {self.source.itemData(i) for i in range(self.source.count())}
        self.source.blockSignals(True)
        self.source.clear()
        for drive, path in join_files(drives):
            self.source.addItem(
                self.tr("{name} on the USB drive {label}").format(
                    name=path.name, label=drive.label
                ),
                str(path),
            )
        self.source.addItem(self.tr("Another file (Choose…)"), OTHER)
        appeared = [self.source.itemData(i) for i in range(self.source.count() - 1)]
        new = [data for data in appeared if data not in before]
        wanted = new[0] if new else chosen
        self.source.setCurrentIndex(max(self.source.findData(wanted), 0))
        self.source.blockSignals(False)
        self._source_chosen()

    def _source_chosen(self) -> None:
        data = self.source.currentData()
        # Follow the list until a path is typed or chosen by hand.
        if data in (None, OTHER) or self.path.text() not in ("", self._suggested):
            return
        self._suggested = str(data)
        self.path.setText(self._suggested)

    def choose_file(self) -> None:
        start = str(self.drives[0].mount_point) if self.drives else str(Path.home())
        path, _ = QFileDialog.getOpenFileName(
            self,
            self.tr("The join file"),
            self.path.text() or start,
            self.tr("Join files (*.join);;All files (*)"),
            options=QFileDialog.Option.DontUseNativeDialog,
        )
        if path:
            self.source.blockSignals(True)
            self.source.setCurrentIndex(self.source.findData(OTHER))
            self.source.blockSignals(False)
            self.path.setText(path)

    # --- joining ----------------------------------------------------------------------
    def problem(self) -> str:
        """What is missing before anything is tried ('' when nothing is)."""
        text = self.path.text().strip()
        if not text:
            return self.tr("Choose the join file: one on the USB stick, or Choose… for another.")
        if not Path(text).expanduser().is_file():
            return self.tr(
                "There is no file at {path}. Check that the USB stick is plugged in, or "
                "choose the file again."
            ).format(path=text)
        if not self.passphrase.text().strip():
            return self.tr("Type the passphrase printed with the join file.")
        return ""

    def join(self) -> None:
        if self.busy:
            return  # pressed again while joining: one join at a time
        if problem := self.problem():
            self.say(problem, "bad")
            return
        central = self.service.central_in_use()
        if central is None:
            self._start()
            return
        dialog = FormDialog(self.tr("Join another central database?"), self)
        explanation = QLabel(
            self.tr(
                "This kiosk syncs with {central} now. Joining with this file replaces that "
                "database's address and password; records not sent yet stay on this kiosk."
            ).format(central=central)
        )
        explanation.setWordWrap(True)
        dialog.form.addRow(explanation)
        ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText(self.tr("Join"))
        dialog.accepted.connect(self._start)
        self.dialog = dialog
        dialog.open()

    def _start(self) -> None:
        if self.busy:
            return
        self.set_busy(True)
        self.say(
            self.tr(
                "Joining: opening the file, connecting to the central database, first sync… "
                "This can take a minute."
            ),
            "info",
        )
        path = Path(self.path.text().strip()).expanduser()
        self.service.start(
            path, self.passphrase.text().strip(), self.actor, self._joined, self._refused
        )

    def _joined(self, joined: Joined) -> None:
        if not self._alive():
            return
        self.set_busy(False)
        # The passphrase goes once it has done its work: the file is spent, and nothing
        # that opened it should stay on a kiosk's screen. The path stays, to say which.
        self.passphrase.clear()
        self.say(self.result_text(joined.outcome), "ok")
        self.show_joined()
        self.joined.emit(joined.outcome)

    def _refused(self, exc: BaseException) -> None:
        if not self._alive():
            return
        self.set_busy(False)
        # Everything typed stays, the passphrase too: a typo in one of four groups is fixed
        # in place, not typed again whole; and a refusal changed nothing to undo.
        self.say(one_sentence(exc), "bad")

    def result_text(self, outcome: JoinOutcome) -> str:
        site = (
            self.tr("site {site}").format(site=outcome.site)
            if outcome.site
            else self.tr("no site: it receives every employee")
        )
        return "\n".join(
            (
                self.tr("Joined the central database {central}.").format(central=outcome.central),
                self.tr("This kiosk is {kiosk} ({site}).").format(
                    kiosk=outcome.kiosk_id, site=site
                ),
                core_sentence(outcome.synced),
            )
        )

    def set_busy(self, busy: bool) -> None:
        self.busy = busy
        for widget in (self.source, self.path, self.choose_button, self.passphrase):
            widget.setEnabled(not busy)
        self.join_button.setEnabled(not busy)
        self.join_button.setText(self.tr("Joining…") if busy else self.tr("&Join"))
        self.setCursor(Qt.CursorShape.BusyCursor if busy else Qt.CursorShape.ArrowCursor)
        self.busy_changed.emit(busy)

    def _alive(self) -> bool:
        return shiboken6.isValid(self)

    @override
    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.refresh_drives()
        self.show_joined()
        self.drive_timer.start()

    @override
    def hideEvent(self, event: QHideEvent) -> None:
        self.drive_timer.stop()
        super().hideEvent(event)


def _label(name: str) -> QLabel:
    label = QLabel()
    label.setObjectName(name)
    label.setWordWrap(True)
    return label
