"""Employees: search, add, edit, PIN, deactivate or reactivate, erase biometric data."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QLineEdit,
    QWidget,
)

from core.people.employees import EmployeeView
from kiosk.admin.dialogs import EmployeeDialog, PinDialog, ReasonDialog
from kiosk.admin.employee_table import EmployeeTable
from kiosk.admin.page import AdminContext, AdminPage, button, row
from kiosk.messages import describe_error

SEARCH_DELAY_MS = 250  # wait for a pause in typing before asking the store


class EmployeesPage(AdminPage):
    enroll_requested = Signal(str)  # employee code

    def __init__(self, admin: AdminContext, parent: QWidget | None = None) -> None:
        super().__init__(admin, parent)
        self.set_intro(
            self.tr(
                "Everyone who records attendance here. Deactivating keeps their records; "
                "erasing biometric data removes their face everywhere, for good."
            )
        )
        self.search = QLineEdit()
        self.search.setPlaceholderText(self.tr("Search by name or code"))
        self.search.setClearButtonEnabled(True)
        self.search.setMinimumWidth(260)
        self.search.setAccessibleName(self.tr("Search employees"))
        self.show_inactive = QCheckBox(self.tr("Show deactivated"))
        self.table = EmployeeTable()
        self.add_button = button(self.tr("&Add…"), "primary")
        self.edit_button = button(self.tr("&Edit…"))
        self.pin_button = button(self.tr("Set &PIN…"))
        self.enroll_button = button(self.tr("Enroll &face…"))
        self.active_button = button(self.tr("&Deactivate…"))
        self.erase_button = button(self.tr("E&rase face data…"), "danger")

        self.body.addLayout(row(self.search, self.show_inactive))
        self.body.addWidget(self.table, 1)
        # Two rows: everyday actions, then the ones that take something away (and room for
        # the longer Spanish labels).
        self.body.addLayout(
            row(self.add_button, self.edit_button, self.pin_button, self.enroll_button)
        )
        self.body.addLayout(row(self.active_button, self.erase_button))

        self.dialog: EmployeeDialog | PinDialog | ReasonDialog | None = None
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self.reload)
        self.search.textChanged.connect(lambda _text: self._search_timer.start())
        self.show_inactive.toggled.connect(lambda _on: self.reload())
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.add_button.clicked.connect(self.add_employee)
        self.edit_button.clicked.connect(self.edit_employee)
        self.pin_button.clicked.connect(self.set_pin)
        self.enroll_button.clicked.connect(self._enroll)
        self.active_button.clicked.connect(self.toggle_active)
        self.erase_button.clicked.connect(self.erase_biometrics)
        self._update_buttons()

    def title(self) -> str:
        return self.tr("Employees")

    def activate(self) -> None:
        self.reload()

    # --- the list ---------------------------------------------------------------------
    def reload(self, select: str | None = None) -> None:
        service = self.ctx.employees()
        search = self.search.text()
        everyone = self.show_inactive.isChecked()
        current = self.selected()
        chosen = select or (current.code if current else None)
        self.run(
            lambda: service.list(include_inactive=everyone, search=search),
            lambda rows: self._fill(rows, chosen),
        )

    def _fill(self, employees: list[EmployeeView], select: str | None) -> None:
        self.table.fill(employees, select)
        self._update_buttons()

    @property
    def employees(self) -> list[EmployeeView]:
        return self.table.employees

    def selected(self) -> EmployeeView | None:
        return self.table.selected()

    def select_code(self, code: str) -> None:
        self.table.select_code(code)

    def _update_buttons(self) -> None:
        chosen = self.selected()
        for widget in (
            self.edit_button,
            self.pin_button,
            self.enroll_button,
            self.active_button,
            self.erase_button,
        ):
            widget.setEnabled(chosen is not None)
        if chosen is not None:
            self.enroll_button.setEnabled(chosen.active)
            self.active_button.setText(
                self.tr("&Deactivate…") if chosen.active else self.tr("Re&activate")
            )

    # --- actions ----------------------------------------------------------------------
    def add_employee(self) -> None:
        dialog = EmployeeDialog(self)
        self.dialog = dialog

        def save() -> None:
            code, name, pin = dialog.code.text().strip(), dialog.name.text(), dialog.pin.text()
            service, actor = self.ctx.employees(), self.admin.actor

            def added(view: EmployeeView) -> None:
                dialog.saved()
                self._done(self.tr("{name} added.").format(name=view.name), code)

            self.run(lambda: service.add(actor, code, name, pin or None), added, _refused(dialog))

        dialog.save_with(save)
        dialog.open()

    def edit_employee(self) -> None:
        chosen = self.selected()
        if chosen is None:
            return
        dialog = EmployeeDialog(self, code=chosen.code, name=chosen.name, editing=True)
        self.dialog = dialog

        def save() -> None:
            new_code, name = dialog.code.text().strip(), dialog.name.text()
            service, actor = self.ctx.employees(), self.admin.actor

            def updated(view: EmployeeView) -> None:
                dialog.saved()
                self._done(self.tr("{name} saved.").format(name=view.name), new_code)

            self.run(
                lambda: service.update(actor, chosen.code, name=name, new_code=new_code),
                updated,
                _refused(dialog),
            )

        dialog.save_with(save)
        dialog.open()

    def set_pin(self) -> None:
        chosen = self.selected()
        if chosen is None:
            return
        dialog = PinDialog(chosen.name, self)
        self.dialog = dialog

        def save() -> None:
            pin = dialog.value()
            service, actor = self.ctx.employees(), self.admin.actor
            self.run(
                lambda: service.set_pin(actor, chosen.code, pin),
                lambda _none: self._done(
                    self.tr("PIN saved for {name}.").format(name=chosen.name)
                    if pin
                    else self.tr("PIN removed for {name}.").format(name=chosen.name),
                    chosen.code,
                ),
            )

        dialog.accepted.connect(save)
        dialog.open()

    def toggle_active(self) -> None:
        chosen = self.selected()
        if chosen is None:
            return
        service, actor = self.ctx.employees(), self.admin.actor
        if not chosen.active:
            self.run(
                lambda: service.set_active(actor, chosen.code, True, "reactivated in the kiosk"),
                lambda view: self._done(self.tr("{name} is active again.").format(name=view.name)),
            )
            return
        dialog = ReasonDialog(
            self.tr("Deactivate {name}").format(name=chosen.name),
            self.tr(
                "They will no longer be recognised or accepted by PIN. Their records stay, "
                "and you can reactivate them later."
            ),
            self,
        )
        self.dialog = dialog

        def save() -> None:
            reason = dialog.value()
            self.run(
                lambda: service.set_active(actor, chosen.code, False, reason),
                lambda view: self._done(self.tr("{name} is deactivated.").format(name=view.name)),
            )

        dialog.accepted.connect(save)
        dialog.open()

    def erase_biometrics(self) -> None:
        chosen = self.selected()
        if chosen is None:
            return
        dialog = ReasonDialog(
            self.tr("Erase the face data of {name}").format(name=chosen.name),
            self.tr(
                "Deletes every face sample and the enrollment photo of {name}, on this kiosk "
                "and, through sync, everywhere. Attendance records stay. This cannot be undone; "
                "to use the face again, enroll it again."
            ).format(name=chosen.name),
            self,
            confirmation=self.tr("I understand that this cannot be undone"),
        )
        self.dialog = dialog

        def erase() -> None:
            reason = dialog.value()
            service, actor = self.ctx.employees(), self.admin.actor
            self.run(
                lambda: service.erase_biometrics(actor, chosen.code, reason),
                lambda count: self._done(
                    self.tr("Face data of {name} erased (%n sample(s)).", "", count).format(
                        name=chosen.name
                    )
                ),
            )

        dialog.accepted.connect(erase)
        dialog.open()

    def _enroll(self) -> None:
        chosen = self.selected()
        if chosen is not None:
            self.enroll_requested.emit(chosen.code)

    def _done(self, text: str, select: str | None = None) -> None:
        # No call to the runtime: it notices changed face data in the store by itself
        # (a fingerprint checked every second) and stops recognising an erased face.
        self.show_notice(text, "ok")
        self.reload(select)


def _refused(dialog: EmployeeDialog) -> Callable[[BaseException], None]:
    """A refused save is said in the dialog, which stays open with what was typed."""

    def say(exc: BaseException) -> None:
        message = describe_error(exc)
        dialog.refused(message.text + (f"\n{message.details}" if message.details else ""))

    return say
