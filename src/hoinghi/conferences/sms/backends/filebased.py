"""Development: the messages of a batch are written to one file under `HOINGHI_SMS_FILE_PATH`
(`var/sms`), as Django's file-based e-mail backend writes one file per connection."""

import datetime
import secrets
from pathlib import Path

from django.conf import settings

from hoinghi.conferences.sms import Sms
from hoinghi.conferences.sms.backends.base import BaseSmsBackend


class SmsBackend(BaseSmsBackend):
    def __init__(self, *, file_path=None, **options) -> None:
        super().__init__(**options)
        self.file_path = Path(file_path or settings.HOINGHI_SMS_FILE_PATH)
        self.file_path.mkdir(parents=True, exist_ok=True)
        self.stream = None

    def open(self) -> None:
        if self.stream is None:
            stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
            name = self.file_path / f"{stamp}-{secrets.token_hex(4)}.log"
            self.stream = name.open("a", encoding="utf-8")

    def close(self) -> None:
        if self.stream is not None:
            self.stream.close()
            self.stream = None

    def send(self, message: Sms) -> str:
        opened_here = self.stream is None
        self.open()
        try:
            self.stream.write(f"To: {message.to}\n\n{message.body}\n{'-' * 40}\n")
            self.stream.flush()
        finally:
            if opened_here:
                self.close()
        return ""
