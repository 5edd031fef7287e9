"""Printed invitations with their personal QR codes (A4 PDF)."""

import io
from collections.abc import Callable

import segno
from django.utils.translation import gettext as _
from reportlab.lib.colors import black
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from hoinghi.conferences.documents.layout import (
    InvitationLetter,
    _centred_lines,
    _wrap,
    draw_letterhead,
    when_line,
)
from hoinghi.core.printing import (
    BOLD,
    BOTTOM,
    CONTENT_WIDTH,
    ITALIC,
    LEFT,
    PAGE_HEIGHT,
    REGULAR,
    TOP,
    register_fonts,
)

# The invitations PDF is printed in parts: one click, one part.
INVITATIONS_PER_PART = 500

# --- Invitations ---------------------------------------------------------------------------------


def draw_qr(canvas: Canvas, content: str, x: float, y: float, size: float) -> None:
    """The QR code of `content` as vector squares, `size` points wide (quiet zone included),
    lower-left corner at (x, y).

    The modules are drawn in a coordinate system of one unit per module, each run of dark
    modules on a row as one rectangle, written as literal path operators: going through
    `path.rect` formats every float in Python and made this half the cost of a 500-page print.
    """
    qr = segno.make(content, error="m", micro=False)
    border = 4
    matrix = qr.matrix
    module = size / (len(matrix) + 2 * border)
    operators = []
    for row_index, row in enumerate(matrix):
        column, width = 0, len(row)
        while column < width:
            if row[column]:
                start = column
                while column < width and row[column]:
                    column += 1
                operators.append(f"{start + border} {row_index + border} {column - start} 1 re")
            else:
                column += 1
    canvas.saveState()
    canvas.setFillColor(black)
    # Origin at the top-left corner, y growing downwards, one unit per module.
    canvas.transform(module, 0, 0, -module, x, y + size)
    canvas.addLiteral("\n".join(operators) + "\nf")
    canvas.restoreState()


def _labelled(canvas: Canvas, label: str, value: str, y: float, *, bold_value: bool = False) -> float:
    size = 12.5
    canvas.setFont(REGULAR, size)
    canvas.drawString(LEFT, y, label)
    indent = LEFT + 30 * mm
    font = BOLD if bold_value else REGULAR
    canvas.setFont(font, size)
    for line in _wrap(value, font, size, CONTENT_WIDTH - 30 * mm):
        canvas.drawString(indent, y, line)
        y -= size * 1.45
    return y - 2


PROGRESS_EVERY = 50


def invitations_pdf(letter: InvitationLetter, progress: Callable[[int], None] | None = None) -> bytes:
    """One A4 invitation per invitee, each with the QR code of their personal link.

    `progress(done)` is called every `PROGRESS_EVERY` invitations and at the end (a background
    print reports how far it got)."""
    register_fonts()
    output = io.BytesIO()
    canvas = Canvas(output, pagesize=A4, pageCompression=1, initialFontName=REGULAR)
    canvas.setTitle(_("Giấy mời — %(point)s") % {"point": letter.point_name})
    canvas.setAuthor(letter.letterhead.issuer)
    place = letter.point_name + (f" — {letter.point_address}" if letter.point_address else "")
    when = when_line(letter.starts_at)
    for number, invitee in enumerate(letter.invitees, start=1):
        y = draw_letterhead(canvas, letter.letterhead, PAGE_HEIGHT - TOP) - 22
        y = _centred_lines(canvas, _("GIẤY MỜI"), BOLD, 20, y) - 4
        y = _centred_lines(canvas, letter.conference_title, BOLD, 13, y) - 14
        canvas.setFont(REGULAR, 12.5)
        canvas.drawString(LEFT, y, _("Ban Tổ chức trân trọng kính mời:"))
        y -= 24
        y = _labelled(canvas, _("Đồng chí:"), invitee.full_name, y, bold_value=True)
        if invitee.positions:
            y = _labelled(canvas, _("Chức vụ:"), invitee.positions, y)
        if invitee.unit:
            y = _labelled(canvas, _("Đơn vị:"), invitee.unit, y)
        y -= 6
        y = _labelled(canvas, _("Tới dự:"), letter.conference_title, y)
        if letter.subject:
            y = _labelled(canvas, _("Nội dung:"), letter.subject, y)
        y = _labelled(canvas, _("Thời gian:"), when, y, bold_value=True)
        y = _labelled(canvas, _("Địa điểm:"), place, y, bold_value=True)
        y -= 10
        canvas.setFont(ITALIC, 11.5)
        canvas.drawString(LEFT, y, _("Đề nghị đồng chí có mặt trước giờ khai mạc 30 phút để làm thủ tục."))

        # The QR code and its note at the foot of the page; the signature block beside it.
        qr_size = 42 * mm
        qr_y = BOTTOM + 12 * mm
        if invitee.link:
            draw_qr(canvas, invitee.link, LEFT, qr_y, qr_size)
            canvas.setFont(REGULAR, 9.5)
            note_x = LEFT + qr_size + 4 * mm
            note_width = 70 * mm
            note_y = qr_y + qr_size - 14
            note = _(
                "Mã QR của đồng chí: xuất trình khi đến điểm cầu để điểm danh. Quét mã để xem "
                "chương trình và tài liệu hội nghị."
            )
            for line in _wrap(note, REGULAR, 9.5, note_width):
                canvas.drawString(note_x, note_y, line)
                note_y -= 12.5
            canvas.setFont(REGULAR, 7)
            for line in _wrap(invitee.link, REGULAR, 7, note_width):
                canvas.drawString(note_x, note_y - 2, line)
                note_y -= 9
        signer_centre = LEFT + CONTENT_WIDTH - 30 * mm
        canvas.setFont(BOLD, 12.5)
        canvas.drawCentredString(signer_centre, qr_y + qr_size + 4, letter.signer or _("TM. BAN TỔ CHỨC"))
        canvas.showPage()
        if progress is not None and (number % PROGRESS_EVERY == 0 or number == len(letter.invitees)):
            progress(number)
    if not letter.invitees:
        register_fonts()
        canvas.setFont(ITALIC, 12)
        canvas.drawString(LEFT, PAGE_HEIGHT - TOP - 20, _("Không có giấy mời nào trong phần này."))
        canvas.showPage()
    canvas.save()
    return output.getvalue()
