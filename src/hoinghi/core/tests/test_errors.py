"""One error path: a refusal reaches the user as a Vietnamese page in the site's layout, or as
{"code", "message", "params"} for the API, with the error's status; Django's own error pages
(400, 403, 404, 500, CSRF failure) are Vietnamese too; input the database cannot take (NUL
characters) is refused at the edge, never a 500. The tests assert codes and statuses."""

import json

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import DataError
from django.test import Client
from django.urls import path, reverse
from django.utils import translation

from hoinghi.core.errors import DomainError
from hoinghi.core.permissions import GrantRole
from hoinghi.urls import handler400, handler403, handler404, handler500
from hoinghi.urls import urlpatterns as site_urlpatterns

# A URLconf for the tests that need a view failing on purpose: the site's, plus three views.
__all__ = ["handler400", "handler403", "handler404", "handler500"]


def _crash(request):
    raise RuntimeError("a bug")


def _refuse(request):
    raise DomainError("Từ chối %(what)s.", code="refused_for_test", params={"what": "thử"})


def _library_refuses(request):
    raise PermissionDenied("a library's refusal")


def _database_refuses(request):
    raise DataError('value too long for type character varying(10)\nCONTEXT: "kỹ thuật"')


urlpatterns = [
    *site_urlpatterns,
    path("thu-loi/500/", _crash),
    path("thu-loi/tu-choi/", _refuse),
    path("thu-loi/du-lieu/", _database_refuses),
    path("thu-loi/thu-vien/", _library_refuses),
]


@pytest.fixture
def organiser(small_tree, make_user, client):
    user = make_user(GrantRole.ORGANISER, small_tree.national)
    client.force_login(user)
    return user


def _is_vietnamese_site_page(response) -> bool:
    page = response.content.decode()
    names = {template.name for template in response.templates}
    return '<html lang="vi">' in page and "base.html" in names and "error.html" in names


# --- A domain error from a page, from the API ------------------------------------------------------


def test_a_refused_action_shows_the_reason_on_a_vietnamese_page_with_a_way_back(
    client, organiser, small_tree
):
    back = "http://testserver" + reverse("orgs:unit_detail", args=[small_tree.hanoi.pk])
    response = client.post(reverse("orgs:unit_delete", args=[small_tree.hanoi.pk]), headers={"referer": back})

    assert response.status_code == 400
    assert response.context["code"] == "unit_has_children"
    assert _is_vietnamese_site_page(response)
    page = response.content.decode()
    assert f'href="{back}"' in page and 'href="/"' in page
    assert "unit_has_children" in page  # the code, for whoever reports the problem


def test_not_found_and_forbidden_keep_their_status_and_code(client, small_tree, make_user):
    client.force_login(make_user(GrantRole.ORGANISER, small_tree.hanoi))
    response = client.get(reverse("orgs:unit_detail", args=[small_tree.hcm.pk]))
    assert (response.status_code, response.context["code"]) == (404, "not_found")
    assert _is_vietnamese_site_page(response)

    client.force_login(make_user(GrantRole.VIEWER, small_tree.national))
    response = client.post(reverse("orgs:unit_delete", args=[small_tree.grassroots_a.pk]))
    assert (response.status_code, response.context["code"]) == (403, "forbidden")
    assert _is_vietnamese_site_page(response)


@pytest.mark.urls(__name__)
def test_a_domain_error_is_json_for_the_api_and_for_clients_asking_for_json(client):
    response = client.get("/thu-loi/tu-choi/")
    assert (response.status_code, response.context["code"]) == (400, "refused_for_test")
    assert "Từ chối thử." in response.content.decode()

    response = client.get("/thu-loi/tu-choi/", headers={"accept": "application/json"})
    assert response.status_code == 400
    assert response.json() == {
        "code": "refused_for_test",
        "message": "Từ chối thử.",
        "params": {"what": "thử"},
    }


def test_the_api_answers_not_found_in_the_same_shape(client, organiser):
    response = client.get("/api/conferences/999999/live")
    assert response.status_code == 404
    body = response.json()
    assert set(body) == {"code", "message", "params"} and body["code"] == "not_found"

    response = client.get("/api/khong-co-dia-chi-nay")
    assert response.status_code == 404 and response.json()["code"] == "not_found"


# --- Django's own error pages ----------------------------------------------------------------------


def test_an_unknown_address_gets_the_vietnamese_404_page(client, organiser):
    response = client.get("/khong-co-trang-nay/")
    assert (response.status_code, response.context["code"]) == (404, "not_found")
    assert _is_vietnamese_site_page(response)
    assert "Not Found" not in response.content.decode()


def test_the_error_pages_follow_the_language_the_user_chose(client, organiser):
    client.post(reverse("set_language"), {"language": "en"})
    try:
        response = client.get("/khong-co-trang-nay/")
        page = response.content.decode()
        assert '<html lang="en">' in page and "Page not found" in page and "Không tìm thấy" not in page
    finally:
        translation.activate(settings.LANGUAGE_CODE)  # LocaleMiddleware left English active here


def test_a_bad_request_gets_the_vietnamese_400_page(client, db):
    response = client.get(reverse("accounts:login"), headers={"host": "ke-la.example"})  # DisallowedHost
    assert (response.status_code, response.context["code"]) == (400, "bad_request")
    assert _is_vietnamese_site_page(response)
    assert "Bad Request" not in response.content.decode()


def test_a_form_sent_without_its_csrf_token_gets_the_vietnamese_expired_form_page(db):
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("accounts:login"), {"username": "a", "password": "b"})
    assert (response.status_code, response.context["code"]) == (403, "csrf_failed")
    assert _is_vietnamese_site_page(response)
    page = response.content.decode()
    assert "403_csrf.html" in {template.name for template in response.templates}
    assert "CSRF verification failed" not in page and "Forbidden" not in page


@pytest.mark.urls(__name__)
def test_a_crash_gets_the_plain_vietnamese_500_page_or_json(client):
    client.raise_request_exception = False
    response = client.get("/thu-loi/500/")
    assert response.status_code == 500
    page = response.content.decode()
    assert '<html lang="vi">' in page and "server_error" in page
    assert "Server Error" not in page and "a bug" not in page
    # Rendered without a request context: no template of the site's layout was needed.
    assert "base.html" not in {template.name for template in response.templates}

    response = client.get("/thu-loi/500/", headers={"accept": "application/json"})
    assert (response.status_code, response.json()["code"]) == (500, "server_error")


@pytest.mark.urls(__name__)
def test_a_database_data_error_is_a_bad_request_not_a_500(client, caplog):
    client.raise_request_exception = False
    response = client.get("/thu-loi/du-lieu/")
    assert (response.status_code, response.context["code"]) == (400, "invalid_input")
    assert "character varying" not in response.content.decode()  # the database's words stay in the log
    assert "character varying" in caplog.text


@pytest.mark.urls(__name__)
def test_a_refusal_is_logged_on_one_line_and_a_fault_with_its_traceback(client, db, caplog):
    """Django attaches the traceback of a `PermissionDenied` to its log line; the logging
    configuration keeps refusals to one line (core.views.RefusalsOnOneLine) and faults whole."""
    client.raise_request_exception = False
    refused = client.get("/thu-loi/thu-vien/")
    assert (refused.status_code, refused.context["code"]) == (403, "forbidden")
    crashed = client.get("/thu-loi/500/")
    assert crashed.status_code == 500
    logged = {record.status_code: record for record in caplog.records if record.name == "django.request"}
    assert logged[403].getMessage() == "Forbidden (Permission denied): /thu-loi/thu-vien/"
    assert logged[403].exc_info is None and "Traceback" not in caplog.text.split("Internal Server")[0]
    assert logged[500].exc_info is not None


# --- NUL characters at the edge --------------------------------------------------------------------


def test_a_nul_in_the_invitation_link_is_not_found(client, db):
    response = client.get("/moi/%00/")
    assert (response.status_code, response.context["code"]) == (404, "not_found")
    assert client.get("/moi/%00/qr.svg").status_code == 404
    assert client.get("/truc-tiep/moi/%00/cau-hoi/").status_code == 404


@pytest.mark.parametrize(
    "url",
    [
        "/to-chuc/?q=%00",
        "/to-chuc/tim-don-vi/?q=ab%00",
        "/to-chuc/can-bo/?q=%00",
        "/to-chuc/can-bo/?unit=%00",
        "/to-chuc/can-bo/?%00=1",
    ],
)
def test_a_nul_in_a_search_field_is_a_bad_request(client, organiser, url):
    response = client.get(url)
    assert (response.status_code, response.context["code"]) == (400, "invalid_characters")
    assert _is_vietnamese_site_page(response)


def test_a_nul_in_a_posted_form_is_a_bad_request(client, db):
    response = client.post(reverse("accounts:login"), {"username": "a\x00b", "password": "x"})
    assert (response.status_code, response.context["code"]) == (400, "invalid_characters")


def test_a_nul_sent_to_the_api_is_answered_in_json(client, organiser):
    response = client.get("/api/points/1/people?q=%00")
    assert (response.status_code, response.json()["code"]) == (400, "invalid_characters")
    response = client.post(
        "/api/invitations/%00/checkin",
        json.dumps({"id": "8c7e4c2e-0000-4000-8000-000000000000"}),
        content_type="application/json",
    )
    assert (response.status_code, response.json()["code"]) == (404, "not_found")
