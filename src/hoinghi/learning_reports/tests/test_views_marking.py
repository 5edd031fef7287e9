"""The reviewer's pages, the writer's result and the organisers' statistics, through the URLs."""

from io import BytesIO

from django.urls import reverse
from openpyxl import load_workbook

from hoinghi.core.permissions import GrantRole
from hoinghi.learning_reports import services
from hoinghi.learning_reports.models import Marking, MarkingState, Report, ReportState
from hoinghi.learning_reports.tests.conftest import levels_for, submit

R = GrantRole.REVIEWER


def _marking(writing, name) -> Marking:
    report = Report.objects.get(assignment=writing.assignment, invitation=writing.invitations[name])
    return report.markings.get(state=MarkingState.ALLOCATED)


def test_the_queue_and_the_marking_page_show_the_report_and_the_rubric(
    marking, small_tree, make_user, client
):
    reviewer = make_user(R, small_tree.hanoi)
    submit(marking, "Lan")
    client.force_login(reviewer)
    queue = client.get(reverse("learning_reports:queue")).content.decode()
    mark = _marking(marking, "Lan")
    assert reverse("learning_reports:mark", args=[mark.pk]) in queue and "Lan" in queue
    page = client.get(reverse("learning_reports:mark", args=[mark.pk])).content.decode()
    assert 'type="radio"' in page and "Nắm được nội dung nghị quyết" in page
    assert marking.invitations["Lan"].person.full_name in page


def test_the_queue_counts_every_open_marking_beyond_those_it_lists(
    marking, small_tree, make_user, client, monkeypatch
):
    """A provincial reviewer may hold hundreds: the page lists the oldest and counts them all
    (it once cut the list at 500 and called that the number)."""
    from hoinghi.learning_reports.views import marking as views

    monkeypatch.setattr(views, "QUEUE_SHOWN", 1)
    reviewer = make_user(R, small_tree.hanoi)
    submit(marking, "Lan")
    submit(marking, "Chi")
    client.force_login(reviewer)
    page = client.get(reverse("learning_reports:queue")).content.decode()
    assert '<span class="badge">2</span>' in page
    assert "1 bài cũ nhất trong 2 bài chờ chấm" in page
    mark = "learning_reports:mark"
    urls = {name: reverse(mark, args=[_marking(marking, name).pk]) for name in ("Lan", "Chi")}
    listed = [name for name, url in urls.items() if url in page]
    assert listed == ["Lan"]  # the oldest


def test_a_reviewer_of_another_province_gets_not_found(marking, small_tree, make_user, client):
    make_user(R, small_tree.hanoi)
    submit(marking, "Lan")
    client.force_login(make_user(R, small_tree.hcm))
    assert client.get(reverse("learning_reports:mark", args=[_marking(marking, "Lan").pk])).status_code == 404


def test_blind_marking_hides_the_writers_name_and_unit(marking, small_tree, make_user, client):
    marking.assignment.is_blind = True
    marking.assignment.save()
    reviewer = make_user(R, small_tree.hanoi)
    submit(marking, "Lan")
    client.force_login(reviewer)
    person = marking.invitations["Lan"].person
    for url in (
        reverse("learning_reports:queue"),
        reverse("learning_reports:mark", args=[_marking(marking, "Lan").pk]),
    ):
        page = client.get(url).content.decode()
        assert person.full_name not in page and person.unit.name not in page


def test_marking_through_the_page_and_a_refusal_keeps_the_choices(marking, small_tree, make_user, client):
    reviewer = make_user(R, small_tree.hanoi)
    submit(marking, "Lan")
    client.force_login(reviewer)
    mark = _marking(marking, "Lan")
    url = reverse("learning_reports:mark", args=[mark.pk])
    first, second = levels_for(marking.assignment, [6, 4]).items()
    refused = client.post(url, {f"level-{first[0]}": first[1], "action": "mark"})
    assert refused.status_code == 400 and 'data-code="incomplete"' in refused.content.decode()
    assert "checked" in refused.content.decode()
    done = client.post(
        url,
        {
            f"level-{first[0]}": first[1],
            f"level-{second[0]}": second[1],
            f"comment-{first[0]}": "Nắm chắc",
            "comment": "Tốt",
        },
    )
    assert done.status_code == 302
    report = Report.objects.get(pk=mark.report_id)
    assert (report.state, report.band) == (ReportState.MARKED, "excellent")


def test_return_revise_resubmit_shows_the_reviewer_what_changed(marking, small_tree, make_user, client):
    reviewer = make_user(R, small_tree.hanoi)
    submit(marking, "Lan", text="Đoàn viên cần quyền lợi " * 4)
    client.force_login(reviewer)
    mark = _marking(marking, "Lan")
    client.post(
        reverse("learning_reports:mark", args=[mark.pk]),
        {"action": "return", "return_comment": "Nêu rõ hơn."},
    )
    token = marking.invitations["Lan"].token
    writer_page = client.get(reverse("learning_reports:write", args=[token])).content.decode()
    assert "Nêu rõ hơn." in writer_page
    submit(marking, "Lan", text="Đoàn viên cần được chăm lo quyền lợi " * 4)
    again = _marking(marking, "Lan")
    assert again.version.number == 2 and again.report.versions.count() == 2
    page = client.get(reverse("learning_reports:mark", args=[again.pk])).content.decode()
    assert "<ins>được chăm lo</ins>" in page and "Nêu rõ hơn." in page


def test_released_marks_appear_on_the_writers_page_and_unreleased_do_not(
    marking, small_tree, make_user, client, superuser
):
    reviewer = make_user(R, small_tree.hanoi)
    submit(marking, "Lan")
    mark = _marking(marking, "Lan")
    services.marking_save(
        actor=reviewer,
        marking_id=mark.pk,
        levels=levels_for(marking.assignment, [3, 2]),
        comments={},
        comment="Cần cụ thể hoá kế hoạch",
    )
    url = reverse("learning_reports:write", args=[marking.invitations["Lan"].token])
    before = client.get(url).content.decode()
    assert "Cần cụ thể hoá kế hoạch" not in before and 'id="report-result"' not in before
    services.results_release(actor=superuser, assignment=marking.assignment, unit=small_tree.ba_dinh)
    after = client.get(url).content.decode()
    assert 'id="report-result"' in after and "Cần cụ thể hoá kế hoạch" in after and "Đạt" in after


def test_statistics_drill_down_the_tree_and_export_to_xlsx(marking, small_tree, make_user, client, superuser):
    reviewer = make_user(R, small_tree.hanoi)
    submit(marking, "Lan")
    services.marking_save(
        actor=reviewer,
        marking_id=_marking(marking, "Lan").pk,
        levels=levels_for(marking.assignment, [6, 4]),
        comments={},
    )
    organiser = make_user(GrantRole.ORGANISER, small_tree.hanoi)
    client.force_login(organiser)
    url = reverse("learning_reports:statistics", args=[marking.conference.pk])
    top = client.get(url).content.decode()
    assert f'data-unit="{small_tree.hanoi.pk}"' in top and f'data-unit="{small_tree.hcm.pk}"' not in top
    down = client.get(url, {"don-vi": small_tree.hanoi.pk})
    assert down.status_code == 200 and f'data-unit="{small_tree.ba_dinh.pk}"' in down.content.decode()
    sheet = load_workbook(BytesIO(client.get(url, {"xuat": "xlsx"}).content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[2][:5] == (small_tree.hanoi.name, 2, 1, 1, 1)  # Chi and Lan must write (present); Lan marked
    assert rows[2][6] == 1  # Xuất sắc
    release = client.post(
        reverse("learning_reports:release", args=[marking.conference.pk]), {"don-vi": small_tree.hanoi.pk}
    )
    assert release.status_code == 302
    assert Report.objects.get(pk=_report_pk(marking)).state == ReportState.RELEASED


def _report_pk(writing) -> int:
    return Report.objects.get(assignment=writing.assignment, invitation=writing.invitations["Lan"]).pk


def test_an_organiser_reallocates_chosen_reports_to_a_named_reviewer(
    marking, small_tree, make_user, client, superuser
):
    make_user(R, small_tree.hanoi)
    submit(marking, "Lan")
    other = make_user(R, small_tree.hanoi, username="nguoicham2")
    client.force_login(superuser)
    manage = client.get(reverse("learning_reports:manage", args=[marking.conference.pk])).content.decode()
    assert 'name="bai"' in manage
    response = client.post(
        reverse("learning_reports:allocate", args=[marking.conference.pk]),
        {"bai": [_report_pk(marking)], "nguoi-cham": "nguoicham2"},
    )
    assert response.status_code == 302
    assert _marking(marking, "Lan").reviewer == other


def test_an_organiser_sets_the_rubric_and_the_marking_options_on_the_reports_page(writing, client, superuser):
    from hoinghi.learning_reports.models import BandThreshold, Criterion

    client.force_login(superuser)
    url = reverse("learning_reports:manage", args=[writing.conference.pk])
    refused = client.post(
        url,
        {
            "form": "rubric",
            "criteria": "Chỉ một mức | Tốt = 5",
            "excellent": 90,
            "good": 80,
            "fair": 65,
            "pass_": 50,
        },
    )
    assert refused.status_code == 400 and not Criterion.objects.exists()
    response = client.post(
        url,
        {
            "form": "rubric",
            "criteria": "Nắm nghị quyết | Chưa = 0 | Vững = 6\nKế hoạch | Chung chung = 0 | Cụ thể = 4",
            "excellent": 85,
            "good": 75,
            "fair": 60,
            "pass_": 50,
        },
    )
    assert response.status_code == 302
    assert [c.title for c in Criterion.objects.order_by("order")] == ["Nắm nghị quyết", "Kế hoạch"]
    assert BandThreshold.objects.get(band="excellent").min_percent == 85
    page = client.get(url).content.decode()
    assert "Kế hoạch | Chung chung = 0 | Cụ thể = 4" in page


def test_the_writer_sees_each_criterions_level_points_and_comment_once_released(
    marking, small_tree, make_user, client, superuser
):
    from hoinghi.learning_reports.models import Criterion

    reviewer = make_user(R, small_tree.hanoi)
    submit(marking, "Lan")
    first, second = Criterion.objects.filter(assignment=marking.assignment).order_by("order")
    services.marking_save(
        actor=reviewer,
        marking_id=_marking(marking, "Lan").pk,
        levels=levels_for(marking.assignment, [6, 2]),
        comments={second.pk: "Chưa có mốc thời gian cho từng việc"},
        comment="Bài viết tốt.",
    )
    services.results_release(actor=superuser, assignment=marking.assignment, unit=small_tree.ba_dinh)
    page = client.get(
        reverse("learning_reports:write", args=[marking.invitations["Lan"].token])
    ).content.decode()
    result = page[
        page.index('id="report-result"') : page.index("</section>", page.index('id="report-result"'))
    ]
    assert "<strong>8</strong>/10 điểm" in result
    assert result.index(f'data-criterion="{first.pk}"') < result.index(f'data-criterion="{second.pk}"')
    assert "Nắm vững" in result and "6/6" in result and "Cụ thể" in result and "2/4" in result
    assert "Chưa có mốc thời gian cho từng việc" in result and "Bài viết tốt." in result
