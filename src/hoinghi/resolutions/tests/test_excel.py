"""The Excel form: the template of a subtree, filled and uploaded back, previewed, applied."""

import io

import openpyxl
import pytest

from hoinghi.resolutions import excel, selectors, services
from hoinghi.resolutions.errors import ResolutionsError, ResolutionsErrorCode
from hoinghi.resolutions.models import DataValue, RollUp, ValueUploadStatus


def template(actor, reporting, unit) -> openpyxl.Workbook:
    layout = selectors.dataset_layout(reporting.dataset)
    units, values = selectors.subtree_values(
        actor=actor, dataset=reporting.dataset, unit=unit, period=reporting.year
    )
    content = excel.template_build(layout=layout, title="Mẫu", units=units, values=values)
    return openpyxl.load_workbook(io.BytesIO(content))


def saved(workbook) -> bytes:
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def upload(actor, reporting, unit, workbook):
    return services.value_upload_check(
        actor=actor,
        dataset=reporting.dataset,
        unit=unit,
        period=reporting.year,
        file_name="so-lieu.xlsx",
        content=saved(workbook),
    )


def test_the_template_has_a_row_per_unit_and_a_column_per_element(small_tree, reporting, enter, superuser):
    enter(small_tree.grassroots_a, {"workers": 300})
    sheet = template(superuser, reporting, small_tree.hanoi).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1][:3] == ("Mã đơn vị", "Tên đơn vị", "Số lao động [workers]")
    assert "Thỏa ước đã ký – Loại A [agreements:A]" in rows[1]
    assert [row[0] for row in rows[2:]] == ["HN", "HN-BD", "HN-BD-001"]
    assert rows[4][2] == 300


def test_a_unit_named_like_a_formula_stays_text_in_the_template(small_tree, reporting, superuser):
    small_tree.grassroots_a.name = '=HYPERLINK("http://x","y")'
    small_tree.grassroots_a.save()
    sheet = template(superuser, reporting, small_tree.ba_dinh).active
    cell = sheet.cell(row=4, column=2)
    assert cell.value == '=HYPERLINK("http://x","y")' and cell.data_type == "s"


def test_the_filled_template_round_trips_into_values_and_roll_ups(small_tree, reporting, superuser):
    workbook = template(superuser, reporting, small_tree.hanoi)
    sheet = workbook.active
    sheet["C4"], sheet["D4"] = 40, 4  # Ba Đình: workers, admitted
    sheet["C5"], sheet["D5"] = "1.200", 30  # the grassroots union, written the Vietnamese way
    checked = upload(superuser, reporting, small_tree.hanoi, workbook)
    assert checked.status == ValueUploadStatus.PREVIEWED, checked.errors
    assert checked.summary["units"] == 2 and checked.summary["values"] == 4
    services.value_upload_apply(actor=superuser, upload=checked)
    assert DataValue.objects.get(unit=small_tree.grassroots_a, element__code="workers").value == 1200
    total = RollUp.objects.get(unit=small_tree.national, period=reporting.year, element__code="admitted")
    assert total.value == 34 and total.reporting == 2
    with pytest.raises(ResolutionsError) as refused:
        services.value_upload_apply(actor=superuser, upload=checked)
    assert refused.value.code == ResolutionsErrorCode.UPLOAD_APPLIED


def test_a_bad_row_names_row_column_and_reason_and_nothing_is_stored(small_tree, reporting, superuser):
    workbook = template(superuser, reporting, small_tree.hanoi)
    sheet = workbook.active
    sheet["C4"] = 40  # a good row
    sheet["C5"], sheet["D5"] = 10, 12  # admitted > workers
    sheet["E3"] = "nhiều"  # Hà Nội: not a number
    sheet.append(["HCM-Q1-001", "Another province", 5])
    checked = upload(superuser, reporting, small_tree.hanoi, workbook)
    assert checked.status == ValueUploadStatus.INVALID
    by_row = {(error["row"], error["column"]): error["message"] for error in checked.errors}
    assert "không phải là số" in by_row[(3, "E")]
    assert "không được lớn hơn số lao động (10)" in by_row[(5, "D")]
    assert "HCM-Q1-001" in by_row[(6, "A")]
    with pytest.raises(ResolutionsError) as refused:
        services.value_upload_apply(actor=superuser, upload=checked)
    assert refused.value.code == ResolutionsErrorCode.UPLOAD_HAS_ERRORS
    assert not DataValue.objects.exists() and not RollUp.objects.exists()


def test_a_report_submitted_after_the_preview_stops_the_whole_apply(small_tree, reporting, superuser):
    workbook = template(superuser, reporting, small_tree.hanoi)
    workbook.active["C4"], workbook.active["C5"] = 40, 50
    checked = upload(superuser, reporting, small_tree.hanoi, workbook)
    assert checked.status == ValueUploadStatus.PREVIEWED
    services.submission_submit(
        actor=superuser, dataset=reporting.dataset, unit=small_tree.grassroots_a, period=reporting.year
    )
    with pytest.raises(ResolutionsError):
        services.value_upload_apply(actor=superuser, upload=checked)
    checked.refresh_from_db()
    assert checked.status == ValueUploadStatus.INVALID and checked.errors[0]["row"] == 5
    assert not DataValue.objects.exists()


def test_a_file_without_the_table_is_refused(small_tree, reporting, superuser):
    workbook = openpyxl.Workbook()
    workbook.active.append(["Họ tên", "Tuổi"])
    with pytest.raises(ResolutionsError) as refused:
        upload(superuser, reporting, small_tree.hanoi, workbook)
    assert refused.value.code == ResolutionsErrorCode.UPLOAD_BAD_HEADERS


def test_a_value_for_an_element_the_units_level_does_not_report_is_an_error(small_tree, reporting, superuser):
    from hoinghi.orgs.models import Level

    reporting.dataset.elements.get(code="workers").levels.set([Level.objects.get(code="grassroots")])
    workbook = template(superuser, reporting, small_tree.hanoi)
    workbook.active["C4"] = 40  # Ba Đình, a district: workers are the grassroots unions' figure
    workbook.active["C5"] = 50
    checked = upload(superuser, reporting, small_tree.hanoi, workbook)
    assert [(error["row"], error["column"]) for error in checked.errors] == [(4, "C")]
    assert "không áp dụng" in checked.errors[0]["message"]
