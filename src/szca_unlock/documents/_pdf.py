"""Drawing primitives shared by the documents: an A4 fpdf2 page with the CJK fonts,
section bars, label/value grids, signature boxes and a QR code.

Kept apart from the form's content so another CA form reuses the look unchanged.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import qrcode
from fpdf import FPDF, FontFace
from fpdf.enums import Align, WrapMode, XPos, YPos
from qrcode.constants import ERROR_CORRECT_M

from szca_unlock.documents._fonts import find_face

SANS, SERIF = "sans", "serif"
INK = (33, 37, 41)
MUTED = (96, 103, 112)
RULE = (120, 126, 134)
LABEL_FILL = (238, 241, 245)
BAR_FILL = (30, 64, 120)
SEAL_HINT = (226, 160, 160)  # a faint red circle where the red seal goes
MARGIN = 15.0
A4_WIDTH = 210.0


@dataclass(frozen=True, slots=True)
class Cell:
    """One label/value pair of a grid row; ``span`` values take the rest of the row."""

    label: str
    value: str
    span: bool = False


class FormPDF(FPDF):
    def __init__(self, title: str, footer_text: str) -> None:
        super().__init__(orientation="P", unit="mm", format="A4")
        self._footer_text = footer_text
        for family, style in ((SANS, ""), (SANS, "B"), (SERIF, "B")):
            face = find_face(family, "Bold" if style else "Regular")
            self.add_font(family, style, str(face.path), collection_font_number=face.index)
        self.set_margins(MARGIN, MARGIN, MARGIN)
        self.set_auto_page_break(auto=True, margin=18)
        self.set_title(title)
        self.set_lang("zh-CN")
        self.set_creator("szca-unlock")
        self.set_text_color(*INK)
        self.set_draw_color(*RULE)

    @property
    def content_width(self) -> float:
        return A4_WIDTH - 2 * MARGIN

    def footer(self) -> None:
        self.set_y(-13)
        self.set_font(SANS, size=7.5)
        self.set_text_color(*MUTED)
        self.cell(self.content_width / 2, 5, self._footer_text)
        self.cell(self.content_width / 2, 5, f"第 {self.page_no()} 页 共 {{nb}} 页", align=Align.R)
        self.set_text_color(*INK)

    def section(self, title: str) -> None:
        """A dark bar with white text that opens a section of the form."""
        self.ln(2)
        self.set_fill_color(*BAR_FILL)
        self.set_text_color(255, 255, 255)
        self.set_font(SANS, "B", 10)
        self.cell(self.content_width, 6.5, f"  {title}", fill=True,
                  new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_text_color(*INK)

    def grid(
        self, rows: Sequence[Sequence[Cell]], label_width: float = 30, empty: str = "—"
    ) -> None:
        """Rows of one or two label/value pairs, label cells shaded like a printed form.
        ``empty`` marks a value the applicant left blank; "" leaves room to write."""
        value_width = (self.content_width - 2 * label_width) / 2
        label_style = FontFace(family=SANS, emphasis="BOLD", size_pt=9, fill_color=LABEL_FILL)
        self.set_font(SANS, size=10)
        self.set_fill_color(255, 255, 255)  # the section bar's fill must not leak into cells
        with self.table(
            col_widths=(label_width, value_width, label_width, value_width),
            first_row_as_headings=False, text_align="LEFT", line_height=4.8,
            padding=(1.3, 2), wrapmode=WrapMode.CHAR, width=self.content_width,
            v_align="MIDDLE",
        ) as table:
            for cells in rows:
                row = table.row()
                for cell in cells:
                    row.cell(cell.label, style=label_style)
                    row.cell(cell.value or empty, colspan=3 if cell.span else 1)

    def paragraph(self, text: str, size: float = 9.5, indent: bool = True) -> None:
        self.set_font(SANS, size=size)
        lead = "\u3000\u3000" if indent else ""
        self.multi_cell(self.content_width, size * 0.53, lead + text, wrapmode=WrapMode.CHAR,
                        align=Align.J, new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    def signature_boxes(self, boxes: Sequence[tuple[str, str, float]], height: float) -> None:
        """Side-by-side boxes (title, hint, width share) with the title top-left and a
        light hint at the bottom; the seal box gets a dashed circle where the seal goes."""
        x0, y0 = self.l_margin, self.get_y() + 2
        total = sum(share for _, _, share in boxes)
        gap = 4.0
        width_left = self.content_width - gap * (len(boxes) - 1)
        x = x0
        for title, hint, share in boxes:
            w = width_left * share / total
            self.set_line_width(0.35)
            self.rect(x, y0, w, height)
            self.set_xy(x + 2.5, y0 + 2)
            self.set_font(SANS, "B", 10)
            self.cell(w - 5, 6, title)
            if "公章" in title:
                self.set_draw_color(*SEAL_HINT)
                self.set_dash_pattern(dash=1.2, gap=1.2)
                self.circle(x + w / 2, y0 + height / 2 + 2, min(w, height) * 0.3)
                self.set_dash_pattern()
                self.set_draw_color(*RULE)
            self.set_xy(x + 2.5, y0 + height - 8)
            self.set_font(SANS, size=8)
            self.set_text_color(*MUTED)
            self.cell(w - 5, 6, hint, align=Align.C if "年" in hint else Align.L)
            self.set_text_color(*INK)
            x += w + gap
        self.set_line_width(0.2)
        self.set_xy(x0, y0 + height)

    def qr_code(self, text: str, x: float, y: float, size: float) -> None:
        """A QR code of ``text`` (level M, 4-module quiet zone so scanners find it)."""
        code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, box_size=8, border=4)
        code.add_data(text)
        code.make(fit=True)
        self.image(code.make_image().get_image(), x=x, y=y, w=size, h=size)
