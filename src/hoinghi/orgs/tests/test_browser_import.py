"""Importing a file through the real pages, on a laptop and on a phone."""

import pytest

from hoinghi.conftest import screenshot
from hoinghi.core.permissions import GrantRole
from hoinghi.orgs.models import Person, Position
from hoinghi.orgs.tests.conftest import PEOPLE_HEADER, xlsx_bytes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
GOOD = [
    ["CB001", "Nguyễn", "Văn", "An", "Nam", "05/03/1975", "0912345678", "an@ldld.vn", "HN", "chu-tich", "x"],
    ["CB002", "Trần", "Thị", "Bình", "Nữ", "01/12/1980", "", "", "HN-BD", "Phó Chủ tịch; uy-vien-bch", ""],
    ["CB003", "Lê", "", "Cường", "", "", "", "", "HN-BD-001", "", ""],
]
BAD = [
    *GOOD,
    ["CB004", "Phạm", "", "", "Nữ", "31/02/1990", "", "khong-phai-email", "HCM-Q1", "giam-doc", ""],
    ["CB001", "Trùng", "", "Mã", "", "", "", "", "HN", "", ""],
]


@pytest.fixture
def organiser(small_tree, roles, make_user):
    return make_user(GrantRole.ORGANISER, small_tree.hanoi)


def _upload(page, live_server, content: bytes, name: str = "can-bo.xlsx") -> None:
    page.goto(f"{live_server.url}/to-chuc/nhap/")
    page.check("input[name=kind][value=people]")
    page.set_input_files("input[type=file]", files=[{"name": name, "mimeType": XLSX, "buffer": content}])
    page.click("form.stacked button[type=submit]")
    page.locator("#import-summary").wait_for()


def test_upload_preview_and_apply_on_a_laptop(page_for, organiser, live_server):
    page = page_for(organiser)
    page.goto(f"{live_server.url}/to-chuc/nhap/")
    page.get_by_text("Tải tệp mẫu .xlsx").first.wait_for()
    screenshot(page, "import-start-desktop")

    _upload(page, live_server, xlsx_bytes(PEOPLE_HEADER, GOOD))
    assert page.locator("#import-summary .stat .value").nth(1).inner_text() == "3"  # to add
    assert page.locator("#import-errors").count() == 0
    screenshot(page, "import-preview-desktop")

    page.click("#apply")
    page.get_by_text("Đã áp dụng lúc").wait_for()
    screenshot(page, "import-applied-desktop")
    assert Person.objects.count() == 3
    assert Position.objects.filter(end_date__isnull=True).count() == 3


def test_errors_are_listed_and_apply_is_not_offered_on_a_phone(page_for, organiser, live_server):
    page = page_for(organiser, width=390, height=844)
    page.goto(f"{live_server.url}/to-chuc/nhap/")
    screenshot(page, "import-start-phone")
    _upload(page, live_server, xlsx_bytes(PEOPLE_HEADER, BAD))
    rows = page.locator("#import-errors tbody tr")
    assert rows.count() == 6
    assert rows.first.locator("td").first.inner_text() == "5"
    assert page.locator("#apply").count() == 0
    screenshot(page, "import-errors-phone")
    assert not Person.objects.exists()


def test_a_wrong_file_is_refused_on_the_form(page_for, organiser, live_server):
    page = page_for(organiser, width=390, height=844)
    page.goto(f"{live_server.url}/to-chuc/nhap/")
    page.set_input_files(
        "input[type=file]",
        files=[{"name": "ghi-chu.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4"}],
    )
    page.click("form.stacked button[type=submit]")
    page.locator("#file-errors").wait_for()
    assert ".xlsx" in page.locator("#file-errors").inner_text()
    screenshot(page, "import-refused-phone")


def test_the_export_page_on_a_phone(page_for, organiser, live_server):
    page = page_for(organiser, width=390, height=844)
    page.goto(f"{live_server.url}/to-chuc/xuat/")
    page.get_by_text("Tải xuống").wait_for()
    screenshot(page, "export-phone")
    with page.expect_download() as download:
        page.click("form.stacked button[type=submit]")
    assert download.value.suggested_filename.startswith("can-bo-")
