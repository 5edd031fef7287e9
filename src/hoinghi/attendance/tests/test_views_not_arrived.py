"""Per point, who has not arrived yet, with phone numbers, for the operator to call (issue 17):
a page that prints, and an .xlsx; for the point's operators and whoever sees the point."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from hoinghi.attendance.tests.live_fixtures import check_in, crowd_fixture  # noqa: F401
from hoinghi.conftest import screenshot
from hoinghi.core.permissions import GrantRole
from hoinghi.orgs import services as orgs


def _names(response) -> list[str]:
    workbook = load_workbook(io.BytesIO(response.content))
    sheet = workbook.active
    return [row[1] for row in sheet.iter_rows(min_row=2, values_only=True)]


def test_the_operator_lists_who_has_not_arrived_with_their_phones(client, crowd, superuser):
    small = crowd.small
    point = small.ba_dinh_point
    arrived, elsewhere, *waiting = crowd.ba_dinh_people
    check_in(crowd.operator, point, small.conference, arrived)
    check_in(crowd.hcm_operator, small.hcm_point, small.conference, elsewhere)  # came, at another point
    orgs.person_update(actor=superuser, person=waiting[0], phone="0987654321")
    client.force_login(crowd.operator)

    page = client.get(reverse("attendance:not_arrived", args=[point.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert arrived.full_name not in html and elsewhere.full_name not in html
    assert waiting[0].full_name in html and 'href="tel:0987654321"' in html
    assert small.people["HN-BD"].full_name in html  # Chi, invited here, not checked in
    invited_here = point.invitations.filter(status="active").count()  # 52: Chi, Lan and the 50
    assert len(page.context["rows"]) == invited_here - 2

    sheet = client.get(reverse("attendance:not_arrived_xlsx", args=[point.pk]))
    assert sheet["Content-Disposition"].startswith("attachment;")
    names = _names(sheet)
    assert names[0] == "Họ và tên"
    assert len(names) == 1 + invited_here - 2 and arrived.full_name not in names
    workbook = load_workbook(io.BytesIO(sheet.content))
    phones = [row[3] for row in workbook.active.iter_rows(min_row=3, values_only=True)]
    assert "0987654321" in phones


def test_a_name_that_looks_like_a_formula_stays_text_in_the_sheet(client, crowd, superuser):
    person = crowd.ba_dinh_people[0]
    orgs.person_update(actor=superuser, person=person, given_name='=HYPERLINK("http://x","y")')
    client.force_login(crowd.operator)
    sheet = client.get(reverse("attendance:not_arrived_xlsx", args=[crowd.small.ba_dinh_point.pk]))
    workbook = load_workbook(io.BytesIO(sheet.content))
    cells = [cell for row in workbook.active.iter_rows(min_row=3) for cell in row if cell.column == 2]
    written = [cell for cell in cells if "HYPERLINK" in str(cell.value)]
    assert written and all(cell.data_type == "s" for cell in written)


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("operator", 200),
        ("other_operator", 404),  # the Hồ Chí Minh operator
        ("viewer_here", 200),  # a viewer of Hà Nội sees its points
        ("viewer_elsewhere", 404),  # a viewer of Hồ Chí Minh does not
    ],
)
def test_who_may_open_the_list(client, crowd, make_user, small_tree, who, status):
    users = {
        "operator": lambda: crowd.operator,
        "other_operator": lambda: crowd.hcm_operator,
        "viewer_here": lambda: make_user(GrantRole.VIEWER, small_tree.hanoi),
        "viewer_elsewhere": lambda: make_user(GrantRole.VIEWER, small_tree.hcm),
    }
    client.force_login(users[who]())
    point = crowd.small.ba_dinh_point
    for name in ("attendance:not_arrived", "attendance:not_arrived_xlsx"):
        response = client.get(reverse(name, args=[point.pk]))
        assert response.status_code == status, name
        if status != 200:
            assert response.context["code"] == "not_found"


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_list_prints_on_a4_without_the_site_around_it(page_for, crowd, live_server):
    page = page_for(crowd.operator)
    page.goto(f"{live_server.url}/truc-tiep/diem-cau/{crowd.small.ba_dinh_point.pk}/diem-danh/")
    page.click("#ci-not-arrived")
    page.locator("#not-arrived").wait_for()
    assert page.locator("#not-arrived tbody tr").count() == 52
    screenshot(page, "not-arrived-screen")
    page.emulate_media(media="print")
    assert not page.locator("header.topbar").is_visible()
    assert not page.locator("button[data-print]").is_visible()
    assert page.locator("#not-arrived th.called").is_visible()  # a column to tick who was called
    assert page.pdf(format="A4")[:4] == b"%PDF"
    screenshot(page, "not-arrived-print")
