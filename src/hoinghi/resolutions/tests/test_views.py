"""The pages through their real URLs: scoping, the entry form, approval, the Excel round trip."""

import io

import openpyxl
import pytest
from django.urls import reverse

from hoinghi.core.permissions import GrantRole
from hoinghi.resolutions.models import DataValue, RollUp, Submission, SubmissionState


def report_args(reporting, unit):
    return [reporting.dataset.pk, unit.pk, reporting.year.pk]


@pytest.fixture
def hanoi_reporter(small_tree, reporter, client):
    user = reporter(small_tree.hanoi)
    client.force_login(user)
    return user


def test_a_provinces_user_sees_404_for_another_provinces_unit(small_tree, reporting, client, hanoi_reporter):
    hcm = small_tree.grassroots_b
    assert client.get(reverse("resolutions:dashboard", args=[small_tree.hanoi.pk])).status_code == 200
    for name in ("entry", "approval", "template"):
        assert client.get(reverse(f"resolutions:{name}", args=report_args(reporting, hcm))).status_code == 404
    assert client.get(reverse("resolutions:dashboard", args=[hcm.pk])).status_code == 404
    assert client.get(reverse("resolutions:dashboard", args=[small_tree.national.pk])).status_code == 404
    posted = client.post(
        reverse("resolutions:entry", args=report_args(reporting, hcm)), {"v-workers": "5", "version": ""}
    )
    assert posted.status_code == 404
    assert not DataValue.objects.exists()


def test_the_menu_leads_to_the_dashboard_only_for_those_who_hold_the_action(small_tree, client, make_user):
    client.force_login(make_user(GrantRole.VIEWER, small_tree.hanoi))
    assert reverse("resolutions:index") in client.get(reverse("orgs:tree")).content.decode()
    client.force_login(make_user(GrantRole.SITE_OPERATOR, small_tree.hanoi))
    assert reverse("resolutions:index") not in client.get(reverse("orgs:tree")).content.decode()


def test_the_entry_form_saves_and_shows_last_periods_values(
    small_tree, reporting, client, hanoi_reporter, enter
):
    enter(small_tree.grassroots_a, {"workers": 280}, period=reporting.last_year)
    url = reverse("resolutions:entry", args=report_args(reporting, small_tree.grassroots_a))
    page = client.get(url).content.decode()
    assert "280" in page and 'name="v-agreements:A"' in page
    response = client.post(
        url, {"v-workers": "1.300", "v-admitted": "40", "c-admitted": "Quý 4 tăng", "version": ""}
    )
    assert response.status_code == 302
    stored = DataValue.objects.get(
        unit=small_tree.grassroots_a, period=reporting.year, element__code="admitted"
    )
    assert stored.value == 40 and stored.comment == "Quý 4 tăng"
    assert (
        RollUp.objects.get(unit=small_tree.national, period=reporting.year, element__code="workers").value
        == 1300
    )


def test_a_broken_rule_is_shown_on_its_field_and_the_typed_values_stay(
    small_tree, reporting, client, hanoi_reporter
):
    url = reverse("resolutions:entry", args=report_args(reporting, small_tree.grassroots_a))
    response = client.post(url, {"v-workers": "10", "v-admitted": "12", "version": ""})
    assert response.status_code == 400
    page = response.content.decode()
    assert "không được lớn hơn số lao động (10)" in page and 'value="12"' in page
    assert not DataValue.objects.exists()


def test_submit_then_the_level_above_returns_and_approves(small_tree, reporting, client, hanoi_reporter):
    url = reverse("resolutions:entry", args=report_args(reporting, small_tree.grassroots_a))
    client.post(url, {"v-workers": "10", "submit": "1", "version": ""})
    submission = Submission.objects.get(unit=small_tree.grassroots_a)
    assert submission.state == SubmissionState.SUBMITTED
    approval = client.get(reverse("resolutions:approval", args=report_args(reporting, small_tree.ba_dinh)))
    assert small_tree.grassroots_a.name in approval.content.decode()
    decide = reverse("resolutions:submission_decide", args=[submission.pk, "tra-lai"])
    assert client.post(decide, {"comment": "Thiếu số đoàn viên"}).status_code == 302
    client.post(url, {"v-workers": "10", "v-admitted": "2", "submit": "1", "version": ""})
    client.post(reverse("resolutions:submission_decide", args=[submission.pk, "duyet"]))
    submission.refresh_from_db()
    assert submission.state == SubmissionState.APPROVED


def test_the_dashboard_shows_each_indicator_against_its_target_and_ranks_children(
    small_tree, reporting, client, superuser, enter
):
    enter(small_tree.grassroots_a, {"enterprises": 2, "agreements:A": 1})
    enter(small_tree.grassroots_b, {"enterprises": 4, "agreements:A": 3})
    client.force_login(superuser)
    page = client.get(
        reverse("resolutions:dashboard", args=[small_tree.national.pk]), {"xep": "agreements-a"}
    ).content.decode()
    assert "Tỷ lệ thỏa ước loại A" in page and "66,7%" in page  # 4 of 6, not the mean of 50 % and 75 %
    assert page.index(small_tree.hcm.name) < page.index(small_tree.hanoi.name)  # 75 % ranks first


def test_the_excel_round_trip_through_the_pages(small_tree, reporting, client, hanoi_reporter):
    template = client.get(reverse("resolutions:template", args=report_args(reporting, small_tree.hanoi)))
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(template.streaming_content)))
    workbook.active["C5"] = 77
    output = io.BytesIO()
    workbook.save(output)
    output.name = "so-lieu.xlsx"
    output.seek(0)
    response = client.post(
        reverse("resolutions:upload", args=report_args(reporting, small_tree.hanoi)), {"file": output}
    )
    assert response.status_code == 302
    preview = client.get(response["Location"])
    assert "Ghi số liệu" in preview.content.decode()
    upload_pk = int(response["Location"].rstrip("/").split("/")[-1])
    client.post(reverse("resolutions:upload_apply", args=[upload_pk]))
    assert DataValue.objects.get(unit=small_tree.grassroots_a, element__code="workers").value == 77


def test_the_entry_form_shows_only_the_elements_of_the_units_level(
    small_tree, reporting, client, hanoi_reporter
):
    from hoinghi.orgs.models import Level

    reporting.dataset.elements.get(code="workers").levels.set([Level.objects.get(code="grassroots")])
    district = client.get(reverse("resolutions:entry", args=report_args(reporting, small_tree.ba_dinh)))
    grassroots = client.get(
        reverse("resolutions:entry", args=report_args(reporting, small_tree.grassroots_a))
    )
    assert 'name="v-workers"' not in district.content.decode()
    assert 'name="v-workers"' in grassroots.content.decode()


def test_the_national_dashboard_costs_a_bounded_number_of_queries(
    small_tree, reporting, client, superuser, enter, django_assert_max_num_queries
):
    enter(small_tree.grassroots_a, {"enterprises": 2, "agreements:A": 1, "admitted": 3})
    client.force_login(superuser)
    url = reverse("resolutions:dashboard", args=[small_tree.national.pk])
    client.get(url)
    # At most 33: the period's window (its close is the due day of "on time") is one of them, and
    # one the probe of which ratio the children have values of (its best child).
    with django_assert_max_num_queries(33):
        assert client.get(url).status_code == 200


def test_a_district_of_many_units_ranks_them_one_page_at_a_time_and_the_xlsx_lists_all(
    small_tree, reporting, client, superuser
):
    from hoinghi.orgs.tests.factories import UnitFactory
    from hoinghi.resolutions.figures import RANKED_PAGE
    from hoinghi.resolutions.services.recompute import counts_recompute

    for number in range(RANKED_PAGE):
        UnitFactory(
            parent=small_tree.ba_dinh, kind=small_tree.grassroots_a.kind, name=f"Công đoàn {number:03d}"
        )
    counts_recompute()  # the factories write units as a bulk load does
    client.force_login(superuser)
    url = reverse("resolutions:dashboard", args=[small_tree.ba_dinh.pk])
    query = {"ky": reporting.year.pk, "xep": "strong"}
    first = client.get(url, query)
    ranked = first.context["ranked"]
    assert (len(ranked.children), ranked.total, ranked.pages) == (RANKED_PAGE, RANKED_PAGE + 1, 2)
    assert "trang=2" in first.content.decode()
    second = client.get(url, {**query, "trang": 2}).context["ranked"]
    assert (len(second.children), second.offset) == (1, RANKED_PAGE)
    seen = {unit.pk for unit, _value in ranked.children} | {unit.pk for unit, _value in second.children}
    assert seen == set(small_tree.ba_dinh.children.values_list("pk", flat=True))
    exported = client.get(reverse("resolutions:dashboard_xlsx", args=[small_tree.ba_dinh.pk]), query)
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(exported.streaming_content)))
    assert len(list(workbook.worksheets[1].iter_rows(values_only=True))[2:]) == RANKED_PAGE + 1


def test_the_default_ranking_is_by_a_ratio_the_children_have_values_of(small_tree, reporting, enter):
    """Children without a value of the first ratio (here no enterprises reported, so no share of
    agreements) are ranked by the next ratio they have values of, not drawn as empty bars; with no
    ratio's value, by another indicator they have values of; with nothing, by the first ratio."""
    from hoinghi.resolutions.figures import dashboard_build

    def ranked_by():
        board = dashboard_build(
            resolution=reporting.resolution,
            unit=small_tree.national,
            children=small_tree.national.children.all(),
            period=reporting.year,
        )
        return board.ranking.indicator

    assert ranked_by() == reporting.agreements_share  # nothing reported: the first ratio
    enter(small_tree.grassroots_a, {"admitted": 3})
    assert ranked_by() == reporting.new_members  # a count, where no ratio has a value
    enter(small_tree.grassroots_a, {"strong": 1})
    assert ranked_by() == reporting.strong_share
    enter(small_tree.grassroots_a, {"enterprises": 2, "agreements:A": 1})
    assert ranked_by() == reporting.agreements_share
