"""The hand-over sheet of operator accounts (A4 PDF): one block per point, cut apart and given to
each point's operator, with the account's one-time password and the QR code of the point's
check-in page."""

import io
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.translation import gettext as _
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from hoinghi.conferences.documents.invitations import draw_qr
from hoinghi.conferences.documents.layout import (
    Letterhead,
    _centred_lines,
    _page_number,
    _wrap,
    draw_letterhead,
)
from hoinghi.core.printing import (
    BOLD,
    CONTENT_WIDTH,
    ITALIC,
    LEFT,
    PAGE_HEIGHT,
    PAGE_WIDTH,
    REGULAR,
    TOP,
    register_fonts,
)

OPERATOR_BLOCKS_PER_PAGE = 4
_BLOCK_HEIGHT = 45 * mm
_QR_SIZE = 36 * mm
_LABEL_WIDTH = 43 * mm


@dataclass(frozen=True)
class OperatorCredential:
    point_name: str
    point_address: str
    username: str
    password: str
    checkin_url: str


@dataclass(frozen=True)
class OperatorSheet:
    letterhead: Letterhead
    conference_title: str
    login_url: str
    credentials: Sequence[OperatorCredential]
    emailed: int = 0  # accounts made with these whose passwords went by e-mail instead


def _cut_line(canvas: Canvas, y: float) -> None:
    canvas.saveState()
    canvas.setDash(3, 3)
    canvas.setLineWidth(0.5)
    canvas.line(LEFT - 8 * mm, y, PAGE_WIDTH - LEFT + 18 * mm, y)
    canvas.restoreState()


def _field(canvas: Canvas, label: str, value: str, y: float, *, font=REGULAR, size=11.0) -> float:
    canvas.setFont(REGULAR, 10)
    canvas.drawString(LEFT + 2 * mm, y, label)
    width = CONTENT_WIDTH - _QR_SIZE - _LABEL_WIDTH - 8 * mm
    canvas.setFont(font, size)
    for line in _wrap(value, font, size, width):
        canvas.drawString(LEFT + 2 * mm + _LABEL_WIDTH, y, line)
        y -= size * 1.3
    return y - 1.5


def _block(canvas: Canvas, credential: OperatorCredential, sheet: OperatorSheet, top: float) -> None:
    y = top - 16
    canvas.setFont(BOLD, 12)
    for line in _wrap(credential.point_name, BOLD, 12, CONTENT_WIDTH - _QR_SIZE - 6 * mm)[:2]:
        canvas.drawString(LEFT + 2 * mm, y, line)
        y -= 15
    if credential.point_address:
        canvas.setFont(ITALIC, 9)
        canvas.drawString(
            LEFT + 2 * mm, y + 3, _wrap(credential.point_address, ITALIC, 9, CONTENT_WIDTH - _QR_SIZE)[0]
        )
        y -= 11
    y -= 3
    y = _field(canvas, _("Tên đăng nhập:"), credential.username, y, font=BOLD, size=12)
    y = _field(canvas, _("Mật khẩu dùng một lần:"), credential.password, y, font=BOLD, size=14)
    y = _field(canvas, _("Đăng nhập tại:"), sheet.login_url, y, size=9)
    _field(canvas, _("Trang điểm danh:"), credential.checkin_url, y, size=9)
    qr_x = LEFT + CONTENT_WIDTH - _QR_SIZE
    draw_qr(canvas, credential.checkin_url, qr_x, top - _QR_SIZE - 3 * mm, _QR_SIZE)
    canvas.setFont(REGULAR, 7.5)
    canvas.drawCentredString(qr_x + _QR_SIZE / 2, top - _QR_SIZE - 5 * mm, _("Quét để mở trang điểm danh"))


def operator_sheet_pdf(sheet: OperatorSheet) -> bytes:
    """The sheet: on every page the official header, the title and how many accounts the sheet
    holds, then up to `OPERATOR_BLOCKS_PER_PAGE` blocks separated by cut lines."""
    register_fonts()
    output = io.BytesIO()
    canvas = Canvas(output, pagesize=A4, pageCompression=1, initialFontName=REGULAR)
    total = len(sheet.credentials)
    canvas.setTitle(_("Phiếu bàn giao %(count)s tài khoản vận hành điểm cầu") % {"count": total})
    canvas.setAuthor(sheet.letterhead.issuer)
    pages = max(1, -(-total // OPERATOR_BLOCKS_PER_PAGE))
    for page in range(pages):
        y = draw_letterhead(canvas, sheet.letterhead, PAGE_HEIGHT - TOP) - 14
        y = _centred_lines(canvas, _("PHIẾU BÀN GIAO TÀI KHOẢN VẬN HÀNH ĐIỂM CẦU"), BOLD, 14, y)
        y = _centred_lines(canvas, sheet.conference_title, BOLD, 11.5, y) - 2
        y = _centred_lines(
            canvas,
            _(
                "%(count)s tài khoản. Mật khẩu chỉ dùng cho lần đăng nhập đầu tiên: hệ thống yêu cầu "
                "đặt mật khẩu riêng ngay sau đó. Cắt theo đường chấm, giao từng phần cho người vận "
                "hành của điểm cầu; giữ kín như giữ chìa khóa."
            )
            % {"count": total}
            + (
                _(" Ngoài ra %(emailed)s tài khoản nhận mật khẩu qua thư điện tử.")
                % {"emailed": sheet.emailed}
                if sheet.emailed
                else ""
            ),
            ITALIC,
            9.5,
            y,
        )
        y -= 4
        blocks = sheet.credentials[page * OPERATOR_BLOCKS_PER_PAGE : (page + 1) * OPERATOR_BLOCKS_PER_PAGE]
        for credential in blocks:
            _cut_line(canvas, y)
            _block(canvas, credential, sheet, y)
            y -= _BLOCK_HEIGHT
        if blocks:
            _cut_line(canvas, y)
        else:
            canvas.setFont(ITALIC, 12)
            canvas.drawString(LEFT, y - 20, _("Không có tài khoản nào được in trên phiếu này."))
        _page_number(canvas, page + 1, pages)
        canvas.showPage()
    canvas.save()
    return output.getvalue()
