"""Action programmes: making them, their items, status with evidence, progress derived from the
deadline; every refusal with its code and nothing changed."""

from datetime import date, timedelta

import pytest

from hoinghi.core.errors import NotFoundError
from hoinghi.core.models import AuditEntry
from hoinghi.core.permissions import GrantRole, PermissionDeniedError
from hoinghi.resolutions import programmes as reads
from hoinghi.resolutions import services
from hoinghi.resolutions.errors import ResolutionsError, ResolutionsErrorCode
from hoinghi.resolutions.models import ActionItem, ItemStatus, Progress

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def code_of(call) -> str:
    with pytest.raises(ResolutionsError) as raised:
        call()
    return raised.value.code


def test_a_unit_has_one_programme_per_resolution(programmes, reporting, superuser, small_tree):
    assert (
        code_of(
            lambda: services.programme_create(
                actor=superuser, resolution=reporting.resolution, unit=small_tree.hanoi, title="Lần hai"
            )
        )
        == ResolutionsErrorCode.PROGRAMME_EXISTS
    )
    assert AuditEntry.objects.filter(type="resolutions.programme.created").count() == 3


def test_a_unit_outside_the_resolutions_owner_has_no_programme_for_it(small_tree, superuser):
    resolution = services.resolution_create(
        actor=superuser,
        owner=small_tree.hanoi,
        code="nq-hn",
        title="Nghị quyết Đại hội Công đoàn Hà Nội",
        adopted_on=date(2018, 7, 1),
        items=[("target", "Chỉ tiêu")],
    )
    assert (
        code_of(
            lambda: services.programme_create(
                actor=superuser, resolution=resolution, unit=small_tree.hcm, title="X"
            )
        )
        == ResolutionsErrorCode.WRONG_RESOLUTION
    )


def test_an_items_owner_must_be_inside_the_programmes_unit(programmes, superuser, small_tree):
    def add(owner):
        return services.action_item_create(
            actor=superuser,
            programme=programmes.ba_dinh,
            text="Việc mới",
            serves=programmes.target,
            deadline=date(2030, 1, 1),
            owner=owner,
        )

    assert code_of(lambda: add(services.Owner(unit=small_tree.hanoi))) == ResolutionsErrorCode.OWNER_OUTSIDE
    assert code_of(lambda: add(services.Owner(unit=small_tree.hcm))) == ResolutionsErrorCode.OWNER_OUTSIDE
    item = add(services.Owner(unit=small_tree.grassroots_a))
    assert item.number == 2 and item.owner_unit == small_tree.grassroots_a


def test_an_item_serves_a_part_of_its_own_resolution(programmes, superuser, small_tree):
    other = services.resolution_create(
        actor=superuser,
        owner=small_tree.national,
        code="nq-khac",
        title="Nghị quyết khác",
        adopted_on=date(2019, 1, 1),
        items=[("target", "Chỉ tiêu khác")],
    )
    assert (
        code_of(
            lambda: services.action_item_create(
                actor=superuser,
                programme=programmes.hanoi,
                text="Việc",
                serves=other.items.get(),
                deadline=date(2030, 1, 1),
                owner=services.Owner(unit=small_tree.hanoi),
            )
        )
        == ResolutionsErrorCode.WRONG_RESOLUTION
    )
    assert programmes.hanoi.items.count() == 1


def test_done_needs_evidence_and_is_dated(programmes, superuser):
    item = programmes.hanoi_item
    assert (
        code_of(lambda: services.action_item_status_set(actor=superuser, item=item, status=ItemStatus.DONE))
        == ResolutionsErrorCode.EVIDENCE_REQUIRED
    )
    item.refresh_from_db()
    assert item.status == ItemStatus.NOT_STARTED and item.done_on is None
    services.action_item_status_set(
        actor=superuser,
        item=item,
        status=ItemStatus.DONE,
        evidence_text="Kết nạp 120 đoàn viên",
        today=date(2029, 5, 2),
    )
    item.refresh_from_db()
    assert (item.status, item.done_on, item.evidence_text) == (
        ItemStatus.DONE,
        date(2029, 5, 2),
        "Kết nạp 120 đoàn viên",
    )
    services.action_item_status_set(actor=superuser, item=item, status=ItemStatus.IN_PROGRESS)
    item.refresh_from_db()
    assert item.done_on is None and item.evidence_text == "Kết nạp 120 đoàn viên"  # kept
    entry = AuditEntry.objects.filter(type="resolutions.action_item.status_changed").latest("pk")
    assert entry.data["before"] == "done" and entry.data["after"] == "in_progress"


@pytest.mark.parametrize(
    "name, content, code",
    [
        ("ket-qua.exe", b"MZ\x90\x00", ResolutionsErrorCode.EVIDENCE_TYPE),
        ("ket-qua.pdf", PNG, ResolutionsErrorCode.EVIDENCE_TYPE),  # the name says PDF, the bytes do not
        ("ket-qua.pdf", b"", ResolutionsErrorCode.EVIDENCE_EMPTY),
        ("ket-qua.pdf", PDF + b"0" * services.EVIDENCE_MAX_BYTES, ResolutionsErrorCode.EVIDENCE_TOO_LARGE),
    ],
)
def test_a_bad_evidence_file_is_refused_and_nothing_changes(
    programmes, superuser, media, name, content, code
):
    item = programmes.hanoi_item
    assert (
        code_of(
            lambda: services.action_item_status_set(
                actor=superuser, item=item, status=ItemStatus.DONE, evidence=services.Evidence(name, content)
            )
        )
        == code
    )
    item.refresh_from_db()
    assert item.status == ItemStatus.NOT_STARTED and not item.evidence_file
    assert not any(media.rglob("*.*")) if media.exists() else True


def test_a_good_evidence_file_is_stored_under_the_items_name(programmes, superuser, media):
    item = services.action_item_status_set(
        actor=superuser,
        item=programmes.hanoi_item,
        status=ItemStatus.DONE,
        evidence=services.Evidence("../../Biên bản.PDF", PDF),
    )
    assert item.evidence_name == "Biên bản.PDF"
    assert item.evidence_file.name.endswith(f"HN-{item.pk}.pdf")
    assert item.evidence_file.read() == PDF


def test_overdue_is_derived_from_the_deadline_never_stored(programmes, superuser):
    today = date(2030, 7, 1)  # a day after every item's deadline
    item = programmes.hanoi_item
    rows = {i.pk: i.progress for i in reads.programme_items(programme=programmes.hanoi, today=today)}
    assert rows[item.pk] == Progress.OVERDUE
    assert item.progress_on(today) == Progress.OVERDUE
    assert ActionItem.objects.get(pk=item.pk).status == ItemStatus.NOT_STARTED
    assert item.progress_on(date(2030, 6, 30)) == Progress.NOT_STARTED  # on the day itself: not yet
    services.action_item_status_set(actor=superuser, item=item, status=ItemStatus.DONE, evidence_text="Xong")
    rows = {i.pk: i.progress for i in reads.programme_items(programme=programmes.hanoi, today=today)}
    assert rows[item.pk] == Progress.DONE
    moved = services.action_item_update(
        actor=superuser,
        item=programmes.hcm_item,
        text=programmes.hcm_item.text,
        serves=programmes.task,
        deadline=today + timedelta(days=30),
        owner=services.Owner(unit=programmes.hcm.unit),
    )
    assert reads.programme_items(programme=programmes.hcm, today=today).get().progress == Progress.NOT_STARTED
    assert moved.serves == programmes.task
    entry = AuditEntry.objects.filter(type="resolutions.action_item.changed").latest("pk")
    assert entry.data["before"]["deadline"] == "2030-06-30" and "text" not in entry.data["before"]


def test_counts_and_the_target_list_put_overdue_first(programmes, superuser, small_tree):
    today = date(2030, 7, 1)
    later = services.action_item_create(
        actor=superuser,
        programme=programmes.hanoi,
        text="Việc còn hạn",
        serves=programmes.target,
        deadline=date(2031, 1, 1),
        owner=services.Owner(unit=small_tree.hanoi),
    )
    serving = reads.serving_items(
        actor=superuser, item=programmes.target, unit=small_tree.national, today=today
    )
    assert serving.counts.by_progress == {"overdue": 3, "not_started": 1, "in_progress": 0, "done": 0}
    assert [i.pk for i in serving.items][-1] == later.pk
    in_hanoi = reads.serving_items(
        actor=superuser, item=programmes.target, unit=small_tree.hanoi, today=today
    )
    assert {i.pk for i in in_hanoi.items} == {programmes.hanoi_item.pk, programmes.ba_dinh_item.pk, later.pk}


def test_a_viewer_sees_the_subtree_and_cannot_change_it(programmes, make_user, small_tree):
    viewer = make_user(GrantRole.VIEWER, small_tree.hanoi)
    with pytest.raises(PermissionDeniedError):
        services.action_item_status_set(
            actor=viewer, item=programmes.ba_dinh_item, status=ItemStatus.IN_PROGRESS
        )
    with pytest.raises(NotFoundError):
        services.action_item_status_set(actor=viewer, item=programmes.hcm_item, status=ItemStatus.IN_PROGRESS)
    seen = reads.serving_items(
        actor=viewer, item=programmes.target, unit=small_tree.national, today=date(2020, 1, 1)
    )
    assert {i.pk for i in seen.items} == {programmes.hanoi_item.pk, programmes.ba_dinh_item.pk}
