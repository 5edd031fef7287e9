"""SMS invitations for those without e-mail: the numbers, the backends (the file one writes, the
HTTP one talks to a real HTTP server started here), who gets one, and what a refusal leaves."""

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from hoinghi.conferences import selectors, services
from hoinghi.conferences.errors import ConferenceErrorCode
from hoinghi.conferences.models import BridgePoint, Invitation, SmsMessage, SmsStatus
from hoinghi.conferences.sms import Sms, phone_normalise, sms_backend
from hoinghi.conferences.sms.text import SMS_MAX_CHARS
from hoinghi.core.errors import DomainError
from hoinghi.core.models import AuditEntry
from hoinghi.orgs.models import PositionRole
from hoinghi.orgs.tests.factories import PersonFactory, PositionFactory

FILE_BACKEND = "hoinghi.conferences.sms.backends.filebased.SmsBackend"
HTTP_BACKEND = "hoinghi.conferences.sms.backends.http.SmsBackend"
REFUSED_NUMBER = "+84987000002"  # the gateway below answers 503 for this one


class Gateway:
    """A real SMS gateway on 127.0.0.1: records what it is sent, refuses REFUSED_NUMBER."""

    def __init__(self, delay: float = 0.0) -> None:
        self.received: list[dict] = []
        gateway = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                gateway.received.append(
                    {
                        "path": self.path,
                        "authorization": self.headers.get("Authorization"),
                        "content_type": self.headers.get("Content-Type"),
                        "json": json.loads(body),
                    }
                )
                time.sleep(delay)
                refused = gateway.received[-1]["json"]["to"] == REFUSED_NUMBER
                answer = (
                    b"Het han muc gui"
                    if refused
                    else json.dumps({"id": f"m{len(gateway.received)}"}).encode()
                )
                self.send_response(503 if refused else 200)
                self.send_header("Content-Type", "text/plain" if refused else "application/json")
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/sms/send"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc_info):
        self.server.shutdown()
        self.server.server_close()
        self.thread.join()


@pytest.fixture
def gateway(settings):
    with Gateway() as running:
        settings.HOINGHI_SMS_BACKEND = HTTP_BACKEND
        settings.HOINGHI_SMS_GATEWAY_URL = running.url
        settings.HOINGHI_SMS_GATEWAY_TOKEN = "bi-mat"
        settings.HOINGHI_SMS_SENDER = "CONGDOANVN"
        yield running


@pytest.fixture
def phone_only(small_conference, small_tree, superuser):
    """Beside the fixture's grassroots chair (0900000001, no e-mail): two committee members with a
    phone and no e-mail, one of whom the gateway refuses, and one whose number is not a number."""
    committee = PositionRole.objects.get(code="executive_member")
    people = {}
    for key, unit, phone in (
        ("tu", small_tree.hcm, "0987 000 001"),
        ("refused", small_tree.hanoi, "0987000002"),
        ("invalid", small_tree.ba_dinh, "12345"),
    ):
        people[key] = PersonFactory(unit=unit, phone=phone, email="")
        PositionFactory(person=people[key], role=committee)
    services.conference_issue(actor=superuser, conference=small_conference.conference)
    small_conference.conference.refresh_from_db()
    return people


def _invitation(conference, person) -> Invitation:
    return Invitation.objects.get(conference=conference, person=person)


def test_numbers_are_normalised_to_e164_and_invalid_ones_refused():
    assert phone_normalise("0912 345 678") == "+84912345678"
    assert phone_normalise("+84 912.345.678") == "+84912345678"
    assert phone_normalise("912345678") == "+84912345678"  # Excel dropped the leading 0
    assert phone_normalise("12345") is None
    assert phone_normalise("không có") is None
    assert phone_normalise("") is None


def test_the_file_backend_writes_one_file_per_batch_with_every_message(settings, tmp_path):
    settings.HOINGHI_SMS_FILE_PATH = str(tmp_path / "sms")
    with sms_backend(FILE_BACKEND) as backend:
        backend.send(Sms(to="+84912345678", body="Kinh moi dong chi An"))
        backend.send(Sms(to="+84987654321", body="Kinh moi dong chi Binh"))
    files = list((tmp_path / "sms").iterdir())
    assert len(files) == 1
    text = files[0].read_text(encoding="utf-8")
    assert "To: +84912345678\n\nKinh moi dong chi An" in text
    assert "To: +84987654321\n\nKinh moi dong chi Binh" in text


def test_the_http_backend_posts_json_with_the_token_and_keeps_the_gateway_id(gateway):
    with sms_backend() as backend:
        reference = backend.send(Sms(to="+84912345678", body="Kinh moi"))
    assert reference == "m1"
    assert gateway.received == [
        {
            "path": "/sms/send",
            "authorization": "Bearer bi-mat",
            "content_type": "application/json",
            "json": {"to": "+84912345678", "from": "CONGDOANVN", "text": "Kinh moi"},
        }
    ]


def test_a_gateway_that_does_not_answer_in_time_is_a_clear_error(settings):
    with Gateway(delay=1.5) as slow:
        backend = sms_backend(HTTP_BACKEND, url=slow.url, token="", timeout=0.3)
        with pytest.raises(DomainError) as error, backend:
            backend.send(Sms(to="+84912345678", body="Kinh moi"))
    assert error.value.code == ConferenceErrorCode.SMS_FAILED
    assert "không trả lời sau 0.3 giây" in error.value.message


def test_invitees_with_a_phone_and_no_email_are_texted_and_each_outcome_recorded(
    phone_only, small_conference, superuser, gateway, django_capture_on_commit_callbacks
):
    conference = small_conference.conference
    with django_capture_on_commit_callbacks(execute=True):
        result = services.invitations_sms(actor=superuser, conference=conference)

    assert (result.queued, result.invalid) == (3, 1)
    # The committee members with an e-mail get none; the invalid number never reaches the gateway.
    assert sorted(r["json"]["to"] for r in gateway.received) == [
        "+84900000001",
        "+84987000001",
        REFUSED_NUMBER,
    ]
    tu = _invitation(conference, phone_only["tu"])
    sent = SmsMessage.objects.get(invitation=tu)
    assert sent.status == SmsStatus.SENT and sent.to == "+84987000001" and sent.gateway_reference
    assert tu.sms_sent_at is not None
    link = f"/moi/{tu.token}/"
    body = next(r["json"]["text"] for r in gateway.received if r["json"]["to"] == "+84987000001")
    assert link in body and "08:00 06/12/2018" in body and "Diem cau Ho Chi Minh" in body
    assert len(body) <= SMS_MAX_CHARS and body.isascii()

    refused = SmsMessage.objects.get(invitation=_invitation(conference, phone_only["refused"]))
    assert refused.status == SmsStatus.FAILED
    assert "Cổng SMS từ chối tin nhắn (mã 503): Het han muc gui" in refused.error
    assert refused.invitation.sms_sent_at is None

    invalid = SmsMessage.objects.get(invitation=_invitation(conference, phone_only["invalid"]))
    assert invalid.status == SmsStatus.INVALID and invalid.to == "12345" and "không hợp lệ" in invalid.error

    entry = AuditEntry.objects.get(type="conferences.invitations.texted")
    assert entry.actor == superuser and entry.data["queued"] == 3 and entry.data["invalid"] == 1

    # Again: nobody is texted twice; the invalid number is reported again, not sent.
    with django_capture_on_commit_callbacks(execute=True):
        again = services.invitations_sms(actor=superuser, conference=conference)
    assert (again.queued, again.invalid) == (0, 1)
    assert len(gateway.received) == 3


def test_a_long_title_is_shortened_so_the_message_stays_within_two_sms(
    phone_only, small_conference, superuser, settings
):
    conference = small_conference.conference
    conference.title = "Hội nghị trực tuyến toàn quốc học tập, quán triệt Nghị quyết Đại hội " * 4
    conference.save()
    invitation = _invitation(conference, phone_only["tu"])
    settings.HOINGHI_BASE_URL = "https://hoinghi.congdoan.vn"
    plan = selectors.sms_plan(
        recipients=selectors.sms_recipients(actor=superuser, conference=conference).filter(pk=invitation.pk)
    )
    assert plan.count == 1 and len(plan.sample) <= SMS_MAX_CHARS
    assert plan.sample.endswith(f"https://hoinghi.congdoan.vn/moi/{invitation.token}/")


def test_the_chosen_channel_all_texts_everyone_with_a_phone(phone_only, small_conference, superuser):
    recipients = selectors.sms_recipients(
        actor=superuser, conference=small_conference.conference, channel="all"
    )
    assert recipients.count() == 5 + 4  # the five committee members with an e-mail, and the four above


def test_a_sending_confirmed_for_another_count_sends_nothing(
    phone_only, small_conference, superuser, gateway
):
    with pytest.raises(DomainError) as error:
        services.invitations_sms(actor=superuser, conference=small_conference.conference, expected=2)
    assert error.value.code == ConferenceErrorCode.COUNT_CHANGED
    assert not SmsMessage.objects.exists()


def test_nothing_is_texted_before_invitations_are_issued(small_conference, superuser):
    with pytest.raises(DomainError) as error:
        services.invitations_sms(actor=superuser, conference=small_conference.conference)
    assert error.value.code == ConferenceErrorCode.STAGE_FORBIDS


def test_an_unconfigured_gateway_fails_the_batch_with_a_clear_reason(
    phone_only, small_conference, superuser, settings, django_capture_on_commit_callbacks
):
    settings.HOINGHI_SMS_BACKEND = HTTP_BACKEND
    settings.HOINGHI_SMS_GATEWAY_URL = ""
    with django_capture_on_commit_callbacks(execute=True):
        services.invitations_sms(actor=superuser, conference=small_conference.conference)
    failed = SmsMessage.objects.filter(status=SmsStatus.FAILED)
    assert failed.count() == 3
    assert all("HOINGHI_SMS_GATEWAY_URL" in message.error for message in failed)


def test_failed_messages_are_sent_again_on_retry(
    phone_only, small_conference, superuser, gateway, settings, tmp_path, django_capture_on_commit_callbacks
):
    conference = small_conference.conference
    with django_capture_on_commit_callbacks(execute=True):
        services.invitations_sms(actor=superuser, conference=conference)
    assert SmsMessage.objects.filter(status=SmsStatus.FAILED).count() == 1
    settings.HOINGHI_SMS_BACKEND = FILE_BACKEND
    settings.HOINGHI_SMS_FILE_PATH = str(tmp_path)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.sms_retry(actor=superuser, conference=conference) == 1
    assert not SmsMessage.objects.filter(status=SmsStatus.FAILED).exists()


def test_the_text_is_in_the_gsm_alphabet_with_vietnamese_punctuation_kept(
    phone_only, small_conference, superuser
):
    BridgePoint.objects.filter(pk=small_conference.hcm_point.pk).update(
        name="Điểm cầu TP. HCM – Nhà văn hóa “Lao động”"
    )
    invitation = _invitation(small_conference.conference, phone_only["tu"])
    plan = selectors.sms_plan(
        recipients=selectors.sms_recipients(actor=superuser, conference=small_conference.conference).filter(
            pk=invitation.pk
        )
    )
    assert 'tai Diem cau TP. HCM - Nha van hoa "Lao dong". Giay moi' in plan.sample
    assert plan.sample.isascii()
