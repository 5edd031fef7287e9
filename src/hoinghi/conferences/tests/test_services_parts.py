"""A service given a conference and a part of it (a point, a programme item, a rule, a message)
refuses a part of another conference, and changes nothing: the actor's right was checked on the
conference named, not on the other one."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from hoinghi.conferences import services
from hoinghi.conferences.errors import ConferenceError, ConferenceErrorCode
from hoinghi.conferences.models import (
    EligibilityRule,
    Invitation,
    Material,
    OutboxMessage,
    OutboxStatus,
    PersonPointAssignment,
)


def _refused(call, **arguments) -> None:
    with pytest.raises(ConferenceError) as error:
        call(**arguments)
    assert error.value.code == ConferenceErrorCode.WRONG_CONFERENCE


def test_a_person_is_not_sent_to_a_point_of_another_conference(small_conference, other_conference, superuser):
    conference = small_conference.conference
    services.conference_issue(actor=superuser, conference=conference)
    person = small_conference.people["HN"]
    before = Invitation.objects.get(conference=conference, person=person).point_id
    _refused(
        services.person_assign_point,
        actor=superuser,
        conference=conference,
        person=person,
        point=other_conference.host,
    )
    assert not PersonPointAssignment.objects.exists()
    assert Invitation.objects.get(conference=conference, person=person).point_id == before


def test_a_rule_of_another_conference_is_not_changed_through_this_one(
    small_conference, other_conference, superuser
):
    _refused(
        services.rule_save,
        actor=superuser,
        conference=small_conference.conference,
        rule=other_conference.rule,
        name="Đổi tên",
        min_member_count=5,
    )
    rule = EligibilityRule.objects.get(pk=other_conference.rule.pk)
    assert (rule.name, rule.min_member_count) == ("Nhóm khác", 1)


def test_invitations_are_not_emailed_for_a_point_of_another_conference(
    small_conference, other_conference, superuser
):
    conference = small_conference.conference
    services.conference_issue(actor=superuser, conference=conference)
    conference.refresh_from_db()
    _refused(
        services.invitations_email,
        actor=superuser,
        conference=conference,
        point=other_conference.host,
    )
    assert not OutboxMessage.objects.exists()


def test_a_message_of_another_conference_is_not_retried_through_this_one(
    small_conference, other_conference, superuser
):
    services.conference_issue(actor=superuser, conference=other_conference.conference)
    invitation = Invitation.objects.filter(conference=other_conference.conference).first()
    message = OutboxMessage.objects.create(
        conference=other_conference.conference,
        invitation=invitation,
        to="ai@cd.vn",
        subject="Giấy mời",
        status=OutboxStatus.FAILED,
    )
    _refused(services.outbox_retry, actor=superuser, conference=small_conference.conference, message=message)
    message.refresh_from_db()
    assert message.status == OutboxStatus.FAILED


def test_a_material_is_not_tied_to_an_item_of_another_conference(
    small_conference, other_conference, superuser, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    _refused(
        services.material_upload,
        actor=superuser,
        conference=small_conference.conference,
        title="Nghị quyết",
        file=SimpleUploadedFile("nghi-quyet.pdf", b"%PDF-1.4\n%\xe2\xe3\n"),
        item=other_conference.item,
    )
    assert not Material.objects.exists()
    assert not (tmp_path / "media").exists() or not any((tmp_path / "media").rglob("*.pdf"))
