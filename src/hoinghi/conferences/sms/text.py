"""The invitation as an SMS: short enough for one or two parts, with the personal link."""

import unicodedata

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

# Two concatenated SMS of the GSM alphabet carry 306 characters; with one Vietnamese letter the
# whole text goes as UCS-2 (67 a part) and the link alone would take a part. Carriers' brand-name
# SMS are therefore written without diacritics, as here.
SMS_MAX_CHARS = 306


# Typographic marks Vietnamese text uses that the GSM alphabet lacks (an ASCII encoding would drop
# them: "Trung ương – Cung Văn hóa" would lose its dash).
_GSM_PUNCTUATION = str.maketrans(
    {
        "Đ": "D",
        "đ": "d",
        "–": "-",
        "—": "-",
        "“": '"',
        "”": '"',
        "‘": "'",
        "’": "'",
        "…": "...",
        "\u00a0": " ",
    }
)


def _plain(text: str) -> str:
    """Vietnamese without diacritics ("Đà Nẵng" → "Da Nang"): the GSM alphabet."""
    text = text.translate(_GSM_PUNCTUATION)
    text = "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))
    return text.encode("ascii", "ignore").decode()


def _shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: max(limit - 3, 0)].rstrip() + "..."


def invitation_sms_text(*, invitation, conference) -> str:
    """The invitation as one or two SMS: the invitee, the conference, when and where, and the
    personal link (which shows the QR code). The title and the point are shortened to fit."""
    link = settings.HOINGHI_BASE_URL + reverse("personal:invitation_page", kwargs={"token": invitation.token})
    when = date_format(timezone.localtime(conference.starts_at), "H:i d/m/Y")
    parts = {
        "name": _plain(invitation.person.full_name),
        "title": _plain(conference.title),
        "time": when,
        "point": _plain(invitation.point.name) if invitation.point_id else _("diem cau se bao sau"),
        "link": link,
    }
    template = _(
        "Kinh moi dong chi %(name)s du %(title)s luc %(time)s tai %(point)s. Giay moi, ma QR: %(link)s"
    )
    text = template % parts
    excess = len(text) - SMS_MAX_CHARS
    if excess > 0:  # the title gives way first, then the point
        cut = min(excess, max(len(parts["title"]) - 20, 0))
        parts["title"] = _shorten(parts["title"], len(parts["title"]) - cut)
        excess -= cut
        if excess > 0:
            parts["point"] = _shorten(parts["point"], max(len(parts["point"]) - excess, 10))
        text = template % parts
    return text
