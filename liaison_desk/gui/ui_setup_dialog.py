# -*- coding: utf-8 -*-

################################################################################
## Form generated from reading UI file 'setup_dialog.ui'
##
## Created by: Qt User Interface Compiler version 6.12.0
##
## WARNING! All changes made in this file will be lost when recompiling UI file!
################################################################################

from PySide6.QtCore import (QCoreApplication, QDate, QDateTime, QLocale,
    QMetaObject, QObject, QPoint, QRect,
    QSize, QTime, QUrl, Qt)
from PySide6.QtGui import (QBrush, QColor, QConicalGradient, QCursor,
    QFont, QFontDatabase, QGradient, QIcon,
    QImage, QKeySequence, QLinearGradient, QPainter,
    QPalette, QPixmap, QRadialGradient, QTransform)
from PySide6.QtWidgets import (QAbstractButton, QApplication, QCheckBox, QComboBox,
    QDateEdit, QDialog, QDialogButtonBox, QFormLayout,
    QLabel, QLineEdit, QSizePolicy, QSpacerItem,
    QVBoxLayout, QWidget)

class Ui_SetupDialog(object):
    def setupUi(self, SetupDialog):
        if not SetupDialog.objectName():
            SetupDialog.setObjectName(u"SetupDialog")
        SetupDialog.resize(560, 420)
        self.mainLayout = QVBoxLayout(SetupDialog)
        self.mainLayout.setObjectName(u"mainLayout")
        self.introLabel = QLabel(SetupDialog)
        self.introLabel.setObjectName(u"introLabel")
        self.introLabel.setWordWrap(True)

        self.mainLayout.addWidget(self.introLabel)

        self.formLayout = QFormLayout()
        self.formLayout.setObjectName(u"formLayout")
        self.schoolLabel = QLabel(SetupDialog)
        self.schoolLabel.setObjectName(u"schoolLabel")

        self.formLayout.setWidget(0, QFormLayout.ItemRole.LabelRole, self.schoolLabel)

        self.schoolEdit = QLineEdit(SetupDialog)
        self.schoolEdit.setObjectName(u"schoolEdit")
        self.schoolEdit.setMaxLength(100)

        self.formLayout.setWidget(0, QFormLayout.ItemRole.FieldRole, self.schoolEdit)

        self.policyLabel = QLabel(SetupDialog)
        self.policyLabel.setObjectName(u"policyLabel")

        self.formLayout.setWidget(1, QFormLayout.ItemRole.LabelRole, self.policyLabel)

        self.policyCombo = QComboBox(SetupDialog)
        self.policyCombo.setObjectName(u"policyCombo")

        self.formLayout.setWidget(1, QFormLayout.ItemRole.FieldRole, self.policyCombo)

        self.policyInfo = QLabel(SetupDialog)
        self.policyInfo.setObjectName(u"policyInfo")
        self.policyInfo.setWordWrap(True)

        self.formLayout.setWidget(2, QFormLayout.ItemRole.FieldRole, self.policyInfo)

        self.termLabel = QLabel(SetupDialog)
        self.termLabel.setObjectName(u"termLabel")

        self.formLayout.setWidget(3, QFormLayout.ItemRole.LabelRole, self.termLabel)

        self.termEdit = QLineEdit(SetupDialog)
        self.termEdit.setObjectName(u"termEdit")

        self.formLayout.setWidget(3, QFormLayout.ItemRole.FieldRole, self.termEdit)

        self.startLabel = QLabel(SetupDialog)
        self.startLabel.setObjectName(u"startLabel")

        self.formLayout.setWidget(4, QFormLayout.ItemRole.LabelRole, self.startLabel)

        self.startEdit = QDateEdit(SetupDialog)
        self.startEdit.setObjectName(u"startEdit")
        self.startEdit.setCalendarPopup(True)

        self.formLayout.setWidget(4, QFormLayout.ItemRole.FieldRole, self.startEdit)

        self.endLabel = QLabel(SetupDialog)
        self.endLabel.setObjectName(u"endLabel")

        self.formLayout.setWidget(5, QFormLayout.ItemRole.LabelRole, self.endLabel)

        self.endEdit = QDateEdit(SetupDialog)
        self.endEdit.setObjectName(u"endEdit")
        self.endEdit.setCalendarPopup(True)

        self.formLayout.setWidget(5, QFormLayout.ItemRole.FieldRole, self.endEdit)

        self.demoCheck = QCheckBox(SetupDialog)
        self.demoCheck.setObjectName(u"demoCheck")

        self.formLayout.setWidget(6, QFormLayout.ItemRole.FieldRole, self.demoCheck)


        self.mainLayout.addLayout(self.formLayout)

        self.laterLabel = QLabel(SetupDialog)
        self.laterLabel.setObjectName(u"laterLabel")
        self.laterLabel.setWordWrap(True)

        self.mainLayout.addWidget(self.laterLabel)

        self.errorLabel = QLabel(SetupDialog)
        self.errorLabel.setObjectName(u"errorLabel")
        self.errorLabel.setStyleSheet(u"color: #b00020;")
        self.errorLabel.setWordWrap(True)

        self.mainLayout.addWidget(self.errorLabel)

        self.spacer = QSpacerItem(0, 0, QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Expanding)

        self.mainLayout.addItem(self.spacer)

        self.buttons = QDialogButtonBox(SetupDialog)
        self.buttons.setObjectName(u"buttons")
        self.buttons.setStandardButtons(QDialogButtonBox.StandardButton.Cancel|QDialogButtonBox.StandardButton.Ok)

        self.mainLayout.addWidget(self.buttons)

#if QT_CONFIG(shortcut)
        self.schoolLabel.setBuddy(self.schoolEdit)
        self.policyLabel.setBuddy(self.policyCombo)
        self.termLabel.setBuddy(self.termEdit)
        self.startLabel.setBuddy(self.startEdit)
        self.endLabel.setBuddy(self.endEdit)
#endif // QT_CONFIG(shortcut)

        self.retranslateUi(SetupDialog)

        QMetaObject.connectSlotsByName(SetupDialog)
    # setupUi

    def retranslateUi(self, SetupDialog):
        SetupDialog.setWindowTitle(QCoreApplication.translate("SetupDialog", u"\u65b0\u5efa\u53f0\u8d26", None))
        self.introLabel.setText(QCoreApplication.translate("SetupDialog", u"\u6b22\u8fce\u4f7f\u7528\u8054\u7cfb\u5de5\u4f5c\u53f0\u3002\u8bf7\u9009\u62e9\u672c\u6821\u6267\u884c\u7684\u8054\u7cfb\u5236\u5ea6\u2014\u2014\u4e94\u4efd\u6587\u4ef6\u7684\u9884\u8bbe\u4e4b\u4e00\u3001\u201c\u672c\u6821\uff08\u4ece\u7a7a\u767d\u5f00\u59cb\uff09\u201d\uff0c\u6216\u5bfc\u5165\u522b\u5904\u5bfc\u51fa\u7684\u653f\u7b56\u6587\u4ef6\u2014\u2014\u5e76\u8bbe\u7f6e\u5f53\u524d\u5b66\u671f\u3002", None))
        self.schoolLabel.setText(QCoreApplication.translate("SetupDialog", u"\u5b66\u6821\u540d\u79f0(&S)", None))
        self.schoolEdit.setPlaceholderText(QCoreApplication.translate("SetupDialog", u"\u5982\uff1a\u67d0\u67d0\u5927\u5b66", None))
        self.policyLabel.setText(QCoreApplication.translate("SetupDialog", u"\u8054\u7cfb\u5236\u5ea6(&P)", None))
        self.termLabel.setText(QCoreApplication.translate("SetupDialog", u"\u5f53\u524d\u5b66\u671f(&T)", None))
        self.termEdit.setPlaceholderText(QCoreApplication.translate("SetupDialog", u"\u5982 2025-2026-1", None))
        self.startLabel.setText(QCoreApplication.translate("SetupDialog", u"\u5f00\u5b66\u65e5\u671f", None))
        self.startEdit.setDisplayFormat(QCoreApplication.translate("SetupDialog", u"yyyy-MM-dd", None))
        self.endLabel.setText(QCoreApplication.translate("SetupDialog", u"\u5b66\u671f\u7ed3\u675f", None))
        self.endEdit.setDisplayFormat(QCoreApplication.translate("SetupDialog", u"yyyy-MM-dd", None))
        self.demoCheck.setText(QCoreApplication.translate("SetupDialog", u"\u586b\u5165\u6f14\u793a\u6570\u636e\uff08\u4f9b\u719f\u6089\u64cd\u4f5c\uff0c\u6b63\u5f0f\u4f7f\u7528\u524d\u8bf7\u65b0\u5efa\u53f0\u8d26\uff09(&D)", None))
        self.laterLabel.setText(QCoreApplication.translate("SetupDialog", u"\u4ee5\u540e\u4fee\u6539\uff1a\u8054\u7cfb\u5236\u5ea6\u5728\u5de6\u4fa7\u201c\u8fbe\u6807\u68c0\u67e5\u201d\u9875\u53f3\u4e0a\u89d2\u7684\u201c\u7f16\u8f91\u5236\u5ea6\u2026\u201d\u4e2d\uff08\u589e\u5220\u89c4\u5219\u3001\u6539\u6570\u5b57\u3001\u5bfc\u5165\u5bfc\u51fa\u653f\u7b56\u6587\u4ef6\uff09\uff1b\u5b66\u671f\u5728\u201c\u8bbe\u7f6e\u201d\u4e2d\u3002", None))
    # retranslateUi

