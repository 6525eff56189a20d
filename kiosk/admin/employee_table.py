"""The employees page's list: one row per person, with what an administrator checks first."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from core.people.employees import EmployeeView

SAMPLES_COLUMN = 4


class EmployeeTable(QTableWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(0, 6, parent)
        self.employees: list[EmployeeView] = []
        self.setHorizontalHeaderLabels(
            [
                self.tr("Code"),
                self.tr("Name"),
                self.tr("Status"),
                self.tr("PIN"),
                self.tr("Face samples"),
                self.tr("Shifts"),
            ]
        )
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setAlternatingRowColors(True)
        self.verticalHeader().hide()
        self.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.setMinimumHeight(320)

    def fill(self, employees: list[EmployeeView], select: str | None) -> None:
        self.employees = employees
        self.setRowCount(len(employees))
        yes, no = self.tr("yes"), self.tr("no")
        for index, employee in enumerate(employees):
            cells = (
                employee.code,
                employee.name,
                self.tr("active") if employee.active else self.tr("deactivated"),
                yes if employee.has_pin else no,
                str(employee.templates),
                ", ".join(employee.shifts),
            )
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if column == SAMPLES_COLUMN:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                self.setItem(index, column, item)
            if employee.code == select:
                self.selectRow(index)
        self.resizeColumnsToContents()
        # resizeColumnsToContents resets every column's mode; the name takes the spare width.
        self.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)

    def selected(self) -> EmployeeView | None:
        model = self.selectionModel()
        rows = model.selectedRows() if model else []
        if not rows or rows[0].row() >= len(self.employees):
            return None
        return self.employees[rows[0].row()]

    def select_code(self, code: str) -> None:
        for index, employee in enumerate(self.employees):
            if employee.code == code:
                self.selectRow(index)
