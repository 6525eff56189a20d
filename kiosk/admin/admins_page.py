"""Administrators: add one, disable or enable one, give one a new password; without a terminal.

Every change goes through ``core.people.users.AuthService`` and is audited there. Nobody disables
their own account or the last active administrator (core refuses; the page says why), so
the settings can always be opened again. A reset password is a temporary one: its owner
chooses their own at the next sign-in (the sign-in screen asks).
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from PySide6.QtWidgets import (
    QAbstractItemView,
    QGroupBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from core.people.users import Account, username_problem
from core.secrets.passwords import password_problem
from kiosk.admin.page import AdminContext, AdminPage, add_row, button, form_layout, row
from kiosk.onscreen_keyboard import OnscreenKeyboard


def _secret() -> QLineEdit:
    field = QLineEdit()
    field.setEchoMode(QLineEdit.EchoMode.Password)
    field.setMinimumWidth(260)
    return field


class AdminsPage(AdminPage):
    def __init__(self, admin: AdminContext, parent: QWidget | None = None) -> None:
        super().__init__(admin, parent)
        self.set_intro(
            self.tr(
                "People who can open these settings. Keep at least two, so that one can "
                "let the other back in."
            )
        )
        self.accounts: list[Account] = []
        self.table = QTableWidget(0, 3)
        self.table.setHorizontalHeaderLabels(
            [self.tr("User name"), self.tr("Status"), self.tr("Last sign-in")]
        )
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.setMinimumHeight(150)
        self.table.setMaximumHeight(200)
        self.toggle_button = button(self.tr("&Disable"))
        self.reset_password = _secret()
        self.reset_repeat = _secret()
        self.reset_button = button(self.tr("Set this &temporary password"))
        selected = QGroupBox(self.tr("The selected administrator"))
        selected_form = form_layout(selected)
        selected_form.addRow(row(self.toggle_button))
        add_row(selected_form, self.tr("New pass&word"), self.reset_password)
        add_row(selected_form, self.tr("Repeat it"), self.reset_repeat)
        selected_form.addRow("", row(self.reset_button))
        note = QLabel(self.tr("They choose their own password at their next sign-in."))
        note.setObjectName("PageIntro")
        note.setWordWrap(True)
        selected_form.addRow("", note)

        self.new_name = QLineEdit()
        self.new_name.setMaxLength(64)
        self.new_name.setMinimumWidth(260)
        self.new_password = _secret()
        self.new_repeat = _secret()
        self.add_button = button(self.tr("&Add administrator"), "primary")
        add = QGroupBox(self.tr("A new administrator"))
        add_form = form_layout(add)
        add_row(add_form, self.tr("&User name"), self.new_name)
        add_row(add_form, self.tr("&Password"), self.new_password)
        add_row(add_form, self.tr("&Repeat it"), self.new_repeat)
        add_form.addRow("", row(self.add_button))

        self.body.addWidget(self.table)
        self.body.addWidget(selected)
        self.body.addWidget(add)
        self.body.addStretch(1)
        self.keyboard = OnscreenKeyboard(self, self.ctx.settings.onscreen_keyboard)
        self.layout().addWidget(self.keyboard)  # type: ignore[union-attr]

        self.table.itemSelectionChanged.connect(self._selection_changed)
        self.toggle_button.clicked.connect(self.toggle_active)
        self.reset_button.clicked.connect(self.reset)
        self.add_button.clicked.connect(self.add)
        self._selection_changed()

    def title(self) -> str:
        return self.tr("Administrators")

    def activate(self) -> None:
        self.reload()

    def reload(self, select: str | None = None) -> None:
        current = self.selected()
        keep = select or (current.username if current else None)
        auth = self.ctx.auth()
        self.run(auth.accounts, lambda accounts: self._fill(accounts, keep))

    def _fill(self, accounts: list[Account], select: str | None) -> None:
        self.accounts = accounts
        self.table.setRowCount(len(accounts))
        zone = self.ctx.settings.zone
        for index, account in enumerate(accounts):
            cells = (account.username, self._status(account), _when(account.last_login_at, zone))
            for column, text in enumerate(cells):
                self.table.setItem(index, column, QTableWidgetItem(text))
            if account.username == select:
                self.table.selectRow(index)
        self.table.resizeColumnsToContents()
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self._selection_changed()

    def _status(self, account: Account) -> str:
        if not account.active:
            return self.tr("disabled")
        parts = [self.tr("active")]
        if account.username == self.admin.session.username:
            parts.append(self.tr("you"))
        if account.locked_until is not None and account.locked_until > datetime.now(
            account.locked_until.tzinfo
        ):
            parts.append(self.tr("locked after failed attempts"))
        if account.must_change_password:
            parts.append(self.tr("must choose a new password"))
        return ", ".join(parts)

    def selected(self) -> Account | None:
        model = self.table.selectionModel()
        rows = model.selectedRows() if model else []
        if not rows or rows[0].row() >= len(self.accounts):
            return None
        return self.accounts[rows[0].row()]

    def select_user(self, username: str) -> None:
        for index, account in enumerate(self.accounts):
            if account.username == username:
                self.table.selectRow(index)

    def _selection_changed(self) -> None:
        account = self.selected()
        mine = account is not None and account.username == self.admin.session.username
        disabled = account is not None and not account.active
        self.toggle_button.setText(self.tr("&Enable") if disabled else self.tr("&Disable"))
        for widget in (self.toggle_button, self.reset_button):
            widget.setEnabled(account is not None and not mine)
        tip = self.tr("Your own account: change your password on the Kiosk page.") if mine else ""
        self.toggle_button.setToolTip(tip)
        self.reset_button.setToolTip(tip)

    # --- changes ----------------------------------------------------------------------
    def toggle_active(self) -> None:
        account = self.selected()
        if account is None:
            self.show_notice(self.tr("Choose an administrator in the list."), "bad")
            return
        auth, actor = self.ctx.auth(), self.admin.actor
        name, enable = account.username, not account.active

        def done(_none: None) -> None:
            self.show_notice(
                (
                    self.tr("{user} can sign in again.")
                    if enable
                    else self.tr("{user} can no longer sign in.")
                ).format(user=name),
                "ok",
            )
            self.reload(name)

        self.run(lambda: auth.set_active(actor, name, enable), done, self._refused)

    def reset(self) -> None:
        account = self.selected()
        if account is None:
            self.show_notice(self.tr("Choose an administrator in the list."), "bad")
            return
        password = self.reset_password.text()
        if problem := self._password_problem(password, self.reset_repeat.text()):
            self.show_notice(problem, "bad")
            return
        auth, actor, name = self.ctx.auth(), self.admin.actor, account.username

        def done(_none: None) -> None:
            self.reset_password.clear()
            self.reset_repeat.clear()
            self.show_notice(
                self.tr(
                    "{user} has a temporary password now; tell it to them. They choose "
                    "their own at their next sign-in."
                ).format(user=name),
                "ok",
            )
            self.reload(name)

        self.run(lambda: auth.reset_password(actor, name, password), done, self._refused)

    def add(self) -> None:
        name = self.new_name.text().strip()
        if username_problem(name):
            self.show_notice(self.tr("Write a user name: 1 to 64 characters, no spaces."), "bad")
            self.new_name.setFocus()
            return
        password = self.new_password.text()
        if problem := self._password_problem(password, self.new_repeat.text()):
            self.show_notice(problem, "bad")
            self.new_password.setFocus()
            return
        auth, actor = self.ctx.auth(), self.admin.actor

        def done(_none: None) -> None:
            for field in (self.new_name, self.new_password, self.new_repeat):
                field.clear()
            self.show_notice(self.tr("{user} can now open the settings.").format(user=name), "ok")
            self.reload(name)

        self.run(lambda: auth.add_user(actor, name, password, "admin"), done, self._refused)

    def _password_problem(self, password: str, repeat: str) -> str:
        if problem := password_problem(password):
            if "at least" in problem:
                return self.tr("The password needs at least 10 characters.")
            if "spaces" in problem:
                return self.tr("The password cannot start or end with spaces.")
            return self.tr("The password is too repetitive. Use more different characters.")
        if repeat != password:
            return self.tr("The two passwords differ. Type the same one twice.")
        return ""

    def _refused(self, exc: BaseException) -> None:
        text = str(exc)
        if "last active administrator" in text:
            self.show_notice(
                self.tr(
                    "This is the last active administrator: add or enable another one first, "
                    "so that someone can still open the settings."
                ),
                "bad",
            )
        elif "your own account" in text:
            self.show_notice(self.tr("You cannot disable your own account."), "bad")
        elif "already exists" in text:
            self.show_notice(self.tr("That user name is taken. Choose another."), "bad")
        else:
            self.show_error(exc)


def _when(moment: datetime | None, zone: ZoneInfo) -> str:
    return "—" if moment is None else f"{moment.astimezone(zone):%Y-%m-%d %H:%M}"
