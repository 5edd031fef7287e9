"""Development: each message is printed on standard output (or the stream given)."""

import sys

from hoinghi.conferences.sms import Sms
from hoinghi.conferences.sms.backends.base import BaseSmsBackend


class SmsBackend(BaseSmsBackend):
    def __init__(self, *, stream=None, **options) -> None:
        super().__init__(**options)
        self.stream = stream or sys.stdout

    def send(self, message: Sms) -> str:
        self.stream.write(f"SMS to {message.to}\n{message.body}\n{'-' * 40}\n")
        self.stream.flush()
        return ""
