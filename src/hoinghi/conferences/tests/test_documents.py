"""The print-outs and the spreadsheet built from plain data (no database)."""

import io
import re
import time
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import segno
from openpyxl import load_workbook

from hoinghi.conferences import documents

ZONE = ZoneInfo("Asia/Ho_Chi_Minh")
LETTERHEAD = documents.Letterhead(
    "Tổng Liên đoàn Lao động Việt Nam", "Ban Tổ chức", "Hà Nội", date(2018, 12, 6)
)
STARTS = datetime(2018, 12, 6, 8, 0, tzinfo=ZONE)


def _pages(pdf: bytes) -> int:
    return len(re.findall(rb"/Type /Page[^s]", pdf))


def _invitees(count: int) -> list[documents.Invitee]:
    return [
        documents.Invitee(
            code=f"CB{number:05d}",
            full_name=f"Nguyễn Thị Phương Thảo {number}",
            positions="Ủy viên Ban Chấp hành",
            unit="Liên đoàn Lao động quận Ba Đình",
            phone="0912345678",
            email="thao@congdoan.vn",
            categories="Ủy viên BCH",
            link=f"https://hoinghi.example/moi/token-{number}/",
        )
        for number in range(1, count + 1)
    ]


def test_date_line_pads_days_below_ten_and_months_one_and_two():
    assert documents.date_line("Hà Nội", date(2018, 12, 6)) == "Hà Nội, ngày 06 tháng 12 năm 2018"
    assert documents.date_line("Hà Nội", date(2019, 2, 14)) == "Hà Nội, ngày 14 tháng 02 năm 2019"
    assert documents.date_line("", date(2019, 3, 1)) == "Ngày 01 tháng 3 năm 2019"


def test_when_line_names_the_vietnamese_weekday():
    assert documents.when_line(STARTS) == "08 giờ 00, Thứ Năm, ngày 06/12/2018"


def test_signin_sheet_of_1700_names_is_a_pdf_with_the_font_embedded_and_numbered_pages():
    sheet = documents.SigninSheet(
        LETTERHEAD, "Hội nghị thử", "Điểm cầu Trung ương", "91 Trần Hưng Đạo, Hà Nội", STARTS, _invitees(1700)
    )
    started = time.perf_counter()
    pdf = documents.signin_pdf(sheet)
    elapsed = time.perf_counter() - started

    assert pdf.startswith(b"%PDF")
    assert b"NotoSerif" in pdf and b"/FontFile2" in pdf  # embedded, not a system font
    assert 60 < _pages(pdf) < 110  # ~20 one-line rows a page
    assert elapsed < 10


def test_empty_signin_sheet_still_prints_one_page():
    pdf = documents.signin_pdf(documents.SigninSheet(LETTERHEAD, "Hội nghị", "Điểm cầu", "", STARTS, []))
    assert _pages(pdf) == 1


def test_one_invitation_page_per_invitee():
    letter = documents.InvitationLetter(
        LETTERHEAD, "Hội nghị thử", "Nghị quyết", STARTS, "Điểm cầu Ba Đình", "Hà Nội", _invitees(3)
    )
    pdf = documents.invitations_pdf(letter)
    assert pdf.startswith(b"%PDF") and _pages(pdf) == 3
    assert b"NotoSerif-Bold" in pdf


def test_programme_pdf_is_one_a4_page_for_a_short_programme():
    items = [
        documents.ProgrammeEntry(
            1, "Phát biểu khai mạc", "opening", STARTS, None, [("Bùi Văn Cường", "Chủ tịch")]
        ),
        documents.ProgrammeEntry(2, "Chuyên đề 1", "topic", STARTS, STARTS.replace(hour=9), []),
    ]
    pdf = documents.programme_pdf(
        documents.ProgrammeSheet(
            LETTERHEAD, "Hội nghị thử", "Nghị quyết", STARTS, "Điểm cầu Trung ương", items
        )
    )
    assert pdf.startswith(b"%PDF") and _pages(pdf) == 1
    assert b"/MediaBox [ 0 0 595.2756 841.8898 ]" in pdf  # A4


def test_roster_spreadsheet_has_the_columns_in_order_and_one_row_per_invitee():
    content = documents.roster_xlsx(_invitees(3), title="Danh sách", sheet_name="Danh sách")
    sheet = load_workbook(io.BytesIO(content), read_only=True).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1] == (
        "STT",
        "Mã cán bộ",
        "Họ và tên",
        "Chức vụ",
        "Đơn vị",
        "Điện thoại",
        "Thư điện tử",
        "Nhóm đối tượng",
    )
    assert rows[2][:3] == (1, "CB00001", "Nguyễn Thị Phương Thảo 1")
    assert len(rows) == 5


def test_qr_svg_encodes_the_link():
    svg = documents.qr_svg("https://hoinghi.example/moi/abc/")
    assert svg.startswith(b"<?xml") and b"<svg" in svg
    # Scale 8 with the 4-module quiet zone: a 29-module symbol is 296 px wide.
    size = (segno.make("https://hoinghi.example/moi/abc/", error="m").symbol_size(border=4))[0] * 8
    assert f'width="{size}"'.encode() in svg


@pytest.mark.django_db
def test_a_print_out_is_dated_where_its_issuer_sits_whichever_point_it_is_for(small_conference, superuser):
    """Decree 30/2020: the place of issue is the issuing body's. The Confederation's invitations for
    the Hồ Chí Minh point say "Hà Nội, ngày …" (its place, set on the unit: it has no province)."""
    from hoinghi.conferences import selectors
    from hoinghi.orgs import services as orgs

    conference = small_conference.conference
    national = conference.organising_unit
    hcm_point = small_conference.hcm_point
    orgs.unit_update(actor=superuser, unit=national, place="Hà Nội")

    assert selectors.document_place(conference=conference, point=hcm_point) == "Hà Nội"
    letterhead = selectors.document_letterhead(conference=conference, point=hcm_point)
    assert documents.date_line(letterhead.place, letterhead.day).startswith("Hà Nội, ngày")

    # A unit without a place of its own is dated from its province, or the nearest unit above.
    from hoinghi.orgs.selectors import unit_place

    assert unit_place(unit=hcm_point.unit) == "Hồ Chí Minh"
    orgs.unit_update(actor=superuser, unit=national, place="")
    assert unit_place(unit=national) == ""
