"""Sending SMS, the way Django sends e-mail: a backend named by a setting.

`HOINGHI_SMS_BACKEND` is the dotted path of a class of `sms.backends` (or any class with the same
three methods): `console` prints, `filebased` writes one file per batch under `var/sms`, `http`
posts to an SMS gateway configured from the environment. A later backend (Zalo ZNS, a template
message to the invitee's Zalo account through Zalo's API, with an SMS fallback) is one more class
of the same interface; nothing else changes.

Numbers are normalised here, once, with `phonenumbers` (region VN, E.164): a number it cannot read
or that is not a valid number is reported, never sent.
"""

from dataclasses import dataclass

import phonenumbers
from django.conf import settings
from django.utils.module_loading import import_string

PHONE_REGION = "VN"


@dataclass(frozen=True)
class Sms:
    """One text message: the recipient in E.164 and the text."""

    to: str
    body: str


def phone_normalise(text: str) -> str | None:
    """The number in E.164 ("0912 345 678" → "+84912345678"), or None when it is not a valid
    number (a Vietnamese one without its country code, or any with it)."""
    text = (text or "").strip()
    if not text:
        return None
    try:
        number = phonenumbers.parse(text, PHONE_REGION)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def sms_backend(path: str | None = None, **options):
    """A new backend of the configured class (or of `path`)."""
    return import_string(path or settings.HOINGHI_SMS_BACKEND)(**options)
