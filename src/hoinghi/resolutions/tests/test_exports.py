"""The dashboard as .xlsx and as an A4 PDF report, through their URLs."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from hoinghi.core.permissions import GrantRole


@pytest.fixture
def filled(small_tree, reporting, enter):
    enter(small_tree.grassroots_a, {"admitted": 9, "workers": 50, "enterprises": 4, "agreements:A": 2})
    enter(small_tree.grassroots_b, {"admitted": 11, "workers": 70, "enterprises": 6, "agreements:A": 4})
    return reporting


def _get(client, user, name, unit, reporting, **query):
    client.force_login(user)
    params = {"nq": reporting.resolution.pk, "ky": reporting.year.pk, **query}
    return client.get(reverse(f"resolutions:{name}", args=[unit.pk]), params)


def test_the_xlsx_holds_each_indicator_with_its_figures_and_the_children_ranked(
    client, small_tree, filled, make_user
):
    viewer = make_user(GrantRole.VIEWER, small_tree.national)
    response = _get(client, viewer, "dashboard_xlsx", small_tree.national, filled, xep="agreements-a")
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('.xlsx"')
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    rows = list(workbook.worksheets[0].iter_rows(values_only=True))
    by_code = {row[0]: row for row in rows[3:]}
    assert set(by_code) == {"new-members", "agreements-a", "strong"}
    assert by_code["agreements-a"][2:5] == (60, 6, 10)  # 6 of 10 enterprises: sums, not means
    assert by_code["new-members"][2] == 20
    assert by_code["agreements-a"][6] == "đạt"
    ranked = list(workbook.worksheets[1].iter_rows(values_only=True))
    assert [row[1] for row in ranked[2:]] == ["HCM", "HN"]  # 66,7 % then 50 %


def test_text_that_looks_like_a_formula_stays_text_in_the_xlsx(client, small_tree, filled, superuser):
    filled.agreements_share.name = '=HYPERLINK("http://x.invalid","bấm")'
    filled.agreements_share.save()
    small_tree.hcm.name = "=1+1"
    small_tree.hcm.save()
    response = _get(client, superuser, "dashboard_xlsx", small_tree.national, filled, xep="agreements-a")
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    cells = [cell for row in workbook.worksheets[0].iter_rows() for cell in row]
    cells += [cell for row in workbook.worksheets[1].iter_rows() for cell in row]
    assert not [cell.coordinate for cell in cells if cell.data_type == "f"]
    texts = {cell.value for cell in cells}
    assert '=HYPERLINK("http://x.invalid","bấm")' in texts
    assert "=1+1" in texts


def test_the_pdf_report_has_the_official_header_and_a_row_per_indicator(
    client, small_tree, filled, superuser
):
    response = _get(client, superuser, "dashboard_pdf", small_tree.hanoi, filled)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(b"".join(response.streaming_content)))
    assert reader.pages[0].mediabox.width == pytest.approx(595.28, abs=0.5)  # A4
    text = " ".join(" ".join(page.extract_text().split()) for page in reader.pages)
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    assert "Độc lập - Tự do - Hạnh phúc" in text
    assert small_tree.national.name.upper() in text  # the issuing body above Hà Nội
    assert "Hà Nội, ngày" in text
    for name in ("Kết nạp đoàn viên mới", "Tỷ lệ thỏa ước loại A", "Tỷ lệ CĐCS vững mạnh"):
        assert name in text
    assert "50%" in text  # Hà Nội: 2 of 4 enterprises


def test_another_provinces_unit_exports_nothing(client, small_tree, filled, make_user):
    hcm_viewer = make_user(GrantRole.VIEWER, small_tree.hcm)
    for name in ("dashboard_xlsx", "dashboard_pdf"):
        assert _get(client, hcm_viewer, name, small_tree.hanoi, filled).status_code == 404
