"""Shifts (turnos): create, edit, and who is assigned to each."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QGroupBox,
    QHeaderView,
    QListWidget,
    QListWidgetItem,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from core.attendance import shifts as shift_service
from core.people.employees import EmployeeView
from kiosk.admin.dialogs import ShiftDialog, weekday_names
from kiosk.admin.page import AdminContext, AdminPage, button, row


class ShiftsPage(AdminPage):
    def __init__(self, admin: AdminContext, parent: QWidget | None = None) -> None:
        super().__init__(admin, parent)
        self.set_intro(
            self.tr(
                "A shift's start decides lateness (after its grace minutes); a shift that ends "
                "before it starts crosses midnight and belongs to the day it starts."
            )
        )
        self.table = QTableWidget(0, 6)
        self.table.setHorizontalHeaderLabels(
            [
                self.tr("Name"),
                self.tr("Starts"),
                self.tr("Ends"),
                self.tr("Days"),
                self.tr("Grace"),
                self.tr("Employees"),
            ]
        )
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        self.table.setMinimumHeight(220)
        self.new_button = button(self.tr("&New shift…"), "primary")
        self.edit_button = button(self.tr("&Edit…"))

        self.members = QListWidget()
        self.members.setAccessibleName(self.tr("Employees in this shift"))
        self.members.setMinimumHeight(150)
        self.employee = QComboBox()
        self.employee.setAccessibleName(self.tr("Employee to assign"))
        self.employee.setMinimumWidth(220)
        # Its entries arrive after the first show: grow to them then (it kept the width of
        # an empty box and cut "E001 — Ana García" to "E001 — Ana Garc").
        self.employee.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.assign_button = button(self.tr("&Assign to this shift"))
        self.unassign_button = button(self.tr("&Remove from this shift"))
        self.assignments = QGroupBox(self.tr("Employees in the selected shift"))
        box = QVBoxLayout(self.assignments)
        box.addWidget(self.members)
        box.addLayout(row(self.employee, self.assign_button))
        box.addLayout(row(self.unassign_button))  # one row was too wide for 1024 px

        self.body.addWidget(self.table, 1)
        self.body.addLayout(row(self.new_button, self.edit_button))
        self.body.addWidget(self.assignments)

        self.shifts: list[shift_service.ShiftRow] = []
        self.dialog: ShiftDialog | None = None
        self.table.itemSelectionChanged.connect(self._selection_changed)
        self.new_button.clicked.connect(lambda: self.edit_shift(None))
        self.edit_button.clicked.connect(lambda: self.edit_shift(self.selected()))
        self.table.doubleClicked.connect(lambda _index: self.edit_shift(self.selected()))
        self.assign_button.clicked.connect(self.assign)
        self.unassign_button.clicked.connect(self.unassign)
        self.members.itemSelectionChanged.connect(self._update_buttons)
        self._update_buttons()

    def title(self) -> str:
        return self.tr("Shifts")

    def activate(self) -> None:
        self.reload()
        service = self.ctx.employees()
        self.run(service.list, self._fill_employees)

    def reload(self, select: str | None = None) -> None:
        current = self.selected()
        chosen = select or (current.name if current else None)
        self.run(
            lambda: shift_service.list_shifts(self.ctx.store), lambda rows: self._fill(rows, chosen)
        )

    def _fill(self, shifts: list[shift_service.ShiftRow], select: str | None) -> None:
        self.shifts = shifts
        days = weekday_names()
        self.table.setRowCount(len(shifts))
        for index, shift in enumerate(shifts):
            every = len(shift.weekdays) == 7
            cells = (
                shift.name + ("" if shift.active else self.tr(" (not in use)")),
                f"{shift.start:%H:%M}",
                f"{shift.end:%H:%M}" + (" ☾" if shift.end <= shift.start else ""),
                self.tr("every day")
                if every
                else ", ".join(days[d] for d in sorted(shift.weekdays)),
                f"{shift.grace_in} min",
                str(shift.members),
            )
            for column, text in enumerate(cells):
                self.table.setItem(index, column, QTableWidgetItem(text))
            if shift.name == select:
                self.table.selectRow(index)
        self.table.resizeColumnsToContents()
        self.table.horizontalHeader().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self._selection_changed()

    def _fill_employees(self, employees: list[EmployeeView]) -> None:
        self.employee.clear()
        for employee in employees:
            self.employee.addItem(f"{employee.code} — {employee.name}", employee.code)
        self._update_buttons()

    def selected(self) -> shift_service.ShiftRow | None:
        model = self.table.selectionModel()
        rows = model.selectedRows() if model else []
        if not rows or rows[0].row() >= len(self.shifts):
            return None
        return self.shifts[rows[0].row()]

    def _selection_changed(self) -> None:
        shift = self.selected()
        self.members.clear()
        if shift is not None:
            self.assignments.setTitle(self.tr("Employees in {name}").format(name=shift.name))
            store = self.ctx.store
            self.run(lambda: shift_service.shift_members(store, shift.id), self._fill_members)
        self._update_buttons()

    def _fill_members(self, members: list[tuple[str, str]]) -> None:
        self.members.clear()
        for code, name in members:
            item = QListWidgetItem(f"{code} — {name}")
            item.setData(256, code)  # Qt.UserRole
            self.members.addItem(item)
        self._update_buttons()

    def _update_buttons(self) -> None:
        shift = self.selected()
        self.edit_button.setEnabled(shift is not None)
        self.assign_button.setEnabled(shift is not None and self.employee.count() > 0)
        self.unassign_button.setEnabled(shift is not None and bool(self.members.selectedItems()))

    # --- actions ----------------------------------------------------------------------
    def edit_shift(self, shift: shift_service.ShiftRow | None) -> None:
        dialog = ShiftDialog(self, shift)
        self.dialog = dialog

        def save() -> None:
            data = dialog.value()
            store, actor, kiosk = self.ctx.store, self.admin.actor, self.ctx.settings.kiosk_id
            shift_id = shift.id if shift else None
            self.run(
                lambda: shift_service.save_shift(store, actor, kiosk, shift_id, data),
                lambda _none: self._saved(data.name),
            )

        dialog.accepted.connect(save)
        dialog.open()

    def _saved(self, name: str) -> None:
        self.show_notice(self.tr("Shift {name} saved.").format(name=name), "ok")
        self.reload(name)

    def assign(self) -> None:
        shift, code = self.selected(), self.employee.currentData()
        if shift is None or not code:
            return
        service, actor = self.ctx.employees(), self.admin.actor
        self.run(
            lambda: service.assign_shift(actor, str(code), shift.name),
            lambda _none: self._changed(
                self.tr("{code} assigned to {name}.").format(code=code, name=shift.name)
            ),
        )

    def unassign(self) -> None:
        shift, items = self.selected(), self.members.selectedItems()
        if shift is None or not items:
            return
        code = str(items[0].data(256))
        service, actor = self.ctx.employees(), self.admin.actor
        self.run(
            lambda: service.unassign_shift(actor, code, shift.name),
            lambda _count: self._changed(
                self.tr("{code} removed from {name}.").format(code=code, name=shift.name)
            ),
        )

    def _changed(self, text: str) -> None:
        self.show_notice(text, "ok")
        self.reload()
