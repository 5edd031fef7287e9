"""Question numbers restart per conference (issue 17): the moderators' "#3" is the third
question of this conference, not the three-thousandth of the site."""

from django.urls import reverse

from hoinghi.attendance import services


def test_each_conference_numbers_its_questions_from_one(
    issued, other_conference, ba_dinh_operator, superuser
):
    first = services.question_ask(actor=ba_dinh_operator, point=issued.ba_dinh_point, text="Hỏi một")
    elsewhere = services.question_ask(actor=superuser, point=other_conference.host, text="Hỏi nơi khác")
    second = services.question_ask(actor=ba_dinh_operator, point=issued.ba_dinh_point, text="Hỏi hai")
    again = services.question_ask(actor=superuser, point=other_conference.host, text="Hỏi nơi khác nữa")
    assert [first.number, second.number] == [1, 2]
    assert [elsewhere.number, again.number] == [1, 2]
    assert elsewhere.pk > first.pk and second.pk > elsewhere.pk  # ids run across conferences


def test_the_moderators_see_the_conference_numbers(
    client, issued, other_conference, ba_dinh_operator, superuser
):
    for n in range(3):
        services.question_ask(actor=superuser, point=other_conference.host, text=f"Nơi khác {n}")
    question = services.question_ask(actor=ba_dinh_operator, point=issued.ba_dinh_point, text="Hỏi một")
    assert question.number == 1 and question.pk != 1
    client.force_login(superuser)
    page = client.get(reverse("attendance:question_moderation", args=[issued.conference.pk])).content.decode()
    assert '<span class="num">#1</span>' in page and f'<span class="num">#{question.pk}</span>' not in page
