"""The invitee's notes exported from their personal page: .docx and plain text, one heading per
programme item in the programme's order, under the conference's header; only through their own
link."""

from io import BytesIO

from django.urls import reverse
from django.utils import timezone
from docx import Document

from hoinghi.conferences import services as conferences
from hoinghi.learning_reports import services


def _notes(writing, superuser):
    chi = writing.invitations["Chi"]
    second = conferences.programme_item_create(
        actor=superuser, conference=writing.conference, kind="topic", title="Chuyên đề 2: Ba khâu đột phá"
    )
    empty = conferences.programme_item_create(
        actor=superuser, conference=writing.conference, kind="topic", title="Chuyên đề 3: Chưa ghi gì"
    )
    now = timezone.now()
    services.note_save(invitation=chi, item=second, text="Đổi mới tổ chức\nTập hợp đoàn viên", written_at=now)
    services.note_save(invitation=chi, item=writing.item, text="Kết nạp 2 triệu đoàn viên", written_at=now)
    services.note_save(invitation=chi, item=empty, text="   ", written_at=now)
    services.note_save(
        invitation=writing.invitations["Lan"], item=writing.item, text="Ghi chép của Lan", written_at=now
    )
    return chi


def test_the_notes_export_as_a_word_document_with_the_conference_header(client, writing, superuser):
    chi = _notes(writing, superuser)
    page = client.get(reverse("personal:invitation_page", args=[chi.token])).content.decode()
    url = reverse("learning_reports:notes_export", args=[chi.token, "docx"])
    assert url in page
    response = client.get(url)
    assert response.status_code == 200 and response["Cache-Control"] == "private, no-store"
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    document = Document(BytesIO(response.content))
    header = [p.text for cell in document.tables[0].rows[0].cells for p in cell.paragraphs]
    assert writing.conference.organising_unit.name.upper() in header
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in header
    texts = [p.text for p in document.paragraphs]
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert [h.split(" (")[0] for h in headings] == [
        "1. Chuyên đề 1: Nghị quyết Đại hội XII",
        "2. Chuyên đề 2: Ba khâu đột phá",
    ]  # in the programme's order; an item with nothing written is left out
    assert "GHI CHÉP HỘI NGHỊ" in texts and writing.conference.title in texts
    assert "Đổi mới tổ chức" in texts and "Tập hợp đoàn viên" in texts
    assert "Ghi chép của Lan" not in texts
    assert any(chi.person.full_name in text for text in texts)


def test_the_notes_export_as_plain_text(client, writing, superuser):
    chi = _notes(writing, superuser)
    response = client.get(reverse("learning_reports:notes_export", args=[chi.token, "txt"]))
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    text = response.content.decode("utf-8")
    assert text.index("1. Chuyên đề 1") < text.index("Kết nạp 2 triệu") < text.index("2. Chuyên đề 2")
    assert "Ghi chép của Lan" not in text and "Chưa ghi gì" not in text
    assert writing.conference.organising_unit.name.upper() in text.splitlines()[0]


def test_without_notes_the_export_says_so_and_an_unknown_link_or_kind_is_not_found(client, writing):
    chi = writing.invitations["Chi"]
    assert (
        "Chưa có ghi chép."
        in client.get(reverse("learning_reports:notes_export", args=[chi.token, "txt"])).content.decode()
    )
    assert client.get(reverse("learning_reports:notes_export", args=["khong-co", "txt"])).status_code == 404
    assert client.get(reverse("learning_reports:notes_export", args=[chi.token, "pdf"])).status_code == 404
