"""Copied text for reviewers and organisers: the side-by-side page of a flag and the decision on
it, through the real URLs; who may read (outside the subtree: 404) and decide (a viewer: 403);
the organiser's pass with its progress. A table of roles × where they sit × actions."""

import pytest
from django.urls import reverse

from hoinghi.core.models import AuditEntry
from hoinghi.core.permissions import GrantRole
from hoinghi.learning_reports.models import FlagStatus, SimilarityFlag, SimilarityRun
from hoinghi.learning_reports.selectors import REFERENCE_OF_ASSIGNMENT
from hoinghi.learning_reports.tests.conftest import submit

ORIGINAL = (
    "Công đoàn cơ sở cần chăm lo đời sống việc làm thu nhập của đoàn viên và người lao động tại doanh "
    "nghiệp ngoài nhà nước trong giai đoạn mới, thương lượng thoả ước lao động tập thể có lợi hơn"
)
COPIED = "Mở đầu của riêng tôi. " + ORIGINAL.replace("thoả ước", "thỏa ước").upper() + " Tôi sẽ làm ngay."


@pytest.fixture
def flagged(marking, small_tree, make_user, django_capture_on_commit_callbacks):
    """Chi (Ba Đình) wrote first; Lan (CĐCS A, under Ba Đình) copied. Hà Nội's reviewer marks both."""
    reviewer = make_user(GrantRole.REVIEWER, small_tree.hanoi)
    with django_capture_on_commit_callbacks(execute=True):
        submit(marking, "Chi", text=ORIGINAL)
    with django_capture_on_commit_callbacks(execute=True):
        submit(marking, "Lan", text=COPIED)
    flag = SimilarityFlag.objects.get()
    assert flag.version.report.invitation == marking.invitations["Lan"]
    return flag, reviewer


ORG, V, R = GrantRole.ORGANISER, GrantRole.VIEWER, GrantRole.REVIEWER


@pytest.mark.parametrize(
    ("role", "where", "read", "decide"),
    [
        (ORG, "national", 200, 302),  # ancestor
        (ORG, "ba_dinh", 200, 302),  # the writer's district
        (ORG, "grassroots_a", 200, 302),  # the writer's own unit
        (ORG, "hcm", 404, 404),  # another province: not found
        (ORG, "district_1", 404, 404),  # a district of another province
        (V, "hanoi", 200, 403),  # a viewer reads but does not decide
        (V, "hcm", 404, 404),
        (R, "hcm", 404, 404),  # a reviewer elsewhere
        (R, "hanoi", 404, 404),  # a reviewer of the subtree without this report allocated
        (None, None, 404, 404),  # no grant at all
    ],
)
def test_who_reads_and_decides_a_flag(flagged, small_tree, make_user, client, role, where, read, decide):
    flag, _reviewer = flagged
    user = make_user(role, getattr(small_tree, where) if where else None)
    client.force_login(user)
    url = reverse("learning_reports:flag", args=[flag.pk])
    assert client.get(url).status_code == read
    response = client.post(url, {"status": "dismissed", "reason": "Hai bài cùng trích một văn bản"})
    assert response.status_code == decide
    flag.refresh_from_db()
    assert flag.status == (FlagStatus.DISMISSED if decide == 302 else FlagStatus.OPEN)


def test_the_reviewer_sees_both_texts_with_the_shared_passages_marked_and_confirms_with_a_reason(
    flagged, client
):
    flag, reviewer = flagged
    client.force_login(reviewer)
    url = reverse("learning_reports:flag", args=[flag.pk])
    page = client.get(url).content.decode()
    # The learned sections' passage on each side (and the fixture's plans, "kế kế kế...", alike too)
    assert "<mark>CÔNG ĐOÀN CƠ SỞ CẦN CHĂM LO" in page and "<mark>Công đoàn cơ sở cần chăm lo" in page
    assert "Mở đầu của riêng tôi" in page.split("<mark>")[0]  # not marked
    refused = client.post(url, {"status": "confirmed", "reason": "  "})
    assert refused.status_code == 400 and 'data-code="reason_required"' in refused.content.decode()
    assert client.post(url, {"status": "confirmed", "reason": "Chép gần như nguyên văn"}).status_code == 302
    flag.refresh_from_db()
    assert (flag.status, flag.decided_by, flag.reason) == (
        FlagStatus.CONFIRMED,
        reviewer,
        "Chép gần như nguyên văn",
    )
    entry = AuditEntry.objects.filter(type="learning_reports.similarity.flag_confirmed").get()
    assert entry.actor == reviewer and entry.data["reason"] == "Chép gần như nguyên văn"


def test_a_paste_from_the_reference_text_is_flagged_against_it(
    marking, superuser, django_capture_on_commit_callbacks
):
    resolution = (
        "Đổi mới tổ chức và hoạt động công đoàn; tập trung đại diện, chăm lo, bảo vệ quyền, lợi ích "
        "hợp pháp, "
        "chính đáng của đoàn viên, người lao động; phát triển đoàn viên, xây dựng tổ chức công đoàn vững mạnh"
    )
    marking.assignment.reference_text = resolution
    marking.assignment.save()
    with django_capture_on_commit_callbacks(execute=True):
        submit(marking, "Chi", text="Tôi ghi lại: " + resolution + ". Và tôi sẽ làm theo.")
    with django_capture_on_commit_callbacks(execute=True):
        submit(
            marking, "Lan", text="Nghị quyết nêu rõ: “" + resolution + "”. Tôi sẽ vận động công nhân ở trọ."
        )
    [flag] = SimilarityFlag.objects.all()
    assert (
        flag.version.report.invitation == marking.invitations["Chi"]
        and flag.reference == REFERENCE_OF_ASSIGNMENT
    )


def test_the_organisers_pass_runs_in_the_background_and_reports_its_progress(
    flagged, small_tree, make_user, client, django_capture_on_commit_callbacks
):
    flag, _ = flagged
    SimilarityFlag.objects.all().delete()
    organiser = make_user(ORG, small_tree.national)
    client.force_login(organiser)
    conference = flag.version.report.assignment.conference
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("learning_reports:similarity_run", args=[conference.pk]))
    assert response.status_code == 302
    run = SimilarityRun.objects.get()
    assert (run.status, run.reports, run.flags) == ("done", 2, 1)
    progress = client.get(reverse("learning_reports:similarity_progress", args=[conference.pk])).json()
    assert progress["status"] == "done" and progress["done"] == progress["total"]
    page = client.get(reverse("learning_reports:manage", args=[conference.pk])).content.decode()
    assert 'id="similarity-flags-list"' in page
    outsider = make_user(ORG, small_tree.hcm)
    client.force_login(outsider)
    assert client.post(reverse("learning_reports:similarity_run", args=[conference.pk])).status_code in (
        403,
        404,
    )


def test_the_reviewers_of_both_reports_read_and_decide_the_flag(
    marking, small_tree, make_user, client, django_capture_on_commit_callbacks
):
    first, second = make_user(R, small_tree.hanoi), make_user(R, small_tree.hanoi)  # balanced by load
    with django_capture_on_commit_callbacks(execute=True):
        submit(marking, "Chi", text=ORIGINAL)
    with django_capture_on_commit_callbacks(execute=True):
        submit(marking, "Lan", text=COPIED)
    flag = SimilarityFlag.objects.get()
    url = reverse("learning_reports:flag", args=[flag.pk])
    for reviewer in (first, second):  # one marks the original, the other the copy
        client.force_login(reviewer)
        assert client.get(url).status_code == 200
    assert client.post(url, {"status": "confirmed", "reason": "Chép bài của đồng chí Chi"}).status_code == 302
