"""General questions (of no programme item, the default when asking) reach the presiding board,
and a moderator moves a question to an item or back (issue 17, item 4)."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from hoinghi.attendance import questions, services
from hoinghi.attendance.errors import QuestionError, QuestionErrorCode
from hoinghi.attendance.events import questions_topic
from hoinghi.attendance.models import QuestionStatus
from hoinghi.conferences.models import ProgrammeItem
from hoinghi.core import live
from hoinghi.core.errors import NotFoundError
from hoinghi.core.models import AuditEntry
from hoinghi.core.permissions import GrantRole, PermissionDeniedError

ZONE = ZoneInfo("Asia/Ho_Chi_Minh")


@pytest.fixture
def programme(issued):
    start = datetime(2018, 12, 6, 8, 0, tzinfo=ZONE)
    return [
        ProgrammeItem.objects.create(
            conference=issued.conference,
            order=order,
            kind="topic",
            title=title,
            planned_start=start + timedelta(hours=order - 1),
            planned_end=start + timedelta(hours=order),
        )
        for order, title in ((1, "Khai mạc"), (2, "Chuyên đề 1"))
    ]


def _approved(superuser, operator, point, text, item=None):
    question = services.question_ask(actor=operator, point=point, text=text, item=item)
    return services.question_moderate(actor=superuser, question=question, status=QuestionStatus.APPROVED)


def _board(conference, item):
    return [question.text for question in questions.board_questions(conference=conference, item=item)]


def test_an_approved_general_question_is_on_the_board_whatever_item_is_on(
    issued, programme, ba_dinh_operator, superuser
):
    opening, topic_one = programme
    _approved(superuser, ba_dinh_operator, issued.ba_dinh_point, "Hỏi về khai mạc", item=opening)
    _approved(superuser, ba_dinh_operator, issued.ba_dinh_point, "Hỏi chung")
    _approved(superuser, ba_dinh_operator, issued.ba_dinh_point, "Hỏi chuyên đề", item=topic_one)
    services.question_ask(actor=ba_dinh_operator, point=issued.ba_dinh_point, text="Chưa duyệt")

    assert _board(issued.conference, opening) == ["Hỏi về khai mạc", "Hỏi chung"]
    assert _board(issued.conference, topic_one) == ["Hỏi chung", "Hỏi chuyên đề"]
    assert _board(issued.conference, None) == ["Hỏi chung"]  # a conference without a programme
    [general] = [
        q for q in questions.board_questions(conference=issued.conference, item=opening) if q.is_general
    ]
    assert general.text == "Hỏi chung"


def test_a_moderator_moves_a_general_question_to_an_item_and_back(
    issued, programme, ba_dinh_operator, superuser, make_user, small_tree, django_capture_on_commit_callbacks
):
    opening, topic_one = programme
    organiser = make_user(GrantRole.ORGANISER, small_tree.national)
    question = _approved(superuser, ba_dinh_operator, issued.ba_dinh_point, "Hỏi chung")
    before = live.version(questions_topic(issued.conference.pk))

    with django_capture_on_commit_callbacks(execute=True):
        services.question_item_move(actor=organiser, question=question, item=topic_one)
    question.refresh_from_db()
    assert (question.item, question.status) == (topic_one, QuestionStatus.APPROVED)
    assert _board(issued.conference, topic_one) == ["Hỏi chung"]
    assert _board(issued.conference, opening) == []
    assert live.version(questions_topic(issued.conference.pk)) == before + 1
    entry = AuditEntry.objects.get(type="attendance.question.moved")
    assert (entry.actor, entry.data) == (organiser, {"from_item": None, "to_item": topic_one.pk})

    services.question_item_move(actor=organiser, question=question, item=None)
    question.refresh_from_db()
    assert question.item is None
    assert _board(issued.conference, opening) == ["Hỏi chung"]


def test_a_question_is_not_moved_to_an_item_of_another_conference(
    issued, other_conference, ba_dinh_operator, superuser
):
    question = services.question_ask(actor=ba_dinh_operator, point=issued.ba_dinh_point, text="Hỏi")
    with pytest.raises(QuestionError) as error:
        services.question_item_move(actor=superuser, question=question, item=other_conference.item)
    assert error.value.code == QuestionErrorCode.WRONG_CONFERENCE
    question.refresh_from_db()
    assert question.item is None
    assert not AuditEntry.objects.filter(type="attendance.question.moved").exists()


def test_only_moderators_move_questions(issued, programme, ba_dinh_operator, make_user, small_tree):
    question = services.question_ask(actor=ba_dinh_operator, point=issued.ba_dinh_point, text="Hỏi")
    for actor, refusal in (
        (ba_dinh_operator, PermissionDeniedError),  # sees the conference, does not moderate it
        (make_user(GrantRole.ORGANISER, small_tree.hcm), PermissionDeniedError),
        (make_user(), NotFoundError),
    ):
        with pytest.raises(refusal):
            services.question_item_move(actor=actor, question=question, item=programme[0])
    question.refresh_from_db()
    assert question.item is None


def test_a_moderator_moves_a_general_question_to_an_item_from_the_page_and_back(
    client, issued, programme, ba_dinh_operator, superuser, make_user, small_tree
):
    from django.urls import reverse

    opening, topic_one = programme
    question = _approved(superuser, ba_dinh_operator, issued.ba_dinh_point, "Hỏi chung về chuyên đề")
    moderator = make_user(GrantRole.ORGANISER, small_tree.national)
    client.force_login(moderator)
    page = client.get(
        reverse("attendance:question_moderation", args=[issued.conference.pk]), {"trang_thai": ""}
    )
    assert f'id="move-{question.pk}"' in page.content.decode()  # the control is on the page
    url = reverse("attendance:question_moderate", args=[issued.conference.pk, question.pk])

    answer = client.post(
        url, {"action": "move", "item": topic_one.pk, "trang_thai": ""}, HTTP_HX_REQUEST="true"
    )

    assert answer.status_code == 200 and 'role="alert"' not in answer.content.decode()
    question.refresh_from_db()
    assert question.item == topic_one and question.status == QuestionStatus.APPROVED
    assert _board(issued.conference, opening) == []  # now on its item's board only
    assert _board(issued.conference, topic_one) == ["Hỏi chung về chuyên đề"]

    client.post(url, {"action": "move", "item": "", "trang_thai": ""}, HTTP_HX_REQUEST="true")
    question.refresh_from_db()
    assert question.item is None  # general again

    other = ProgrammeItem.objects.exclude(conference=issued.conference).first()
    refused = client.post(
        url,
        {"action": "move", "item": 999_999 if other is None else other.pk, "trang_thai": ""},
        HTTP_HX_REQUEST="true",
    )
    assert "Mục chương trình không hợp lệ." in refused.content.decode()
    question.refresh_from_db()
    assert question.item is None
