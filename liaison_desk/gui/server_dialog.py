"""文件 → 连接服务器台账…: open a ledger on a PostgreSQL server in a new window.

The server, port, database and user are remembered (QSettings); the password is asked each time
and handed only to the new window's process, as libpq's PGPASSWORD — never written anywhere.
"""

from __future__ import annotations

import os
import sys
from urllib.parse import quote

from PySide6.QtCore import QProcess, QProcessEnvironment, QSettings
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QSpinBox, QWidget

from ..errors import BadInput
from ..store.server import check_url

KEYS = ("host", "port", "database", "user")


class ServerDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("连接服务器台账")
        remembered = QSettings()
        self.host = QLineEdit(str(remembered.value("server/host", "")))
        self.port = QSpinBox()
        self.port.setRange(1, 65535)
        self.port.setValue(int(remembered.value("server/port", 5432)))
        self.database = QLineEdit(str(remembered.value("server/database", "liaison")))
        self.user = QLineEdit(str(remembered.value("server/user", "")))
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setPlaceholderText("不保存；留空则使用 .pgpass")
        self.status = QLabel("")
        self.status.setWordWrap(True)
        form = QFormLayout(self)
        form.addRow("服务器", self.host)
        form.addRow("端口", self.port)
        form.addRow("数据库", self.database)
        form.addRow("用户", self.user)
        form.addRow("密码", self.password)
        form.addRow(self.status)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("连接")
        buttons.accepted.connect(self.connect_ledger)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def url(self) -> str:
        """postgresql://USER@HOST:PORT/DATABASE from the fields (checked; no password in it)."""
        host, database, user = self.host.text().strip(), self.database.text().strip(), self.user.text().strip()
        if not host or not database or not user:
            raise BadInput("请填写服务器、数据库和用户")
        return check_url(f"postgresql://{quote(user, safe='')}@{host}:{self.port.value()}/{quote(database, safe='')}")

    def connect_ledger(self) -> None:
        try:
            url = self.url()
        except BadInput as e:
            self.status.setText(e.message)
            return
        remembered = QSettings()
        for key, value in zip(KEYS, (self.host.text().strip(), self.port.value(), self.database.text().strip(),
                                     self.user.text().strip()), strict=True):
            remembered.setValue(f"server/{key}", value)
        if not open_window(url, self.password.text()):
            self.status.setText("未能启动新窗口")
            return
        self.password.clear()
        self.accept()


def open_window(url: str, password: str) -> bool:
    """The program again, in its own process, on the server ledger; the password in its environment only."""
    environment = QProcessEnvironment.systemEnvironment()
    if password:
        environment.insert("PGPASSWORD", password)
    process = QProcess()
    process.setProcessEnvironment(environment)
    frozen = getattr(sys, "frozen", False)
    process.setProgram(sys.executable)
    process.setArguments(["--db", url] if frozen else ["-m", "liaison_desk", "--db", url])
    process.setWorkingDirectory(os.getcwd())
    return bool(process.startDetached()[0])
