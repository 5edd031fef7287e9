"""The programme print-out (A4 PDF)."""

import io

from django.utils.translation import gettext as _
from reportlab.lib.colors import black
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from hoinghi.conferences.documents.layout import ProgrammeEntry, ProgrammeSheet, draw_letterhead, when_line
from hoinghi.core.printing import (
    BOLD,
    BOTTOM,
    CONTENT_WIDTH,
    ITALIC,
    LEFT,
    PAGE_HEIGHT,
    REGULAR,
    RIGHT,
    TOP,
    register_fonts,
)

# --- Programme -----------------------------------------------------------------------------------


def _time_range(entry: ProgrammeEntry) -> str:
    if entry.starts and entry.ends:
        return f"{entry.starts:%H:%M} – {entry.ends:%H:%M}"
    if entry.starts:
        return f"{entry.starts:%H:%M}"
    return ""


def programme_pdf(sheet: ProgrammeSheet) -> bytes:
    """The printable programme: heading, date and place, then the items with their times and
    presenters."""
    register_fonts()
    output = io.BytesIO()
    document = SimpleDocTemplate(
        output,
        pagesize=A4,
        leftMargin=LEFT,
        rightMargin=RIGHT,
        topMargin=TOP,
        bottomMargin=BOTTOM,
        title=_("Chương trình — %(title)s") % {"title": sheet.title},
        author=sheet.letterhead.issuer,
    )
    title_style = ParagraphStyle("title", fontName=BOLD, fontSize=15, leading=20, alignment=TA_CENTER)
    centred = ParagraphStyle("centred", fontName=REGULAR, fontSize=12, leading=16, alignment=TA_CENTER)
    italic = ParagraphStyle("italic", parent=centred, fontName=ITALIC)
    cell = ParagraphStyle("cell", fontName=REGULAR, fontSize=11, leading=14.5)
    cell_bold = ParagraphStyle("cell_bold", parent=cell, fontName=BOLD)
    header = ParagraphStyle("header", parent=cell_bold, alignment=TA_CENTER)

    def escape(text: str) -> str:
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")

    def first_page(canvas: Canvas, doc) -> None:
        canvas.saveState()
        draw_letterhead(canvas, sheet.letterhead, PAGE_HEIGHT - TOP)
        canvas.restoreState()

    rows = [
        [
            Paragraph(_("Thời gian"), header),
            Paragraph(_("Nội dung"), header),
            Paragraph(_("Trình bày"), header),
        ]
    ]
    for entry in sheet.items:
        presenters = [
            f"<b>{escape(name)}</b>" + (f"<br/><i>{escape(title)}</i>" if title else "")
            for name, title in entry.presenters
        ]
        rows.append(
            [
                Paragraph(_time_range(entry), cell),
                Paragraph(
                    f"{entry.order}. {escape(entry.title)}", cell_bold if entry.kind == "topic" else cell
                ),
                Paragraph("<br/>".join(presenters), cell),
            ]
        )
    table = Table(rows, colWidths=(28 * mm, CONTENT_WIDTH - 28 * mm - 55 * mm, 55 * mm), repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.5, black),
                ("BACKGROUND", (0, 0), (-1, 0), "#EBEBEB"),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("TOPPADDING", (0, 0), (-1, -1), 4),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
            ]
        )
    )
    place = sheet.place
    story = [
        Spacer(1, 42 * mm),
        Paragraph(_("CHƯƠNG TRÌNH"), title_style),
        Paragraph(escape(sheet.title), ParagraphStyle("sub", parent=title_style, fontSize=13, leading=18)),
    ]
    if sheet.subject:
        story.append(Paragraph(escape(sheet.subject), italic))
    story += [
        Spacer(1, 4 * mm),
        Paragraph(_("Thời gian: %(when)s") % {"when": escape(when_line(sheet.starts_at))}, centred),
    ]
    if place:
        story.append(Paragraph(_("Địa điểm: %(place)s") % {"place": escape(place)}, centred))
    story += [Spacer(1, 6 * mm), table]
    if not sheet.items:
        story.append(Paragraph(_("Chương trình chưa có nội dung."), italic))
    document.build(story, onFirstPage=first_page)
    return output.getvalue()
