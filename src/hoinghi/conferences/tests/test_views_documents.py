"""Downloads of a point's print-outs and roster, through the real URLs, by who may get them."""

import io
import re

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from hoinghi.conferences import services
from hoinghi.core.permissions import GrantRole


@pytest.fixture
def issued(small_conference, superuser):
    services.conference_issue(actor=superuser, conference=small_conference.conference)
    return small_conference


@pytest.fixture
def ba_dinh_operator(issued, superuser, make_user):
    user = make_user(None)
    services.point_operator_add(actor=superuser, point=issued.ba_dinh_point, user=user)
    return user


def _url(name, small, point):
    return reverse(f"conferences:{name}", args=[small.conference.pk, point.pk])


def _get(client, user, url):
    client.force_login(user)
    return client.get(url)


def _pages(pdf: bytes) -> int:
    return len(re.findall(rb"/Type /Page[^s]", pdf))


@pytest.mark.parametrize("name", ["signin_pdf", "roster_xlsx"])
def test_hcm_organiser_gets_hcm_point_but_not_ba_dinh(client, issued, make_user, small_tree, name):
    organiser = make_user(GrantRole.ORGANISER, small_tree.hcm)

    assert _get(client, organiser, _url(name, issued, issued.ba_dinh_point)).status_code == 404
    assert _get(client, organiser, _url(name, issued, issued.host)).status_code == 404
    response = _get(client, organiser, _url(name, issued, issued.hcm_point))
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"


@pytest.mark.parametrize("name", ["signin_pdf", "roster_xlsx"])
def test_ba_dinh_operator_gets_only_ba_dinh(client, issued, ba_dinh_operator, name):
    assert _get(client, ba_dinh_operator, _url(name, issued, issued.ba_dinh_point)).status_code == 200
    assert _get(client, ba_dinh_operator, _url(name, issued, issued.hcm_point)).status_code == 404
    assert _get(client, ba_dinh_operator, _url(name, issued, issued.host)).status_code == 404


def test_anonymous_is_sent_to_login(client, issued):
    response = client.get(_url("signin_pdf", issued, issued.host))
    assert response.status_code == 302 and "dang-nhap" in response["Location"]


def test_signin_sheet_is_an_a4_pdf_with_the_embedded_font(client, issued, superuser):
    response = _get(client, superuser, _url("signin_pdf", issued, issued.ba_dinh_point))
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF") and b"NotoSerif" in response.content
    assert _pages(response.content) == 1


def test_roster_lists_the_point_in_vietnamese_order(client, issued, superuser):
    response = _get(client, superuser, _url("roster_xlsx", issued, issued.ba_dinh_point))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = list(
        load_workbook(io.BytesIO(response.content), read_only=True).active.iter_rows(values_only=True)
    )
    assert rows[1][:3] == ("STT", "Mã cán bộ", "Họ và tên")
    people = issued.people
    # By given name: Chi (the Ba Đình committee member) before Lan (the grassroots chair).
    assert [row[2] for row in rows[2:]] == [people["HN-BD"].full_name, people["chair-a"].full_name]
    assert rows[2][3] == "Ủy viên Ban Chấp hành"
    assert rows[2][7] == "Ủy viên BCH"


def test_a_formula_in_a_roster_is_written_as_text(client, issued, superuser):
    person = issued.people["HN-BD"]
    person.phone = '=cmd|"/c calc"!A1'  # fits the 30-character column
    person.save()
    response = _get(client, superuser, _url("roster_xlsx", issued, issued.ba_dinh_point))
    cells = [cell for row in load_workbook(io.BytesIO(response.content)).active.iter_rows() for cell in row]
    assert [cell.value for cell in cells if cell.data_type == "f"] == []
    assert person.phone in [cell.value for cell in cells]


def test_the_operator_may_not_print_the_invitations(client, issued, ba_dinh_operator, make_user, small_tree):
    # The invitations carry each person's personal link: organisers only.
    assert _get(
        client, ba_dinh_operator, _url("invitations_pdf", issued, issued.ba_dinh_point)
    ).status_code in (
        403,
        404,
    )
    viewer = make_user(GrantRole.VIEWER, small_tree.hanoi)
    assert _get(client, viewer, _url("invitations_pdf", issued, issued.ba_dinh_point)).status_code == 403
    organiser = make_user(GrantRole.ORGANISER, small_tree.hanoi)
    response = _get(client, organiser, _url("invitations_pdf", issued, issued.ba_dinh_point))
    assert response.status_code == 200 and _pages(response.content) == 2
    assert response["X-Total-Count"] == "2"


def test_invitations_print_in_parts(client, issued, superuser):
    url = _url("invitations_pdf", issued, issued.ba_dinh_point)
    response = _get(client, superuser, f"{url}?from=2&to=2")
    assert _pages(response.content) == 1
    assert (
        "giay-moi-diem-cau" in response["Content-Disposition"]
        and "-2-2.pdf" in response["Content-Disposition"]
    )


def test_programme_pdf_for_whoever_sees_the_conference(client, issued, make_user, small_tree, superuser):
    services.programme_item_create(
        actor=superuser, conference=issued.conference, kind="opening", title="Phát biểu khai mạc"
    )
    url = reverse("conferences:programme_pdf", args=[issued.conference.pk])
    viewer = make_user(GrantRole.VIEWER, small_tree.hcm)
    response = _get(client, viewer, url)
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    stranger = make_user(None)
    assert _get(client, stranger, url).status_code == 404
