"""An SMS gateway over HTTP (the brand-name SMS services of Vietnamese carriers and resellers).

Each message is one `POST HOINGHI_SMS_GATEWAY_URL` with the JSON
`{"to": "+84912345678", "from": HOINGHI_SMS_SENDER, "text": "..."}` and
`Authorization: Bearer HOINGHI_SMS_GATEWAY_TOKEN`; a 2xx answer means sent, and its `id` (or
`message_id`) is kept as the message's reference. Anything else — an error status, no answer within
`HOINGHI_SMS_TIMEOUT` seconds, no connection — is an `SmsError` whose Vietnamese message says what
happened, recorded on that invitation's SMS. A gateway with another request shape is a subclass
that overrides `payload` and `reference`.
"""

import httpx
from django.conf import settings
from django.utils.translation import gettext as _

from hoinghi.conferences.errors import ConferenceError, ConferenceErrorCode
from hoinghi.conferences.sms import Sms
from hoinghi.conferences.sms.backends.base import BaseSmsBackend


class SmsBackend(BaseSmsBackend):
    def __init__(self, *, url=None, token=None, sender=None, timeout=None, **options) -> None:
        super().__init__(**options)
        self.url = url or settings.HOINGHI_SMS_GATEWAY_URL
        self.token = token if token is not None else settings.HOINGHI_SMS_GATEWAY_TOKEN
        self.sender = sender if sender is not None else settings.HOINGHI_SMS_SENDER
        self.timeout = timeout or settings.HOINGHI_SMS_TIMEOUT
        self.client = None

    def open(self) -> None:
        if not self.url:
            raise ConferenceError(
                _("Chưa cấu hình cổng SMS (HOINGHI_SMS_GATEWAY_URL)."), code=ConferenceErrorCode.SMS_FAILED
            )
        if self.client is None:
            headers = {"Authorization": f"Bearer {self.token}"} if self.token else {}
            self.client = httpx.Client(timeout=self.timeout, headers=headers)

    def close(self) -> None:
        if self.client is not None:
            self.client.close()
            self.client = None

    def payload(self, message: Sms) -> dict:
        return {"to": message.to, "from": self.sender, "text": message.body}

    def reference(self, response: httpx.Response) -> str:
        try:
            answer = response.json()
        except ValueError:
            return ""
        if isinstance(answer, dict):
            return str(answer.get("id") or answer.get("message_id") or "")[:200]
        return ""

    def send(self, message: Sms) -> str:
        opened_here = self.client is None
        self.open()
        try:
            try:
                response = self.client.post(self.url, json=self.payload(message))
            except httpx.TimeoutException:
                raise ConferenceError(
                    _("Cổng SMS không trả lời sau %(seconds)s giây."),
                    code=ConferenceErrorCode.SMS_FAILED,
                    params={"seconds": self.timeout},
                ) from None
            except httpx.HTTPError as error:
                raise ConferenceError(
                    _("Không kết nối được cổng SMS: %(error)s"),
                    code=ConferenceErrorCode.SMS_FAILED,
                    params={"error": str(error) or type(error).__name__},
                ) from None
            if not response.is_success:
                raise ConferenceError(
                    _("Cổng SMS từ chối tin nhắn (mã %(status)s): %(detail)s"),
                    code=ConferenceErrorCode.SMS_FAILED,
                    params={"status": response.status_code, "detail": response.text[:300]},
                )
            return self.reference(response)
        finally:
            if opened_here:
                self.close()
