"""Incidents, questions and heartbeats: what a service refuses changes nothing."""

from datetime import timedelta

import pytest
from django.db import DatabaseError, connection
from django.utils import timezone

from hoinghi.attendance import services
from hoinghi.attendance.errors import IncidentError, IncidentErrorCode, QuestionError, QuestionErrorCode
from hoinghi.attendance.models import Incident, IncidentKind, PointPresence, Question, QuestionStatus
from hoinghi.conferences import services as conferences
from hoinghi.conferences.models import Invitation


def test_an_incident_of_an_unknown_kind_is_refused(issued, ba_dinh_operator):
    with pytest.raises(IncidentError) as error:
        services.incident_open(actor=ba_dinh_operator, point=issued.ba_dinh_point, kind="earthquake")
    assert error.value.code == IncidentErrorCode.UNKNOWN_KIND
    assert not Incident.objects.exists()


def test_a_question_tied_to_an_item_of_another_conference_is_refused(
    issued, other_conference, ba_dinh_operator
):
    with pytest.raises(QuestionError) as error:
        services.question_ask(
            actor=ba_dinh_operator, point=issued.ba_dinh_point, text="Xin hỏi", item=other_conference.item
        )
    assert error.value.code == QuestionErrorCode.WRONG_CONFERENCE
    assert not Question.objects.exists()


def test_an_invitee_asks_only_from_their_own_point(issued):
    invitation = Invitation.objects.get(conference=issued.conference, person=issued.people["HCM"])
    assert invitation.point_id == issued.hcm_point.pk
    with pytest.raises(QuestionError) as error:
        services.question_ask(point=issued.ba_dinh_point, text="Xin hỏi", invitation=invitation)
    assert error.value.code == QuestionErrorCode.WRONG_POINT
    assert not Question.objects.exists()


def test_an_empty_or_overlong_question_is_a_question_error_not_a_check_in_error(issued, ba_dinh_operator):
    for text in ("   ", "x" * 2001):
        with pytest.raises(QuestionError) as error:
            services.question_ask(actor=ba_dinh_operator, point=issued.ba_dinh_point, text=text)
        assert error.value.code == QuestionErrorCode.TEXT_LENGTH
    assert not Question.objects.exists()


def test_a_question_is_not_merged_into_one_of_another_conference_nor_into_itself(
    issued, other_conference, ba_dinh_operator, superuser
):
    question = services.question_ask(actor=ba_dinh_operator, point=issued.ba_dinh_point, text="Hỏi một")
    elsewhere = services.question_ask(actor=superuser, point=other_conference.host, text="Hỏi nơi khác")
    for target, code in (
        (elsewhere, QuestionErrorCode.WRONG_CONFERENCE),
        (question, QuestionErrorCode.MERGE_TARGET),
    ):
        with pytest.raises(QuestionError) as error:
            services.question_moderate(
                actor=superuser, question=question, status=QuestionStatus.MERGED, merged_into=target
            )
        assert error.value.code == code
    question.refresh_from_db()
    assert (question.status, question.merged_into_id) == (QuestionStatus.PENDING, None)


def test_an_unknown_moderation_status_is_refused(issued, ba_dinh_operator, superuser):
    question = services.question_ask(actor=ba_dinh_operator, point=issued.ba_dinh_point, text="Hỏi")
    with pytest.raises(QuestionError) as error:
        services.question_moderate(actor=superuser, question=question, status="published")
    assert error.value.code == QuestionErrorCode.UNKNOWN_STATUS


def test_a_heartbeat_that_fails_part_way_leaves_nothing_behind(issued, ba_dinh_operator):
    """The stalled player's incident and the presence's new state go together or not at all."""
    point = issued.ba_dinh_point
    stalled = services.Playback(state="stalled")
    services.point_heartbeat(actor=ba_dinh_operator, point=point, playback=stalled)
    long_ago = timezone.now() - timedelta(minutes=1)
    PointPresence.objects.filter(point=point).update(
        last_seen_at=long_ago, playback_since=long_ago, playback_reported_at=long_ago
    )

    def presence_write_fails(execute, sql, params, many, context):
        if sql.startswith("UPDATE") and "attendance_pointpresence" in sql:
            raise DatabaseError("the disk is full")
        return execute(sql, params, many, context)

    with connection.execute_wrapper(presence_write_fails), pytest.raises(DatabaseError):
        services.point_heartbeat(actor=ba_dinh_operator, point=point, playback=stalled)
    assert not Incident.objects.filter(point=point).exists()

    services.point_heartbeat(actor=ba_dinh_operator, point=point, playback=stalled)
    assert Incident.objects.get(point=point).kind == IncidentKind.STALLED


def test_playing_marks_the_link_tested_once_and_keeps_an_operators_tick(issued, ba_dinh_operator, superuser):
    point, host = issued.ba_dinh_point, issued.host
    services.point_heartbeat(actor=ba_dinh_operator, point=point, playback=services.Playback(state="playing"))
    point.refresh_from_db()
    assert point.link_tested_at is not None

    ticked = timezone.now() - timedelta(days=1)
    conferences.point_readiness_mark(actor=superuser, point=host, item="link_tested_at", done=True, at=ticked)
    host.refresh_from_db()
    services.point_heartbeat(actor=superuser, point=host, playback=services.Playback(state="playing"))
    host.refresh_from_db()
    assert host.link_tested_at == ticked


def test_questions_refresh_the_board_and_the_moderators_on_commit_and_not_the_dashboard(
    issued, ba_dinh_operator, superuser, django_capture_on_commit_callbacks
):
    from hoinghi.attendance.events import questions_topic, topic
    from hoinghi.core import live

    conference = issued.conference
    board, dashboard = live.version(questions_topic(conference.pk)), live.version(topic(conference.pk))
    with django_capture_on_commit_callbacks(execute=True):
        question = services.question_ask(actor=ba_dinh_operator, point=issued.ba_dinh_point, text="Xin hỏi")
        assert live.version(questions_topic(conference.pk)) == board  # not before the commit
    with django_capture_on_commit_callbacks(execute=True):
        services.question_moderate(actor=superuser, question=question, status=QuestionStatus.APPROVED)
    assert live.version(questions_topic(conference.pk)) == board + 2
    assert live.version(topic(conference.pk)) == dashboard
