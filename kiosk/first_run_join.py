"""The first-run assistant's join step: the Sync page's join panel, for a kiosk that is one
of several doors sharing a central database rather than a kiosk on its own.

Reached from the last step's "Join a central database"; joined, the assistant goes back to
that step and says what the join did there, beside "enrol" and "go to the kiosk".
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton, QWidget

from kiosk.first_run_steps import Step
from kiosk.join_flow import JoinService
from kiosk.join_panel import JoinPanel


class JoinStep(Step):
    def __init__(self, service: JoinService, actor: str) -> None:
        super().__init__(self.tr("Join a central database"), "")
        self.intro.hide()  # the panel says what to do
        self.panel = JoinPanel(service, actor)
        self.by_hand = QPushButton(self.tr("Type the database's address instead…"))
        self.column.addWidget(self.panel)
        self.column.addWidget(self.by_hand, 0, Qt.AlignmentFlag.AlignLeft)
        self.column.addStretch(1)
        self.panel.busy_changed.connect(lambda busy: self.by_hand.setEnabled(not busy))

    def first_field(self) -> QWidget | None:
        return self.panel.passphrase if self.panel.path.text() else self.panel.source
