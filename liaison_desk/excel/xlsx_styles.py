"""The look of cells in the workbooks the program writes: one `Look` per kind of cell, collected
into styles.xml once at the end (see xlsx). Also the XML escaping every part of a workbook uses."""

from __future__ import annotations

import re
from dataclasses import dataclass

NS_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
XML_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'

_ILLEGAL_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def xml_escape(text: str) -> str:
    """Text for an XML element or attribute; characters XML cannot hold are dropped."""
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
    if _ILLEGAL_XML.search(text):
        text = _ILLEGAL_XML.sub("", text)
    return text


@dataclass(frozen=True)
class Look:
    """How a cell looks; each distinct Look becomes one cell format (xf) in styles.xml."""

    bold: bool = False
    size: float = 11
    color: str = ""  # font colour, RRGGBB
    fill: str = ""  # background, RRGGBB
    border: bool = False
    wrap: bool = False
    halign: str = ""  # left / center / right
    valign: str = "center"
    number_format: str = ""
    quote: bool = False  # quotePrefix: the text is text, even if it looks like a formula


FONT_NAME = "宋体"
BORDER_COLOUR = "A6A6A6"


class Styles:
    """The workbook's formats, collected as they are asked for and written once at the end."""

    def __init__(self) -> None:
        self.fonts: list[tuple[bool, float, str]] = [(False, 11, "")]
        self.fills: list[str] = ["", "gray125"]
        self.formats: dict[str, int] = {}
        self.looks: dict[Look, int] = {Look(valign=""): 0}

    def index(self, look: Look) -> int:
        found = self.looks.get(look)
        if found is None:
            found = self.looks[look] = len(self.looks)
            font = (look.bold, look.size, look.color)
            if font not in self.fonts:
                self.fonts.append(font)
            if look.fill and look.fill not in self.fills:
                self.fills.append(look.fill)
            if look.number_format and look.number_format not in self.formats:
                self.formats[look.number_format] = 164 + len(self.formats)
        return found

    def xml(self) -> str:
        parts = [XML_HEAD, f'<styleSheet xmlns="{NS_MAIN}">']
        if self.formats:
            parts.append(f'<numFmts count="{len(self.formats)}">')
            parts += [f'<numFmt numFmtId="{i}" formatCode="{xml_escape(code)}"/>' for code, i in self.formats.items()]
            parts.append("</numFmts>")
        parts.append(f'<fonts count="{len(self.fonts)}">')
        for bold, size, color in self.fonts:
            parts.append("<font>" + ("<b/>" if bold else "") + f'<sz val="{size:g}"/>'
                         + (f'<color rgb="FF{color}"/>' if color else "")
                         + f'<name val="{FONT_NAME}"/><family val="3"/><charset val="134"/></font>')
        parts.append(f'</fonts><fills count="{len(self.fills)}">')
        parts.append('<fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill>')
        parts += [f'<fill><patternFill patternType="solid"><fgColor rgb="FF{c}"/><bgColor indexed="64"/>'
                  f"</patternFill></fill>" for c in self.fills[2:]]
        side = f'style="thin"><color rgb="FF{BORDER_COLOUR}"/>'
        parts.append('</fills><borders count="2"><border><left/><right/><top/><bottom/><diagonal/></border>'
                     f"<border><left {side}</left><right {side}</right><top {side}</top>"
                     f"<bottom {side}</bottom><diagonal/></border></borders>")
        parts.append('<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>')
        parts.append(f'<cellXfs count="{len(self.looks)}">')
        for look in sorted(self.looks, key=self.looks.__getitem__):
            parts.append(self._xf(look))
        parts.append('</cellXfs><cellStyles count="1"><cellStyle name="常规" xfId="0" builtinId="0"/></cellStyles>')
        parts.append("</styleSheet>")
        return "".join(parts)

    def _xf(self, look: Look) -> str:
        font = self.fonts.index((look.bold, look.size, look.color))
        fill = self.fills.index(look.fill) if look.fill else 0
        fmt = self.formats.get(look.number_format, 0)
        attrs = (f'numFmtId="{fmt}" fontId="{font}" fillId="{fill}" borderId="{int(look.border)}" xfId="0"'
                 + (' applyNumberFormat="1"' if fmt else "") + (' applyFont="1"' if font else "")
                 + (' applyFill="1"' if fill else "") + (' applyBorder="1"' if look.border else "")
                 + (' quotePrefix="1"' if look.quote else ""))
        align = ((' wrapText="1"' if look.wrap else "") + (f' horizontal="{look.halign}"' if look.halign else "")
                 + (f' vertical="{look.valign}"' if look.valign else ""))
        if align:
            return f'<xf {attrs} applyAlignment="1"><alignment{align}/></xf>'
        return f"<xf {attrs}/>"


TITLE = Look(bold=True, size=15, halign="center")
SUBTITLE = Look(size=10, color="595959", halign="left")
HEADER = Look(bold=True, fill="DDEBF7", border=True, wrap=True, halign="center")
REQUIRED_HEADER = Look(bold=True, fill="FCE4D6", border=True, wrap=True, halign="center")
