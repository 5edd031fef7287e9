"""The summary of the morning on one page (issue 17): the figures of the report and of the
dashboard under their names in docs/figures.md, attendance per province and per category, the
points connected; printable on one A4 page and as a one-page A4 PDF with the official header;
for whoever reads the report (`attendance.view_reports`). The morning is the report's
(test_reports.py): 6 invited, 4 present, 2 absent, An present at two points, one walk-in guest."""

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from hoinghi.attendance.dashboard import dashboard_snapshot
from hoinghi.conftest import screenshot
from hoinghi.core.permissions import GrantRole

from .test_reports import morning  # noqa: F401  (the report's morning)


def _figures(response) -> dict[str, str]:
    return {figure.key: figure.value for figure in response.context["summary"].figures}


def test_the_summary_shows_the_figures_of_the_report_and_the_dashboard(
    client,
    morning,  # noqa: F811
    make_user,
    small_tree,
):
    organiser = make_user(GrantRole.ORGANISER, small_tree.national)
    client.force_login(organiser)
    response = client.get(reverse("attendance:summary", args=[morning.conference.pk]))
    assert response.status_code == 200
    totals = dashboard_snapshot(actor=organiser, conference=morning.conference)["totals"]
    figures = _figures(response)
    assert figures == {
        "invited": "6",
        "present": "4",
        "absent": "2",
        "rate": "66,7 %",
        "checked_in": str(totals["checked_in"]),  # An counts at both points: 6
        "points_present": "5",
        "elsewhere": "1",
        "multi_point": str(totals["multi_point"]),
        "unlisted": "0",
        "reported": "0",
        "connected": f"0/{totals['points']}",
    }
    assert figures["checked_in"] == "6" and figures["multi_point"] == "1"
    summary = response.context["summary"]
    assert [(row.name, row.invited, row.present) for row in summary.report.provinces] == [
        ("Trung ương, ngành", 1, 1),
        ("Hà Nội", 3, 2),
        ("Hồ Chí Minh", 2, 1),
    ]
    assert [(row.name, row.invited, row.present) for row in summary.report.categories] == [
        ("Ủy viên BCH", 5, 3),
        ("Chủ tịch CĐCS lớn", 1, 1),
    ]
    content = response.content.decode()
    assert "Điểm danh tại điểm cầu" in content and "Có mặt ở 2 điểm cầu trở lên" in content
    assert reverse("attendance:summary_pdf", args=[morning.conference.pk]) in content
    report = client.get(reverse("attendance:report", args=[morning.conference.pk])).content.decode()
    assert reverse("attendance:summary", args=[morning.conference.pk]) in report


def test_a_provincial_organiser_summarises_their_subtree_and_an_operator_gets_nothing(
    client,
    morning,  # noqa: F811
    make_user,
    small_tree,
    ba_dinh_operator,
):
    client.force_login(make_user(GrantRole.ORGANISER, small_tree.hanoi))
    response = client.get(reverse("attendance:summary", args=[morning.conference.pk]))
    assert response.status_code == 200
    assert (_figures(response)["invited"], _figures(response)["present"]) == ("3", "2")
    assert [row.name for row in response.context["summary"].report.provinces] == ["Hà Nội"]
    client.force_login(ba_dinh_operator)
    for name in ("attendance:summary", "attendance:summary_pdf"):
        response = client.get(reverse(name, args=[morning.conference.pk]))
        assert response.status_code == 404
        assert response.context["code"] == "not_found"


def test_the_summary_pdf_is_one_a4_page_with_the_official_header(
    client,
    morning,  # noqa: F811
    make_user,
    small_tree,
):
    client.force_login(make_user(GrantRole.ORGANISER, small_tree.national))
    response = client.get(reverse("attendance:summary_pdf", args=[morning.conference.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)  # A4 in points
    text = reader.pages[0].extract_text()
    for words in (
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "TÓM TẮT KẾT QUẢ HỘI NGHỊ",
        "Hồ Chí Minh",
        "Ủy viên BCH",
    ):
        assert words in text, words
    assert morning.conference.organising_unit.name.upper() in text


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_summary_prints_on_one_a4_page_from_its_print_button(
    page_for,
    morning,  # noqa: F811
    make_user,
    small_tree,
    live_server,
):
    page = page_for(make_user(GrantRole.ORGANISER, small_tree.national))
    page.add_init_script("window.print = () => { document.body.dataset.printed = 'yes'; };")
    page.goto(f"{live_server.url}/truc-tiep/hoi-nghi/{morning.conference.pk}/bao-cao/")
    page.click("#summary-link")
    page.locator("#summary-figures").wait_for()
    assert page.locator('[data-figure="present"] b').inner_text() == "4"
    screenshot(page, "summary-screen")
    page.click("#summary-print")
    assert page.locator("body").get_attribute("data-printed") == "yes"
    page.emulate_media(media="print")
    assert not page.locator("header.topbar").is_visible()
    assert not page.locator("#summary-print").is_visible()
    pdf = page.pdf(format="A4", prefer_css_page_size=True)
    assert len(PdfReader(io.BytesIO(pdf)).pages) == 1
    screenshot(page, "summary-print")
