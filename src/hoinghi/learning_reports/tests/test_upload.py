"""Uploads of a report written elsewhere: a real .docx (python-docx) and a real .pdf (reportlab,
the library of the conferences' print-outs, with its embedded Vietnamese font), and broken ones."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from hoinghi.learning_reports import services
from hoinghi.learning_reports.errors import UploadError
from hoinghi.learning_reports.models import Report
from hoinghi.learning_reports.texts import UPLOAD_MAX_BYTES, document_text

LEARNED = "Nghị quyết Đại hội XII đặt mục tiêu kết nạp hai triệu đoàn viên mới"
PLANS = "Thành lập công đoàn cơ sở ở mọi doanh nghiệp có từ hai mươi lăm lao động"


def docx_bytes() -> bytes:
    import docx

    document = docx.Document()
    document.add_heading("Bài thu hoạch", level=1)
    document.add_paragraph("1. Những nội dung tiếp thu được")
    document.add_paragraph(LEARNED)
    document.add_paragraph("2. Kế hoạch và giải pháp thực hiện nhiệm vụ của bản thân")
    document.add_paragraph(PLANS)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def pdf_bytes(lines=(LEARNED, PLANS)) -> bytes:
    from reportlab.pdfgen import canvas

    from hoinghi.conferences.documents import REGULAR, register_fonts

    register_fonts()
    out = io.BytesIO()
    page = canvas.Canvas(out)
    page.setFont(REGULAR, 12)
    for number, line in enumerate(lines):
        page.drawString(60, 780 - 20 * number, line)
    page.save()
    return out.getvalue()


def test_the_text_of_a_real_docx_is_read_and_cut_into_the_sections(writing):
    report = services.report_upload(
        invitation=writing.invitations["Chi"],
        assignment=writing.assignment,
        file_name="bai-thu-hoach.docx",
        data=docx_bytes(),
        revision=0,
    )
    # What stands before the first section's title (the document's own title) is kept, in the first.
    assert report.draft_sections["learned"] == f"Bài thu hoạch\n{LEARNED}"
    assert report.draft_sections["plans"] == PLANS
    assert (report.draft_source, report.draft_file_name) == ("docx", "bai-thu-hoach.docx")


def test_the_text_of_a_real_pdf_is_read(writing):
    kind, text = document_text(file_name="bai.pdf", data=pdf_bytes())
    assert kind == "pdf"
    assert LEARNED in text and PLANS in text  # Vietnamese letters survive the text layer


@pytest.mark.parametrize(
    ("name", "data", "code"),
    [
        ("bai.docx", b"PK\x03\x04 not really a zip", "broken"),
        ("bai.pdf", b"%PDF-1.4\n garbage without objects", "broken"),
        ("bai.pdf", docx_bytes, "file_type"),  # a Word file named .pdf
        ("bai.doc", b"\xd0\xcf\x11\xe0", "file_type"),
        ("bai.pdf", lambda: pdf_bytes(lines=()), "empty"),  # a page without text, as a scan
    ],
)
def test_a_broken_wrong_or_empty_file_is_refused_with_its_code(writing, name, data, code):
    data = data() if callable(data) else data
    with pytest.raises(UploadError) as refused:
        document_text(file_name=name, data=data)
    assert refused.value.code == code


def test_an_oversized_file_is_refused_before_it_is_read():
    with pytest.raises(UploadError) as refused:
        document_text(file_name="bai.pdf", data=b"%PDF-", size=UPLOAD_MAX_BYTES + 1)
    assert refused.value.code == "too_large"


def test_uploading_through_the_page_fills_the_draft(client, writing):
    chi = writing.invitations["Chi"]
    upload = SimpleUploadedFile("bai.docx", docx_bytes())
    response = client.post(
        reverse("learning_reports:upload", args=[chi.token]), {"revision": 0, "file": upload}
    )
    assert response.status_code == 302
    assert Report.objects.get().draft_sections["plans"] == PLANS


def test_a_broken_file_gets_the_vietnamese_message_and_changes_nothing(client, writing):
    chi = writing.invitations["Chi"]
    upload = SimpleUploadedFile("bai.pdf", b"%PDF-1.7\n\x00\x01 broken")
    response = client.post(
        reverse("learning_reports:upload", args=[chi.token]), {"revision": 0, "file": upload}
    )
    assert response.status_code == 400
    assert "Không đọc được tệp “bai.pdf”: tệp bị hỏng" in response.content.decode()
    assert not Report.objects.exists()
