"""The first-run assistant's five steps, as widgets: what each shows and what was chosen.

Saving and moving between steps is ``kiosk.first_run``'s; these only hold the fields and
say, in words, what is wrong with them before anything is saved.
"""

from __future__ import annotations

from datetime import time

from PySide6.QtCore import Qt, QTime
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QFormLayout,
    QGridLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from core.attendance.shifts import MAX_SHIFT_NAME_LENGTH, ShiftInput
from core.people.users import username_problem
from core.runtime.setup import matching_zones, zone_names
from core.secrets.passwords import password_problem
from kiosk.admin.dialogs import weekday_names
from kiosk.admin.page import FIELD_HEIGHT

LANGUAGES = (("es", "Español"), ("en", "English"))


def _intro(text: str) -> QLabel:
    label = QLabel(text)
    label.setObjectName("PageIntro")
    label.setWordWrap(True)
    return label


def _heading(text: str) -> QLabel:
    label = QLabel(text)
    label.setObjectName("PageTitle")
    label.setWordWrap(True)
    return label


def _form() -> QFormLayout:
    form = QFormLayout()
    form.setSpacing(10)
    form.setLabelAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
    form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.FieldsStayAtSizeHint)
    return form


def _row(form: QFormLayout, text: str, field: QWidget) -> None:
    label = QLabel(text)
    label.setBuddy(field)
    label.setMinimumHeight(FIELD_HEIGHT)
    form.addRow(label, field)


def choice(text: str) -> QPushButton:
    """A big button for one of a step's choices (a finger, not a mouse)."""
    widget = QPushButton(text)
    widget.setObjectName("FirstRunChoice")
    widget.setMinimumHeight(64)
    widget.setMinimumWidth(360)
    return widget


class Step(QWidget):
    def __init__(self, heading: str, intro: str) -> None:
        super().__init__()
        self.column = QVBoxLayout(self)
        self.column.setContentsMargins(0, 0, 0, 0)
        self.column.setSpacing(12)
        self.intro = _intro(intro)
        self.column.addWidget(_heading(heading))
        self.column.addWidget(self.intro)

    def first_field(self) -> QWidget | None:
        return None

    def hold_message(self, message: QLabel) -> None:
        """Show the assistant's message under this step's fields, where the eyes are."""
        last = self.column.itemAt(self.column.count() - 1)
        before_stretch = last is not None and last.spacerItem() is not None
        self.column.insertWidget(self.column.count() - (1 if before_stretch else 0), message)


class LanguageStep(Step):
    def __init__(self, chosen: str) -> None:
        super().__init__(
            self.tr("Welcome. Which language?"),
            self.tr("The kiosk and its settings will speak it. You can change it later."),
        )
        self.group = QButtonGroup(self)
        self.buttons: dict[str, QPushButton] = {}
        for code, name in LANGUAGES:
            button = choice(name)  # each in its own language, found by whoever reads it
            button.setCheckable(True)
            button.setChecked(code == chosen)
            self.group.addButton(button)
            self.buttons[code] = button
            self.column.addWidget(button, 0, Qt.AlignmentFlag.AlignLeft)
        self.column.addStretch(1)


class ZoneStep(Step):
    def __init__(self, chosen: str) -> None:
        super().__init__(
            self.tr("Time zone"),
            self.tr(
                "Every record is kept in this zone's local time. This computer says {zone}; "
                "type part of a city to find another."
            ).format(zone=chosen),
        )
        self.search = QLineEdit()
        self.search.setPlaceholderText(self.tr("Search, e.g. Madrid, Bogota, Mexico City"))
        self.search.setAccessibleName(self.tr("Search a time zone"))
        self.search.setMinimumWidth(420)
        self.zones = QListWidget()
        self.zones.setAccessibleName(self.tr("Time zones"))
        self.zones.setMinimumHeight(180)
        self.chosen_label = QLabel()
        self.chosen_label.setWordWrap(True)
        # The zone in use stays choosable even when it is one the list hides (Etc/UTC).
        self.names = tuple(sorted({*zone_names(), chosen})) if chosen else zone_names()
        self.column.addWidget(self.search)
        self.column.addWidget(self.zones, 1)
        self.column.addWidget(self.chosen_label)
        self.search.textChanged.connect(self.filter)
        self.zones.currentTextChanged.connect(self._show_chosen)
        self.filter("")
        self.select(chosen)

    def first_field(self) -> QWidget | None:
        return self.search

    def filter(self, text: str) -> None:
        current = self.zone()
        names = matching_zones(text, self.names)
        self.zones.clear()
        self.zones.addItems(names)
        if current in names:
            self.select(current)
        elif len(names) == 1:
            self.zones.setCurrentRow(0)
        self._show_chosen(self.zone())

    def select(self, zone: str) -> None:
        found = self.zones.findItems(zone, Qt.MatchFlag.MatchExactly)
        if found:
            self.zones.setCurrentItem(found[0])
            self.zones.scrollToItem(found[0])

    def zone(self) -> str:
        item = self.zones.currentItem()
        return item.text() if item is not None and item.isSelected() else ""

    def _show_chosen(self, zone: str) -> None:
        self.chosen_label.setText(
            self.tr("Chosen: {zone}").format(zone=zone)
            if zone
            else self.tr("No zone chosen: pick one in the list.")
        )

    def problem(self) -> str:
        if self.zone() not in self.names:
            return self.tr("Choose a time zone in the list (type part of a city to find it).")
        return ""


class AdminStep(Step):
    def __init__(self) -> None:
        super().__init__(
            self.tr("Your administrator account"),
            self.tr(
                "Only administrators open the settings (F2, or the ⚙ button). Choose your "
                "user name and a password of at least 10 characters; type it twice."
            ),
        )
        self.username = QLineEdit()
        self.username.setMaxLength(64)
        self.username.setMinimumWidth(360)
        self.username.setAccessibleName(self.tr("User name"))
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setAccessibleName(self.tr("Password"))
        self.repeat = QLineEdit()
        self.repeat.setEchoMode(QLineEdit.EchoMode.Password)
        self.repeat.setAccessibleName(self.tr("Repeat the password"))
        form = _form()
        _row(form, self.tr("&User name"), self.username)
        _row(form, self.tr("&Password"), self.password)
        _row(form, self.tr("&Repeat it"), self.repeat)
        self.column.addLayout(form)
        self.column.addStretch(1)
        self.username.returnPressed.connect(self.password.setFocus)
        self.password.returnPressed.connect(self.repeat.setFocus)

    def first_field(self) -> QWidget | None:
        return self.username

    def problem(self) -> tuple[str, QLineEdit | None]:
        """What is wrong, in words, and the field to fix; ("", None) when nothing is."""
        if username_problem(self.username.text().strip()):
            return self.tr("Write a user name: 1 to 64 characters, no spaces."), self.username
        password = self.password.text()
        problem = password_problem(password)
        key = problem.key if problem is not None else ""
        if key == "password.too_short":
            return self.tr("The password needs at least 10 characters."), self.password
        if key == "password.spaces":
            return self.tr("The password cannot start or end with spaces."), self.password
        if problem:
            return (
                self.tr("The password is too repetitive. Use more different characters."),
                self.password,
            )
        if self.repeat.text() != password:
            return self.tr("The two passwords differ. Type the same one twice."), self.repeat
        return "", None


class ShiftStep(Step):
    def __init__(self) -> None:
        super().__init__(self.tr("The first shift"), "")
        self.set_existing([])
        self.name = QLineEdit()
        self.name.setMaxLength(MAX_SHIFT_NAME_LENGTH)
        self.name.setMinimumWidth(300)
        self.name.setPlaceholderText(self.tr("e.g. Warehouse mornings"))
        self.start = QTimeEdit(QTime(9, 0))
        self.end = QTimeEdit(QTime(17, 0))
        for edit in (self.start, self.end):
            edit.setDisplayFormat("HH:mm")
            edit.setMinimumWidth(120)
        self.days: list[QCheckBox] = []
        days = QWidget()
        grid = QGridLayout(days)
        grid.setContentsMargins(0, 0, 0, 0)
        for index, label in enumerate(weekday_names()):
            box = QCheckBox(label)
            box.setChecked(index < 5)
            self.days.append(box)
            grid.addWidget(box, 0, index)
        form = _form()
        _row(form, self.tr("&Name"), self.name)
        _row(form, self.tr("&Starts"), self.start)
        _row(form, self.tr("&Ends"), self.end)
        _row(form, self.tr("Days"), days)
        self.column.addLayout(form)
        self.column.addWidget(
            _intro(self.tr("An end before the start crosses midnight (a night shift)."))
        )
        self.column.addStretch(1)

    def first_field(self) -> QWidget | None:
        return self.name

    def set_existing(self, names: list[str]) -> None:
        self.intro.setText(
            self.tr(
                "When people are expected, to tell who arrives late. The usual ones are "
                "there already ({names}); add yours, or skip this and do it later in "
                "Settings, Shifts."
            ).format(names=", ".join(names) or "—")
        )

    def value(self) -> ShiftInput:
        start, end = self.start.time(), self.end.time()
        return ShiftInput(
            name=self.name.text().strip(),
            start=time(start.hour(), start.minute()),
            end=time(end.hour(), end.minute()),
            weekdays=frozenset(i for i, box in enumerate(self.days) if box.isChecked()),
        )

    def problem(self) -> str:
        if not self.name.text().strip():
            return self.tr("Write the shift's name, or press Skip.")
        if self.start.time() == self.end.time():
            return self.tr("A shift cannot start and end at the same time.")
        if not any(box.isChecked() for box in self.days):
            return self.tr("Tick at least one day.")
        return ""


class DoneStep(Step):
    def __init__(self, username: str) -> None:
        super().__init__(self.tr("Ready"), "")
        self.set_user(username)
        self.enrol = choice(self.tr("Enroll the first employee"))
        self.enrol.setProperty("role", "primary")
        self.central = choice(self.tr("Join a central database"))
        self.kiosk = choice(self.tr("Go to the kiosk screen"))
        for button, note in (
            (self.enrol, self.tr("Add a person, then take their face from the camera.")),
            (
                self.central,
                self.tr(
                    "For several kiosks sharing employees and records: the join file made "
                    "on the server, on a USB stick."
                ),
            ),
            (self.kiosk, self.tr("Nothing more now; F2 or ⚙ opens the settings later.")),
        ):
            self.column.addWidget(button, 0, Qt.AlignmentFlag.AlignLeft)
            self.column.addWidget(_intro(note))
        self.column.addStretch(1)

    def set_user(self, username: str) -> None:
        self.intro.setText(
            self.tr(
                "You are signed in as {user}. What next? Either way you stay in the settings; "
                "the kiosk screen is one button away."
            ).format(user=username)
        )
