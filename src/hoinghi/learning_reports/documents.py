"""Print-outs of learning reports: the statistics of a unit as an A4 PDF with the official header
(core.printing), and an invitee's notes as a Word document (.docx) and as plain text, under the
conference's header.

Pure functions from data to bytes: the views gather the rows through the selectors (already
scoped to the actor) and pass them in.
"""

import io

from django.utils import timezone
from django.utils.translation import gettext as _
from reportlab.lib.utils import simpleSplit
from reportlab.pdfgen.canvas import Canvas

from hoinghi.conferences.documents import when_line
from hoinghi.core.printing import (
    BOLD,
    CONTENT_WIDTH,
    ITALIC,
    LEFT,
    PAGE_HEIGHT,
    REGULAR,
    TOP,
    Letterhead,
    centred,
    date_line,
    draw_letterhead,
    table_columns,
    table_row,
    tables_pdf,
)
from hoinghi.learning_reports.selectors import NoteEntry, NotesSheet
from hoinghi.learning_reports.statistics import (
    Statistics,
    figure_headers,
    missing_cells,
    missing_headers,
    table_rows,
)


def statistics_title() -> str:
    return _("THỐNG KÊ BÀI THU HOẠCH")


def _number(value: int) -> str:
    return f"{value:,}".replace(",", ".")


def _heading(canvas: Canvas, statistics: Statistics, letterhead: Letterhead) -> float:
    y = draw_letterhead(canvas, letterhead, PAGE_HEIGHT - TOP) - 12
    y = centred(canvas, statistics_title(), BOLD, 14, y)
    y = centred(canvas, statistics.assignment.title, BOLD, 12, y)
    due = timezone.localtime(statistics.assignment.due_at).strftime("%d/%m/%Y %H:%M")
    y = centred(canvas, _("Hạn nộp: %(due)s") % {"due": due}, ITALIC, 11, y)
    if statistics.unit is not None:
        y = centred(canvas, _("Phạm vi: %(unit)s") % {"unit": statistics.unit.name}, ITALIC, 11, y)
    y -= 6
    total = statistics.total
    summary = _(
        "Phải viết: %(required)s; đã nộp: %(submitted)s, trong đó đúng hạn: %(on_time)s; "
        "đã chấm: %(marked)s; đã công bố kết quả: %(released)s; chưa nộp: %(missing)s."
    ) % {
        "required": _number(total.required),
        "submitted": _number(total.submitted),
        "on_time": _number(total.on_time),
        "marked": _number(total.marked),
        "released": _number(total.released),
        "missing": _number(statistics.missing_count),
    }
    canvas.setFont(REGULAR, 11)
    for line in simpleSplit(summary, REGULAR, 11, CONTENT_WIDTH):
        canvas.drawString(LEFT, y, line)
        y -= 14.5
    return y - 4


def statistics_pdf(statistics: Statistics, *, letterhead: Letterhead) -> bytes:
    """The statistics on A4: the official header, the title, the totals, the table of units, then
    who has not submitted, with header rows repeated on every page."""
    figure_columns = table_columns(
        (40, 13, 13, 13, 13, 13, 13, 13, 13, 13, 13), figure_headers(), "lrrrrrrrrrr"
    )
    figures = [
        table_row(figure_columns, [cells[0], *map(_number, cells[1:])], is_total=is_total)
        for cells, is_total in table_rows(statistics)
    ]
    person_columns = table_columns((10, 40, 50, 22, 30, 18), missing_headers(), "clllll")
    missing = [
        table_row(person_columns, missing_cells(number, invitation))
        for number, invitation in enumerate(statistics.missing.iterator(chunk_size=2000), start=1)
    ]
    return tables_pdf(
        heading=lambda canvas: _heading(canvas, statistics, letterhead),
        tables=[
            (_("I. Theo đơn vị"), figure_columns, figures),
            (_("II. Danh sách chưa nộp bài (theo thứ tự tên)"), person_columns, missing),
        ],
        title=f"{statistics_title()} — {statistics.assignment.title}",
        author=letterhead.issuer,
    )


# --- An invitee's notes (ghi chép) -----------------------------------------------------------------


def notes_title() -> str:
    return _("GHI CHÉP HỘI NGHỊ")


def _item_heading(entry: NoteEntry) -> str:
    heading = f"{entry.order}. {entry.title}"
    if entry.starts and entry.ends:
        return f"{heading} ({entry.starts:%H:%M}–{entry.ends:%H:%M})"
    if entry.starts:
        return f"{heading} ({entry.starts:%H:%M})"
    return heading


def _who(sheet: NotesSheet) -> str:
    return _("Người ghi: đồng chí %(name)s — %(unit)s") % {"name": sheet.person, "unit": sheet.unit}


def notes_text(sheet: NotesSheet) -> str:
    """The notes as plain text (UTF-8): the conference's header, then each programme item's
    heading and what was written under it."""
    lines = [
        sheet.letterhead.issuer.upper(),
        sheet.letterhead.department.upper(),
        date_line(sheet.letterhead.place, sheet.letterhead.day),
        "",
        notes_title(),
        sheet.conference_title,
        when_line(sheet.starts_at),
        _who(sheet),
    ]
    for entry in sheet.entries:
        heading = _item_heading(entry)
        lines += ["", heading, "-" * min(len(heading), 72), entry.text.strip()]
    if not sheet.entries:
        lines += ["", _("Chưa có ghi chép.")]
    return "\n".join(lines).replace("\r\n", "\n") + "\n"


def notes_docx(sheet: NotesSheet) -> bytes:
    """The notes as a Word document on A4: the official two-column header (the organising unit
    and the organisers on the left, the national motto on the right, then the place and date),
    the title, then each programme item as a heading with its text, a paragraph a line."""
    from docx import Document
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm, Pt

    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin, section.right_margin = Mm(30), Mm(15)
    section.top_margin, section.bottom_margin = Mm(20), Mm(20)
    normal = document.styles["Normal"]
    normal.font.name, normal.font.size = "Times New Roman", Pt(13)

    def line(cell_or_doc, text, *, bold=False, italic=False, underline=False, size=None, centre=True):
        paragraph = cell_or_doc.add_paragraph()
        if centre:
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        paragraph.paragraph_format.space_after = Pt(0)
        run = paragraph.add_run(text)
        run.bold, run.italic, run.underline = bold, italic, underline
        if size:
            run.font.size = Pt(size)
        return paragraph

    header = document.add_table(rows=1, cols=2)
    header.alignment = WD_TABLE_ALIGNMENT.CENTER
    left, right = header.rows[0].cells
    left.width, right.width = Mm(70), Mm(95)
    left.paragraphs[0].text = ""
    line(left, sheet.letterhead.issuer.upper(), size=12)
    line(left, sheet.letterhead.department.upper(), bold=True, underline=True, size=12)
    line(right, _("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"), bold=True, size=12)
    line(right, _("Độc lập - Tự do - Hạnh phúc"), bold=True, underline=True)
    line(right, date_line(sheet.letterhead.place, sheet.letterhead.day), italic=True)
    for cell in (left, right):
        first = cell.paragraphs[0]
        first._element.getparent().remove(first._element)  # the cell's empty first paragraph

    document.add_paragraph()
    line(document, notes_title(), bold=True, size=14)
    line(document, sheet.conference_title, bold=True)
    line(document, when_line(sheet.starts_at), italic=True)
    line(document, _who(sheet), italic=True)
    for entry in sheet.entries:
        document.add_heading(_item_heading(entry), level=2)
        for text in entry.text.strip().splitlines() or [""]:
            document.add_paragraph(text)
    if not sheet.entries:
        document.add_paragraph(_("Chưa có ghi chép."))
    output = io.BytesIO()
    document.save(output)
    return output.getvalue()
