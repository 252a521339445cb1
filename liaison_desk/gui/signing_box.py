"""报表 → 签名与数字证书: a cadre's signature image and the office's certificate, both used when a
sheet is signed and sealed — so, like signing, the party office's to set (#19)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import QFileDialog, QGridLayout, QGroupBox, QInputDialog, QLabel, QLineEdit, QPushButton

from ..errors import BadInput
from ..ledger import clerks
from ..store.models import Cadre
from .folders import user_file
from .office_only import guarded


class SigningBox(QGroupBox):
    def __init__(self, cadre: Callable[[], str], say: Callable[[str], None], fail: Callable[[str], None]) -> None:
        super().__init__("签名与数字证书")
        self.cadre, self.say, self.fail = cadre, say, fail
        sgrid = QGridLayout(self)
        self.signature_image = QLabel()
        self.signature_image.setFixedSize(200, 64)
        self.signature_image.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.signature_image.setStyleSheet("QLabel { border: 1px solid #ccc; background: white; }")
        self.signature_choose_button = QPushButton("录入签名图像…")
        self.signature_clear_button = QPushButton("删除签名图像")
        self.certificate_label = QLabel()
        self.certificate_label.setWordWrap(True)
        self.certificate_label.setMinimumWidth(280)
        self.certificate_choose_button = QPushButton("选择证书文件…")
        self.certificate_clear_button = QPushButton("不使用证书")
        self.office_note = guarded("sign", self.signature_choose_button, self.signature_clear_button,
                                   self.certificate_choose_button, self.certificate_clear_button)
        sgrid.addWidget(QLabel("所选干部的签名"), 0, 0)
        sgrid.addWidget(self.signature_image, 0, 1)
        sgrid.addWidget(self.signature_choose_button, 0, 2)
        sgrid.addWidget(self.signature_clear_button, 0, 3)
        sgrid.addWidget(QLabel("单位数字证书"), 1, 0)
        sgrid.addWidget(self.certificate_label, 1, 1)
        sgrid.addWidget(self.certificate_choose_button, 1, 2)
        sgrid.addWidget(self.certificate_clear_button, 1, 3)
        note = QLabel("签字封存时，如已选择证书，会询问证书密码并加盖数字签名；密码不保存。")
        note.setStyleSheet("color: #666;")
        sgrid.addWidget(note, 2, 0, 1, 4)
        sgrid.addWidget(self.office_note, 3, 0, 1, 4)
        sgrid.setColumnStretch(4, 1)
        self.buttons = (self.signature_choose_button, self.signature_clear_button, self.certificate_choose_button,
                        self.certificate_clear_button)
        self.signature_choose_button.clicked.connect(self.choose_signature)
        self.signature_clear_button.clicked.connect(self.clear_signature)
        self.certificate_choose_button.clicked.connect(self.choose_certificate)
        self.certificate_clear_button.clicked.connect(self.clear_certificate)

    def refresh_signature(self, name: str) -> None:
        cadre = Cadre.get_or_none(Cadre.name == name) if name else None
        if cadre is not None and cadre.signature:
            pixmap = QPixmap()
            pixmap.loadFromData(bytes(cadre.signature))
            self.signature_image.setPixmap(pixmap.scaled(self.signature_image.size(),
                                                         Qt.AspectRatioMode.KeepAspectRatio,
                                                         Qt.TransformationMode.SmoothTransformation))
        else:
            self.signature_image.clear()
            self.signature_image.setText("（未录入）")
        self.signature_clear_button.setEnabled(clerks.may("sign") and bool(cadre is not None and cadre.signature))

    def refresh_certificate(self) -> None:
        from ..paper.signing import certificate_path

        path = certificate_path()
        self.certificate_label.setText(str(path) if path else "（未设置：签字封存不加数字签名）")
        self.certificate_clear_button.setEnabled(clerks.may("sign") and path is not None)

    def choose_signature(self) -> None:
        from ..paper.signing import set_signature_image

        name = self.cadre()
        if not name:
            return
        path, _ = QFileDialog.getOpenFileName(self, f"{name} 的签名图像", user_file(), "图片 (*.png *.jpg *.jpeg)")
        if not path:
            return
        try:
            set_signature_image(name, Path(path).read_bytes())
        except (BadInput, OSError) as e:
            self.fail(str(e))
            return
        self.say(f"已录入 {name} 的签名图像。")
        self.refresh_signature(name)

    def clear_signature(self) -> None:
        from ..paper.signing import set_signature_image

        name = self.cadre()
        try:
            set_signature_image(name, None)
        except BadInput as e:
            self.fail(str(e))
            return
        self.say(f"已删除 {name} 的签名图像。")
        self.refresh_signature(name)

    def choose_certificate(self) -> None:
        from ..paper.signing import load_certificate, set_certificate_path

        path, _ = QFileDialog.getOpenFileName(self, "单位数字证书", user_file(), "PKCS#12 证书 (*.p12 *.pfx)")
        if not path:
            return
        password, ok = QInputDialog.getText(self, "数字证书", "请输入证书密码以核对（不会保存）：",
                                            QLineEdit.EchoMode.Password)
        if not ok:
            return
        try:
            cert = load_certificate(path, password)
            set_certificate_path(path)
        except BadInput as e:
            self.fail(str(e))
            return
        self.say(f"已设置证书：{cert.subject}（有效期至 {cert.not_after:%Y-%m-%d}）。")
        self.refresh_certificate()

    def clear_certificate(self) -> None:
        from ..paper.signing import set_certificate_path

        set_certificate_path(None)
        self.say("已取消证书：签字封存将不加数字签名。")
        self.refresh_certificate()
