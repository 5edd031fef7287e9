"""Naming a bridge point's operators: the single form, and the accounts made in bulk (issue 17)."""

import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from hoinghi.accounts.models import User
from hoinghi.accounts.tests.factories import UserFactory
from hoinghi.conferences import services
from hoinghi.conferences.errors import ConferenceErrorCode
from hoinghi.conferences.models import BridgePoint
from hoinghi.core.errors import NotFoundError
from hoinghi.core.models import AuditEntry
from hoinghi.core.permissions import GrantRole


def _operators_url(conference, point):
    return reverse("conferences:point_operators", args=[conference.pk, point.pk])


def _errors(response) -> list[str]:
    return re.findall(r'<ul class="errorlist">(.*?)</ul>', response.content.decode(), re.S)


# --- The single form: no hint of which usernames exist (item 2) ----------------------------------


def test_the_operator_form_answers_alike_for_a_missing_username_and_one_outside_the_organisers_tree(
    client, small_conference, small_tree, make_user
):
    conference, point = small_conference.conference, small_conference.ba_dinh_point
    hanoi_organiser = make_user(GrantRole.ORGANISER, small_tree.hanoi)
    make_user(GrantRole.ORGANISER, small_tree.hcm, username="hcm-organiser")
    make_user(GrantRole.SYSTEM_ADMIN, small_tree.national, username="quantri")
    make_user(username="no-grant-at-all")
    client.force_login(hanoi_organiser)

    answers = {}
    for username in ("khong-ton-tai", "hcm-organiser", "quantri", "no-grant-at-all"):
        response = client.post(_operators_url(conference, point), {"username": username})
        answers[username] = (response.status_code, [e.replace(username, "…") for e in _errors(response)])
    assert len(set(map(repr, answers.values()))) == 1, answers
    status, [error] = answers["khong-ton-tai"]
    assert status == 400 and "Không tìm thấy tài khoản" in error
    assert not point.operators.exists()


def test_the_operator_form_finds_whom_the_organiser_may_see(
    client, small_conference, small_tree, make_user, superuser
):
    conference, point = small_conference.conference, small_conference.ba_dinh_point
    hanoi_organiser = make_user(GrantRole.ORGANISER, small_tree.hanoi)
    in_subtree = make_user(GrantRole.VIEWER, small_tree.grassroots_a, username="xem-cdcs-a")
    made_by_them = UserFactory(username="tao-boi-ha-noi", created_by=hanoi_organiser)
    operating_here = make_user(username="van-hanh-diem-khac")
    other_hanoi_point = services.point_create(
        actor=superuser,
        conference=conference,
        unit=small_tree.hanoi,
        name="Điểm cầu Hà Nội",
        level=small_conference.host.level,
    )
    services.point_operator_add(actor=superuser, point=other_hanoi_point, user=operating_here)
    client.force_login(hanoi_organiser)
    for user in (in_subtree, made_by_them, operating_here):
        response = client.post(_operators_url(conference, point), {"username": user.username})
        assert response.status_code == 302, user.username
    assert set(point.operators.all()) == {in_subtree, made_by_them, operating_here}
    # Someone operating a point of the same conference that the organiser does not see stays hidden.
    hcm_operator = make_user(username="van-hanh-hcm")
    services.point_operator_add(actor=superuser, point=small_conference.hcm_point, user=hcm_operator)
    response = client.post(_operators_url(conference, point), {"username": "van-hanh-hcm"})
    assert response.status_code == 400


def test_an_inactive_account_is_not_found_either(client, small_conference, small_tree, make_user):
    conference, point = small_conference.conference, small_conference.ba_dinh_point
    make_user(GrantRole.VIEWER, small_tree.ba_dinh, username="da-khoa", is_active=False)
    client.force_login(make_user(GrantRole.ORGANISER, small_tree.hanoi))
    response = client.post(_operators_url(conference, point), {"username": "da-khoa"})
    assert response.status_code == 400 and "Không tìm thấy tài khoản" in _errors(response)[0]


# --- Operator accounts in bulk (item 1) -----------------------------------------------------------


def _pages(pdf: bytes) -> int:
    return len(re.findall(rb"/Type /Page[^s]", pdf))


def _payload(response) -> str:
    return re.search(r'name="payload" value="([^"]+)"', response.content.decode()).group(1)


@pytest.fixture
def organiser(make_user, small_tree):
    return make_user(GrantRole.ORGANISER, small_tree.national)


@pytest.fixture
def staffed_ba_dinh(small_conference, make_user, superuser):
    """Ba Đình has its operator already: bulk making leaves it alone."""
    user = make_user(username="van-hanh-ba-dinh")
    services.point_operator_add(actor=superuser, point=small_conference.ba_dinh_point, user=user)
    return user


def _start(client, conference, data):
    return client.post(reverse("conferences:operator_accounts", args=[conference.pk]), data)


def _create(client, conference, payload):
    return client.post(
        reverse("conferences:operator_accounts_create", args=[conference.pk]), {"payload": payload}
    )


def test_an_organiser_makes_accounts_for_every_point_without_an_operator_after_confirming_the_count(
    client, small_conference, organiser, staffed_ba_dinh
):
    conference = small_conference.conference
    client.force_login(organiser)
    points_page = client.get(reverse("conferences:points", args=[conference.pk])).content.decode()
    assert 'id="operator-accounts"' in points_page and "2 điểm cầu chưa có" in points_page
    users_before = User.objects.count()

    confirm = _start(client, conference, {"which": "all", "delivery": "sheet"})
    page = confirm.content.decode()
    assert confirm.status_code == 200 and 'id="operator-count"' in page
    assert "Tạo 2 tài khoản vận hành cho 2 điểm cầu?" in page
    assert 'data-confirm="Tạo 2 tài khoản vận hành?"' in page
    assert f"dc-{conference.pk}-tld" in page and f"dc-{conference.pk}-hcm" in page
    assert User.objects.count() == users_before  # nothing made before the confirmation

    response = _create(client, conference, _payload(confirm))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert f"tai-khoan-van-hanh-hoi-nghi-{conference.pk}-2-tai-khoan.pdf" in response["Content-Disposition"]
    assert response["Cache-Control"] == "private, no-store"
    assert _pages(response.content) == 1  # four blocks a page
    made = {point.pk: list(point.operators.all()) for point in conference.points.all()}
    [host_user] = made[small_conference.host.pk]
    [hcm_user] = made[small_conference.hcm_point.pk]
    assert made[small_conference.ba_dinh_point.pk] == [staffed_ba_dinh]
    assert (host_user.username, hcm_user.username) == (f"dc-{conference.pk}-tld", f"dc-{conference.pk}-hcm")
    for user in (host_user, hcm_user):
        assert user.must_change_password and user.has_usable_password() and user.created_by == organiser
        assert not (user.grants.exists() or user.is_staff)  # the relation alone
    assert (
        AuditEntry.objects.filter(type="conferences.point.operator_account_created", actor=organiser).count()
        == 2
    )

    # Again: nothing left to make, and the old confirmation makes nothing either.
    again = _start(client, conference, {"which": "all", "delivery": "sheet"})
    assert "Không có tài khoản nào cần tạo" in again.content.decode()
    response = _create(client, conference, _payload(confirm))
    assert response.status_code == 302 and User.objects.count() == users_before + 2


def test_points_are_chosen_by_level_or_one_by_one(client, small_conference, organiser, point_levels):
    conference = small_conference.conference
    client.force_login(organiser)
    confirm = _start(
        client, conference, {"which": "level", "level": point_levels["district"].pk, "delivery": "sheet"}
    )
    assert "Tạo 1 tài khoản vận hành cho 1 điểm cầu?" in confirm.content.decode()
    _create(client, conference, _payload(confirm))
    assert [u.username for u in small_conference.ba_dinh_point.operators.all()] == [
        f"dc-{conference.pk}-hn-bd"
    ]
    confirm = _start(
        client,
        conference,
        {"which": "selected", "points": [small_conference.hcm_point.pk], "delivery": "sheet"},
    )
    assert "Tạo 1 tài khoản vận hành cho 1 điểm cầu?" in confirm.content.decode()
    _create(client, conference, _payload(confirm))
    assert small_conference.hcm_point.operators.count() == 1
    assert not small_conference.host.operators.exists()
    response = _start(client, conference, {"which": "selected", "delivery": "sheet"})
    assert response.status_code == 400 and "Hãy chọn ít nhất một điểm cầu" in response.content.decode()


def test_a_taken_username_gets_the_points_id(client, small_conference, organiser):
    conference = small_conference.conference
    UserFactory(username=f"dc-{conference.pk}-hcm")
    client.force_login(organiser)
    confirm = _start(
        client,
        conference,
        {"which": "selected", "points": [small_conference.hcm_point.pk], "delivery": "sheet"},
    )
    _create(client, conference, _payload(confirm))
    [user] = small_conference.hcm_point.operators.all()
    assert user.username == f"dc-{conference.pk}-hcm-{small_conference.hcm_point.pk}"


def test_passwords_go_by_email_to_the_technical_contact_and_only_the_rest_on_the_sheet(
    client, small_conference, organiser, superuser, mailoutbox, django_capture_on_commit_callbacks
):
    conference = small_conference.conference
    services.point_update(actor=superuser, point=small_conference.hcm_point, contact_email="kythuat@hcm.vn")
    client.force_login(organiser)
    confirm = _start(client, conference, {"which": "all", "delivery": "email"})
    page = confirm.content.decode()
    assert "thư tới kythuat@hcm.vn" in page and "<strong>2</strong> tài khoản in trên phiếu" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = _create(client, conference, _payload(confirm))
    assert response["Content-Type"] == "application/pdf"
    assert "-2-tai-khoan.pdf" in response["Content-Disposition"]
    [message] = mailoutbox
    assert message.to == ["kythuat@hcm.vn"] and "Điểm cầu Hồ Chí Minh" in message.subject
    [user] = small_conference.hcm_point.operators.all()
    password = re.search(r"Mật khẩu dùng một lần: (\S+)", message.body).group(1)
    assert (
        user.username in message.body
        and f"/truc-tiep/diem-cau/{small_conference.hcm_point.pk}/" in message.body
    )
    user.refresh_from_db()
    assert user.check_password(password) and user.must_change_password

    # The task again (a retry) sends nothing twice.
    assert services.operator_credentials_email(conference=conference, user_ids=[user.pk]) == {
        "sent": 0,
        "failed": 0,
    }


def test_an_operator_made_in_bulk_changes_the_password_then_operates_their_point_only(
    client, small_conference, organiser
):
    conference = small_conference.conference
    made = services.point_operators_create(
        actor=organiser,
        conference=conference,
        points=[small_conference.hcm_point, small_conference.ba_dinh_point],
    )
    account = next(a for a in made if a.plan.point == small_conference.hcm_point)
    checkin = reverse("attendance:checkin", args=[small_conference.hcm_point.pk])
    response = client.post(
        reverse("accounts:login"),
        {"username": account.user.username, "password": account.password, "next": checkin},
    )
    assert client.get(checkin)["Location"].startswith(reverse("accounts:password_change"))
    new = "Van-hanh-HCM-2018"
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": account.password, "new_password1": new, "new_password2": new, "next": checkin},
    )
    assert response["Location"] == checkin
    assert client.get(checkin).status_code == 200
    other = reverse("attendance:checkin", args=[small_conference.ba_dinh_point.pk])
    assert client.get(other).status_code == 404
    assert (
        client.get(
            reverse("conferences:point_detail", args=[conference.pk, small_conference.host.pk])
        ).status_code
        == 404
    )


def test_the_xlsx_names_each_points_operator(client, small_conference, organiser, staffed_ba_dinh):
    from openpyxl import Workbook, load_workbook

    conference = small_conference.conference
    client.force_login(organiser)
    template = client.get(reverse("conferences:operator_template_xlsx", args=[conference.pk]))
    rows = list(load_workbook(io.BytesIO(template.content)).active.iter_rows(values_only=True))
    assert rows[0][:5] == ("Mã điểm cầu", "Tên điểm cầu", "Họ và tên", "Điện thoại", "Thư điện tử")
    assert sorted(row[0] for row in rows[1:]) == ["HCM", "TLD"]  # Ba Đình has an operator

    def upload(lines):
        workbook = Workbook()
        for line in [["Mã điểm cầu", "Họ và tên", "Điện thoại", "Thư điện tử"], *lines]:
            workbook.active.append(line)
        content = io.BytesIO()
        workbook.save(content)
        file = SimpleUploadedFile("nguoi-van-hanh.xlsx", content.getvalue())
        return client.post(
            reverse("conferences:operator_accounts", args=[conference.pk]),
            {"file": file, "delivery": "sheet"},
        )

    response = upload(
        [["hcm", "Trần Văn Kỹ", 912345678, "ky@hcm.vn"], ["KHONG-CO", "A", "", ""], ["HCM", "B", "", "sai@"]]
    )
    page = response.content.decode()
    assert response.status_code == 400 and 'id="file-errors"' in page
    assert "Dòng 3" in page and "KHONG-CO" in page and "Dòng 4" in page
    assert not small_conference.hcm_point.operators.exists()

    response = upload([["HCM", "Trần Văn Kỹ", 912345678, "ky@hcm.vn"], ["HN-BD", "Lê Thị Ba", "", ""]])
    page = response.content.decode()
    assert "Tạo 1 tài khoản vận hành cho 1 điểm cầu?" in page and "Trần Văn Kỹ" in page
    assert "1 điểm cầu trong tệp đã có người vận hành" in page
    _create(client, conference, _payload(response))
    [user] = small_conference.hcm_point.operators.all()
    assert (user.full_name, user.phone, user.email) == ("Trần Văn Kỹ", "0912345678", "ky@hcm.vn")
    assert not small_conference.host.operators.exists()


def test_a_provincial_organiser_makes_accounts_for_their_own_points_only(
    client, small_conference, make_user, small_tree, organiser
):
    conference = small_conference.conference
    client.force_login(make_user(GrantRole.ORGANISER, small_tree.hcm))
    confirm = _start(client, conference, {"which": "all", "delivery": "sheet"})
    assert "Tạo 1 tài khoản vận hành cho 1 điểm cầu?" in confirm.content.decode()
    # Another organiser's confirmation, or a tampered one, is refused as such.
    other = Client()
    other.force_login(organiser)
    national = _payload(_start(other, conference, {"which": "all", "delivery": "sheet"}))
    for payload in (national, _payload(confirm)[:-2] + "xx"):
        response = _create(client, conference, payload)
        assert (response.status_code, response.context["code"]) == (400, "bad_request")
    assert not BridgePoint.operators.through.objects.exists()
    # Their own makes the account of their point.
    _create(client, conference, _payload(confirm))
    assert list(BridgePoint.operators.through.objects.values_list("bridgepoint_id", flat=True)) == [
        small_conference.hcm_point.pk
    ]


def test_a_point_outside_the_actors_tree_is_refused_before_anything_is_made(
    small_conference, make_user, small_tree
):
    conference = small_conference.conference
    with pytest.raises(NotFoundError):  # the Ba Đình point is outside what they see
        services.point_operators_create(
            actor=make_user(GrantRole.ORGANISER, small_tree.hcm),
            conference=conference,
            points=[small_conference.hcm_point, small_conference.ba_dinh_point],
        )
    assert (
        not BridgePoint.operators.through.objects.exists()
        and not User.objects.filter(username__startswith="dc-").exists()
    )


def test_viewers_and_operators_make_no_accounts(
    client, small_conference, make_user, small_tree, staffed_ba_dinh
):
    conference = small_conference.conference
    url = reverse("conferences:operator_accounts", args=[conference.pk])
    for user in (make_user(GrantRole.VIEWER, small_tree.national), staffed_ba_dinh):
        client.force_login(user)
        assert client.get(url).status_code == 403
        assert (
            'id="operator-accounts"'
            not in client.get(reverse("conferences:points", args=[conference.pk])).content.decode()
        )


def test_a_lost_password_is_renewed_on_a_sheet_but_never_for_an_account_holding_more(
    client, small_conference, organiser, staffed_ba_dinh, make_user, small_tree, superuser
):
    conference = small_conference.conference
    [account] = services.point_operators_create(
        actor=organiser, conference=conference, points=[small_conference.hcm_point]
    )
    client.force_login(organiser)
    detail = client.get(
        reverse("conferences:point_detail", args=[conference.pk, small_conference.hcm_point.pk])
    )
    assert f'data-renew="{account.user.username}"' in detail.content.decode()
    url = reverse(
        "conferences:operator_password_renew",
        args=[conference.pk, small_conference.hcm_point.pk, account.user.pk],
    )
    response = client.post(url)
    assert response["Content-Type"] == "application/pdf" and _pages(response.content) == 1
    account.user.refresh_from_db()
    assert not account.user.check_password(account.password) and account.user.must_change_password

    # Someone who also holds a role (or operates a point the organiser does not run) is not theirs to reset.
    official = make_user(GrantRole.VIEWER, small_tree.ba_dinh, created_by=organiser)
    services.point_operator_add(actor=superuser, point=small_conference.ba_dinh_point, user=official)
    response = client.post(
        reverse(
            "conferences:operator_password_renew",
            args=[conference.pk, small_conference.ba_dinh_point.pk, official.pk],
        )
    )
    assert (response.status_code, response.context["code"]) == (400, ConferenceErrorCode.NOT_RENEWABLE)
    hanoi = make_user(GrantRole.ORGANISER, small_tree.hanoi)
    services.point_operator_add(actor=superuser, point=small_conference.ba_dinh_point, user=account.user)
    client.force_login(hanoi)
    response = client.post(
        reverse(
            "conferences:operator_password_renew",
            args=[conference.pk, small_conference.ba_dinh_point.pk, account.user.pk],
        )
    )
    assert response.status_code == 400  # it operates the HCM point too, outside Hà Nội
