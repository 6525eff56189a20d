"""Sync: the central database's address, a connection test, and what is waiting.

Until an address is saved the kiosk works alone ("not configured"): every record stays in
its local store. The plain way to join a central database is its join file (made by
``central add-kiosk``) and passphrase: ``kiosk.join_panel``, at the top. Otherwise the
address is given in plain fields (server, port, database, user, password, encryption) that
core composes into the URL, percent-encoded; the raw
``postgresql://`` field is under Advanced, for what the plain fields cannot say (a
certificate to check, several hosts). The password is never shown back: its field stays
empty, and left empty it keeps the saved one.
"""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from core.config import Settings
from core.errors import UsageError
from core.host.redact import mask_secrets
from core.i18n import text_in
from core.runtime.setup import CentralAddress, address_problem, compose_url, parse_url, url_password
from core.sync.status import SyncStatus
from kiosk import theme
from kiosk.admin.page import AdminContext, AdminPage, add_row, button, form_layout, row
from kiosk.i18n import window_language
from kiosk.join_flow import JoinService
from kiosk.join_panel import JoinPanel
from kiosk.messages import sync_error_text

CONNECT_TIMEOUT_S = 5


def check_connection(url: str) -> str:
    """Connect once and return the server's version line; raises on failure (worker thread)."""
    import psycopg  # only this check needs it

    dsn = url.replace("postgresql+psycopg://", "postgresql://", 1)
    with psycopg.connect(dsn, connect_timeout=CONNECT_TIMEOUT_S) as connection:
        row_ = connection.execute("select version()").fetchone()
    return str(row_[0]).split(",")[0] if row_ else "PostgreSQL"


class SyncPage(AdminPage):
    def __init__(self, admin: AdminContext, parent: QWidget | None = None) -> None:
        super().__init__(admin, parent)
        self.state = QLabel()
        self.state.setWordWrap(True)
        self.state.setMinimumWidth(340)
        self.pending = QLabel()
        self.last = QLabel()
        self.error = QLabel()
        self.error.setWordWrap(True)
        # Read-only: the central database decides a kiosk's site (central site assign-kiosk).
        self.site = QLabel()
        self.site.setWordWrap(True)
        status = QGroupBox(self.tr("Status"))
        status_form = form_layout(status)
        # Its sentences wrap: at their natural width a form row keeps one line's height.
        status_form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        add_row(status_form, self.tr("Central database"), self.state)
        add_row(status_form, self.tr("Records waiting"), self.pending)
        add_row(status_form, self.tr("Last sync"), self.last)
        add_row(status_form, self.tr("Last problem"), self.error)
        add_row(status_form, self.tr("Site"), self.site)

        self.current = QLabel()
        self.current.setWordWrap(True)
        # A joined kiosk's address on one line: at its narrowest it wrapped into lines
        # taller than the row kept for it, and was cut.
        self.current.setMinimumWidth(480)
        self._build_plain_fields()
        self.url = QLineEdit()
        self.url.setMinimumWidth(320)
        self.url.setEchoMode(QLineEdit.EchoMode.PasswordEchoOnEdit)
        self.url.setPlaceholderText("postgresql://kiosk:password@server:5432/asistencia")
        self.url.setAccessibleName(self.tr("Central database address"))
        self.save_button = button(self.tr("&Save address"), "primary")
        self.remove_button = button(self.tr("&Remove address"))
        self.test_button = button(self.tr("&Test connection"))
        self.sync_button = button(self.tr("Sync &now"))
        self.test_result = QLabel()
        self.test_result.setObjectName("Notice")
        self.test_result.setWordWrap(True)
        self.test_result.hide()

        address = self._address_group()
        self.body.addWidget(status)
        self.body.addWidget(self._join_group())
        self.body.addWidget(address)
        self.body.addLayout(row(self.advanced_button))
        self.body.addWidget(self.advanced)
        self.body.addStretch(1)
        self.advanced_button.toggled.connect(self.show_advanced)

        self.save_button.clicked.connect(self.save)
        self.remove_button.clicked.connect(self.remove)
        self.test_button.clicked.connect(self.test)
        self.sync_button.clicked.connect(self.sync_now)
        admin.feed.sync_status.connect(self.show_status)

    def _join_group(self) -> QGroupBox:
        admin = self.admin
        service = JoinService(admin.ctx, admin.settings, admin.net_tasks, admin.join)
        self.join_panel = JoinPanel(service, admin.actor)
        self.join_panel.busy_changed.connect(self._joining)
        self.join_panel.joined.connect(lambda _outcome: self.activate())
        group = QGroupBox(self.tr("Join a central database"))
        QVBoxLayout(group).addWidget(self.join_panel)
        return group

    def _joining(self, busy: bool) -> None:
        """While joining, the address is not saved, removed or tried under it."""
        self._set_busy(self._busy_count + (1 if busy else -1))
        for widget in (self.save_button, self.test_button):
            widget.setEnabled(not busy)
        self.remove_button.setEnabled(not busy and self.ctx.settings.central_configured)
        if busy:
            self.sync_button.setEnabled(False)
        else:
            self._update_sync_button()

    def _address_group(self) -> QGroupBox:
        address = QGroupBox(self.tr("Central database"))
        address_form = form_layout(address)
        add_row(address_form, self.tr("In use"), self.current)
        server = row(self.host, QLabel(self.tr("Port")), self.port)
        add_row(address_form, self.tr("&Server"), server, self.host)
        add_row(address_form, self.tr("Data&base"), self.database)
        add_row(address_form, self.tr("&User"), self.user)
        add_row(address_form, self.tr("Pass&word"), self.password)
        add_row(address_form, self.tr("Encryption"), self.tls)
        address_form.addRow("", row(self.save_button, self.remove_button))
        address_form.addRow("", row(self.test_button, self.sync_button))
        address_form.addRow("", self.test_result)
        self.advanced_button = button(self.tr("Advanced settings ▸"))
        self.advanced_button.setCheckable(True)
        self.advanced = QGroupBox(self.tr("Advanced: the address as a URL"))
        advanced_form = form_layout(self.advanced)
        add_row(advanced_form, self.tr("New &address"), self.url)
        note = QLabel(
            self.tr(
                "For what the fields above cannot say, e.g. ?sslmode=verify-full&sslrootcert=… "
                "When filled, it is saved instead of the fields."
            )
        )
        note.setObjectName("PageIntro")
        note.setWordWrap(True)
        advanced_form.addRow("", note)
        self.advanced.hide()
        return address

    def _build_plain_fields(self) -> None:
        self.host = QLineEdit()
        self.host.setMinimumWidth(300)
        self.host.setPlaceholderText(self.tr("e.g. db.example.com"))
        self.host.setAccessibleName(self.tr("Server"))
        self.port = QSpinBox()
        self.port.setRange(1, 65_535)
        self.port.setValue(5432)
        self.port.setMaximumWidth(120)
        self.port.setAccessibleName(self.tr("Port"))
        self.database = QLineEdit("asistencia")
        self.database.setMinimumWidth(220)
        self.user = QLineEdit()
        self.user.setMinimumWidth(220)
        self.password = QLineEdit()
        self.password.setMinimumWidth(220)
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setPlaceholderText(self.tr("unchanged when left empty"))
        self.tls = QCheckBox(self.tr("Encrypt the connection (TLS)"))
        self.tls.setChecked(True)

    def show_advanced(self, shown: bool) -> None:
        self.advanced.setVisible(shown)
        self.advanced_button.setChecked(shown)
        self.advanced_button.setText(
            self.tr("Advanced settings ▾") if shown else self.tr("Advanced settings ▸")
        )

    def address(self) -> CentralAddress:
        return CentralAddress(
            host=self.host.text().strip(),
            port=self.port.value(),
            database=self.database.text().strip(),
            user=self.user.text().strip(),
            password=self.password.text(),
            tls=self.tls.isChecked(),
        )

    def composed_url(self) -> str:
        """The plain fields as a URL; an empty password keeps the saved one."""
        address = self.address()
        if not address.password:
            address = replace(address, password=url_password(self.ctx.settings.central_url()))
        return compose_url(address)

    def _address_problem_text(self, address: CentralAddress) -> str:
        problem = address_problem(address)
        if problem is None:
            return ""
        words = {
            "setup.no_host": self.tr("Write the server's name or IP address."),
            "setup.bad_host": self.tr(
                "The server is a name or an IP address, without spaces, /, ?, # or @."
            ),
            "setup.bad_port": self.tr("The port is a number from 1 to 65535."),
            "setup.no_database": self.tr("Write the database's name."),
            "setup.no_user": self.tr("Write the user name the kiosk connects as."),
        }
        return words.get(problem.key) or text_in(window_language(), problem.key, **problem.params)

    def title(self) -> str:
        return self.tr("Sync")

    def activate(self) -> None:
        self.show_settings(self.ctx.settings)
        self.show_status(self.admin.runtime.sync_status())
        self._update_sync_button()

    def _update_sync_button(self) -> None:
        available = self.ctx.settings.central_configured
        self.sync_button.setEnabled(available)
        if not available:
            tip = self.tr("Save the central database's address first.")
        else:
            tip = self.tr("Start a sync now instead of waiting for the next one.")
        self.sync_button.setToolTip(tip)

    def sync_now(self) -> None:
        if self.admin.runtime.sync_now():
            self._test_result(self.tr("Sync started; the status above follows it."), "info")

    def show_settings(self, settings: Settings) -> None:
        url = settings.central_url()
        self.current.setText(mask_secrets(url) if url else self.tr("not configured"))
        self.remove_button.setEnabled(url is not None)
        plain = parse_url(url) if url else None
        if plain is not None:
            self.host.setText(plain.host)
            self.port.setValue(plain.port)
            self.database.setText(plain.database)
            self.user.setText(plain.user)
            self.tls.setChecked(plain.tls)
        self.password.clear()
        # An address the fields cannot hold is edited where it can be.
        self.show_advanced(url is not None and plain is None)

    def show_status(self, status: SyncStatus) -> None:
        if not status.configured:
            self.state.setText(
                self.tr("Not configured: records stay on this kiosk until an address is saved.")
            )
        else:
            self.state.setText(self.tr("Configured"))
        self.pending.setText(str(status.pending))
        self.last.setText(
            f"{status.last_success.astimezone(self.ctx.settings.zone):%Y-%m-%d %H:%M}"
            if status.last_success
            else self.tr("never")
        )
        self.error.setText(sync_error_text(status) or self.tr("none"))
        self.site.setText(self.site_text(status))

    def site_text(self, status: SyncStatus) -> str:
        if not status.configured:
            return self.tr("none: this kiosk works alone")
        if not status.site_known:
            return self.tr("not known yet: the next sync asks the central database")
        if status.site is None:
            return self.tr("none: this kiosk receives every employee")
        return self.tr(
            "{name} ({code}), set in the central database: this kiosk receives only the "
            "site's employees ({count} here)"
        ).format(name=status.site.name, code=status.site.code, count=status.site.employees)

    def save(self) -> None:
        url = self.url.text().strip()
        if not url:
            if problem := self._address_problem_text(self.address()):
                self.show_notice(problem, "bad")
                return
            url = self.composed_url()

        def saved(settings: Settings) -> None:
            self.url.clear()
            self.password.clear()
            self.show_settings(settings)
            self._update_sync_button()

        self.save_settings({"central_database_url": url}, saved)

    def remove(self) -> None:
        def removed(settings: Settings) -> None:
            self.show_settings(settings)
            self._update_sync_button()

        self.save_settings({"central_database_url": None}, removed)

    def test(self) -> None:
        url = self.url.text().strip()
        if not url and self.host.text().strip():
            try:
                url = self.composed_url()
            except UsageError:
                self._test_result(self._address_problem_text(self.address()), "bad")
                return
        url = url or self.ctx.settings.central_url() or ""
        if not url:
            self._test_result(self.tr("Write an address first."), "bad")
            return
        if not url.startswith(("postgresql://", "postgresql+psycopg://", "postgres://")):
            self._test_result(
                self.tr("The address must start with postgresql://, e.g. {example}").format(
                    example="postgresql://user:password@host:5432/db"
                ),
                "bad",
            )
            return
        self._test_result(
            self.tr("Connecting… (at most {s} s)").format(s=CONNECT_TIMEOUT_S), "info"
        )
        self.test_button.setEnabled(False)

        def ok(version: str) -> None:
            self.test_button.setEnabled(True)
            self._test_result(self.tr("Connected: {version}").format(version=version), "ok")

        def failed(exc: BaseException) -> None:
            self.test_button.setEnabled(True)
            # psycopg's message can quote the address: mask any password in it.
            detail = mask_secrets(str(exc).strip())
            text = self.tr(
                "Could not connect. Check the address, the password and that the server "
                "accepts this kiosk; the details are below."
            )
            if detail:
                text += "\n" + detail.splitlines()[0][:300]
            self._test_result(text, "bad")

        self.admin.net_tasks.submit(lambda: check_connection(url), ok, failed, owner=self)

    def _test_result(self, text: str, tone: str) -> None:
        self.test_result.setText(text)
        self.test_result.setProperty("tone", tone)
        theme.repolish(self.test_result)
        self.test_result.setVisible(bool(text))
