"""Pages of live video: the organisers' stream page (source, keys, rehearsal, recordings and
chapters), the player on the check-in page and the invitee's page (through `core.extensions`), a
public conference's watch page, and an invitee's "watch later" of a chapter."""

import json
import re

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from hoinghi.conferences import selectors as conference_selectors
from hoinghi.conferences.decorators import personal_page
from hoinghi.conferences.models import ConferenceStatus
from hoinghi.core.csp import csp_allow
from hoinghi.core.forms import add_domain_error
from hoinghi.core.permissions import can
from hoinghi.streaming import selectors, services
from hoinghi.streaming.errors import StreamError
from hoinghi.streaming.models import Chapter, Recording, Stream, StreamSource

WATCHABLE = (ConferenceStatus.INVITATIONS_ISSUED, ConferenceStatus.LIVE)


def _programme(conference) -> str:
    """The programme for the player's "now showing" line (the page picks the item by the clock)."""
    return json.dumps(
        [
            {
                "title": item.title,
                "start": item.planned_start.isoformat() if item.planned_start else None,
                "end": item.planned_end.isoformat() if item.planned_end else None,
            }
            for item in conference.programme.order_by("order", "id")
        ]
    )


# --- The player in other apps' pages (core.extensions) ----------------------------------------------


def _player_source(request, stream) -> dict | None:
    """What the player loads. Its server (ours or a broadcaster's) is let into this page's
    Content-Security-Policy (core.csp): hls.js fetches playlists and fragments from it, Safari
    plays the playlist itself."""
    source = selectors.player_source(stream)
    if source:
        csp_allow(request, source["url"], "connect-src", "media-src")
    return source


def _live_player(request, *, conference, report: str, report_url: str) -> str:
    stream = selectors.stream_of(conference)
    if stream is None:
        return ""
    rehearsing = stream.in_rehearsal() or stream.state == "rehearsal"
    if conference.status not in WATCHABLE and not rehearsing:
        return ""
    return render_to_string(
        "streaming/_player.html",
        {
            "source": _player_source(request, stream),
            "stream": stream,
            "rehearsing": rehearsing and conference.status != ConferenceStatus.LIVE,
            "programme": _programme(conference),
            "report": report,
            "report_url": report_url,
        },
        request=request,
    )


def point_player(request, *, point, conference, **_ignored) -> str:
    """On the check-in page: the operator's player reports with the page's heartbeat."""
    return _live_player(request, conference=conference, report="heartbeat", report_url="")


def invitation_player(request, *, invitation, conference, **_ignored) -> str:
    """On the invitee's page: the live player, or the chapters to watch later."""
    parts = [
        _live_player(
            request,
            conference=conference,
            report="invitation",
            report_url=f"/api/invitations/{invitation.token}/player",
        )
    ]
    chapters = list(selectors.chapters_ready(conference))
    if chapters:
        watched = {v.chapter_id: v.seconds for v in invitation.viewings.filter(chapter__in=chapters)}
        for chapter in chapters:
            chapter.watched_seconds = watched.get(chapter.pk, 0)
        parts.append(
            render_to_string(
                "streaming/_chapters.html", {"chapters": chapters, "invitation": invitation}, request=request
            )
        )
    return "".join(parts)


# --- Invitees and the public ------------------------------------------------------------------------


@personal_page  # the invitee's own page: no shared cache, no index, no Referer
def watch_later(request, token: str, chapter_id: int):
    invitation = conference_selectors.invitation_by_token(token=token)
    chapter = selectors.chapter_for_invitation(invitation=invitation, chapter_id=chapter_id)
    viewing = invitation.viewings.filter(chapter=chapter).first()
    url = selectors.chapter_url(chapter)
    csp_allow(request, url, "media-src")  # the video element plays the MP4 from the media server
    return render(
        request,
        "streaming/watch_later.html",
        {
            "invitation": invitation,
            "conference": invitation.conference,
            "chapter": chapter,
            "url": url,
            "watched": viewing.seconds if viewing else 0,
            "resume": viewing.intervals[-1][1] if viewing and viewing.intervals else 0,
            "report_url": f"/api/invitations/{token}/chapters/{chapter.pk}/watched",
            "others": selectors.chapters_ready(invitation.conference).exclude(pk=chapter.pk),
        },
    )


def watch_public(request, conference_id: int):
    """A public conference: anyone with the address watches (no invitation, no telemetry)."""
    from hoinghi.conferences.models import Conference

    conference = get_object_or_404(Conference.objects.select_related("stream"), pk=conference_id)
    stream = getattr(conference, "stream", None)
    if stream is None or not stream.is_public:
        raise Http404  # not public: as if there were nothing here
    player = _live_player(request, conference=conference, report="", report_url="")
    return render(request, "streaming/watch_public.html", {"conference": conference, "player": player})


# --- Organisers ---------------------------------------------------------------------------------------


# dd/mm/yyyy HH:MM typed, as on the conference's form: a datetime-local picker would show the
# order of the browser's locale (mm/dd/yyyy on an English one).
REHEARSAL_INPUT = forms.DateTimeInput(
    format="%d/%m/%Y %H:%M", attrs={"placeholder": "06/12/2018 08:00", "autocomplete": "off"}
)


class StreamSettingsForm(forms.Form):
    source = forms.ChoiceField(label=gettext_lazy("Nguồn tín hiệu"), choices=StreamSource.choices)
    external_url = forms.URLField(label=gettext_lazy("Địa chỉ HLS bên ngoài (.m3u8)"), required=False)
    is_public = forms.BooleanField(label=gettext_lazy("Phát công khai (không cần thư mời)"), required=False)
    rehearsal_starts_at = forms.DateTimeField(
        label=gettext_lazy("Phát thử từ"),
        required=False,
        widget=REHEARSAL_INPUT,
        input_formats=["%d/%m/%Y %H:%M", "%Y-%m-%dT%H:%M"],
    )
    rehearsal_ends_at = forms.DateTimeField(
        label=gettext_lazy("đến"),
        required=False,
        widget=REHEARSAL_INPUT,
        input_formats=["%d/%m/%Y %H:%M", "%Y-%m-%dT%H:%M"],
    )


TIME = re.compile(r"^\s*(?:(\d+):)?(\d{1,2}):(\d{1,2}(?:\.\d+)?)\s*$")


def parse_offset(text: str) -> float | None:
    """'1:02:03', '02:03' or seconds ('123.5') -> seconds; None when it is none of those."""
    text = (text or "").strip().replace(",", ".")
    if matched := TIME.match(text):
        hours, minutes, seconds = matched.groups()
        return int(hours or 0) * 3600 + int(minutes) * 60 + float(seconds)
    try:
        value = float(text)
    except ValueError:
        return None
    return value if value >= 0 else None


def format_offset(seconds: float | None) -> str:
    if seconds is None:
        return ""
    whole = int(round(seconds))
    return f"{whole // 3600}:{whole % 3600 // 60:02d}:{whole % 60:02d}"


def _media_state(stream) -> selectors.MediaServerState | None:
    """Our media server's state, checked, where the conference plays from it (not from a
    broadcaster's HLS)."""
    if stream is not None and stream.source == StreamSource.EXTERNAL:
        return None
    return selectors.media_server_state()


def _manage_context(request, conference) -> dict:
    """What the stream page shows. A read: a conference whose stream was never made is shown
    with the defaults and a button that makes it (a GET changes nothing)."""
    stored = selectors.stream_of(conference)
    stream = stored or Stream(conference=conference)
    may_change = can(request.user, "streaming.manage", conference)
    recordings = (
        list(stream.recordings.prefetch_related("chapters__item").order_by("-started_at")) if stored else []
    )
    for recording in recordings:
        recording.duration_text = format_offset(recording.duration)
        recording.download = selectors.recording_url(recording) if recording.status == "ready" else ""
        for chapter in recording.chapters.all():
            chapter.start_text, chapter.end_text = format_offset(chapter.start), format_offset(chapter.end)
    initial = {
        "source": stream.source,
        "external_url": stream.external_url,
        "is_public": stream.is_public,
        "rehearsal_starts_at": timezone.localtime(stream.rehearsal_starts_at)
        if stream.rehearsal_starts_at
        else None,
        "rehearsal_ends_at": timezone.localtime(stream.rehearsal_ends_at)
        if stream.rehearsal_ends_at
        else None,
    }
    return {
        "conference": conference,
        "stream": stream,
        "tab": "stream",
        "may_change": may_change,
        "is_made": stored is not None,
        "key": selectors.stream_key_current(stored) if may_change else None,
        "keys": stream.keys.all()[:10] if may_change and stored else [],
        "publish_server": settings.STREAM_PUBLISH_URL,
        "events": stream.events.select_related("key")[:30] if stored else [],
        "recordings": recordings,
        "form": StreamSettingsForm(initial=initial),
        "summary": selectors.stream_summary(conference=conference),
        "media": _media_state(stream),
        "player": _live_player(request, conference=conference, report="", report_url="")
        or render_to_string(
            "streaming/_player.html",
            {"source": _player_source(request, stored), "stream": stream, "programme": "[]", "report": ""},
            request=request,
        ),
    }


@login_required
@never_cache
def stream_manage(request, conference_id: int):
    conference = conference_selectors.conference_get(actor=request.user, pk=conference_id)
    if request.method == "POST":
        form = StreamSettingsForm(request.POST)
        if form.is_valid():
            try:
                services.stream_settings_update(
                    actor=request.user, conference=conference, **form.cleaned_data
                )
            except StreamError as error:
                add_domain_error(form, error)
            else:
                messages.success(request, _("Đã lưu thiết lập truyền hình."))
                return redirect("streaming:manage", conference.pk)
        context = _manage_context(request, conference)
        context["form"] = form
        return render(request, "streaming/manage.html", context, status=400)
    return render(request, "streaming/manage.html", _manage_context(request, conference))


@login_required
@never_cache
def stream_status(request, conference_id: int):
    """The stream's state, refreshed by the page (htmx) every few seconds."""
    conference = conference_selectors.conference_get(actor=request.user, pk=conference_id)
    stream = selectors.stream_of(conference)
    return render(
        request,
        "streaming/_status.html",
        {
            "conference": conference,
            "stream": stream,
            "summary": selectors.stream_summary(conference=conference),
            "media": _media_state(stream),
        },
    )


@login_required
@require_POST
def stream_create(request, conference_id: int):
    conference = conference_selectors.conference_get(actor=request.user, pk=conference_id)
    services.stream_create(actor=request.user, conference=conference)
    messages.success(request, _("Đã tạo luồng phát và khóa phát đầu tiên."))
    return redirect("streaming:manage", conference.pk)


@login_required
@require_POST
def key_rotate(request, conference_id: int):
    conference = conference_selectors.conference_get(actor=request.user, pk=conference_id)
    services.key_rotate(actor=request.user, conference=conference)
    messages.success(request, _("Đã tạo khóa phát mới. Khóa cũ không dùng để bắt đầu phát được nữa."))
    return redirect("streaming:manage", conference.pk)


@login_required
@require_POST
def key_revoke(request, conference_id: int, key_id: int):
    conference = conference_selectors.conference_get(actor=request.user, pk=conference_id)
    services.key_revoke(actor=request.user, conference=conference, key_id=key_id)
    messages.success(request, _("Đã thu hồi khóa phát: bộ mã hóa đang dùng khóa này bị ngắt trong vài giây."))
    return redirect("streaming:manage", conference.pk)


@login_required
@require_POST
def chapter_adjust(request, chapter_id: int):
    chapter = get_object_or_404(
        Chapter.objects.select_related("recording__stream__conference"), pk=chapter_id
    )
    conference_id = chapter.recording.stream.conference_id
    conference = conference_selectors.conference_get(actor=request.user, pk=conference_id)
    start, end = parse_offset(request.POST.get("start", "")), parse_offset(request.POST.get("end", ""))
    if start is None or end is None:
        messages.error(request, _("Thời điểm phải có dạng giờ:phút:giây, ví dụ 0:15:30."))
    else:
        try:
            services.chapter_adjust(actor=request.user, chapter=chapter, start=start, end=end)
        except StreamError as error:  # the times typed in, shown like the format error above
            messages.error(request, error.message)
        else:
            messages.success(
                request, _("Đã lưu thời điểm; đoạn “%(title)s” đang được cắt lại.") % {"title": chapter.title}
            )
    return redirect(reverse("streaming:manage", args=[conference.pk]) + "#ghi-hinh")


@login_required
@require_POST
def recording_retry(request, recording_id: int):
    recording = get_object_or_404(Recording.objects.select_related("stream__conference"), pk=recording_id)
    conference = conference_selectors.conference_get(actor=request.user, pk=recording.stream.conference_id)
    services.recording_retry(actor=request.user, recording=recording)
    messages.success(request, _("Đang xử lý lại bản ghi."))
    return redirect(reverse("streaming:manage", args=[conference.pk]) + "#ghi-hinh")
