"""Background work of streaming: a finished recording becomes an MP4 and chapters by programme
item; an adjusted chapter is cut again. Failures are kept on the row (status and error) for the
organiser's page, which can start the work again."""

import logging

from django.conf import settings
from django.tasks import task
from django.utils import timezone

from hoinghi.streaming import media, services
from hoinghi.streaming.models import Chapter, ProcessingStatus, Recording

logger = logging.getLogger(__name__)


def recording_file(recording: Recording):
    return settings.STREAM_DIR / recording.path


def vod_dir(stream_name: str):
    return settings.STREAM_DIR / "vod" / stream_name


@task()
def recording_process(recording_id: int) -> str:
    recording = Recording.objects.select_related("stream__conference").filter(pk=recording_id).first()
    if recording is None:
        return "gone"
    Recording.objects.filter(pk=recording.pk).update(status=ProcessingStatus.PROCESSING, error="")
    source = recording_file(recording)
    try:
        recording.duration = media.probe(source)["duration"]
        recording.save(update_fields=["duration"])
        media.remux(source, vod_dir(recording.stream.name) / f"rec-{recording.pk}.mp4")
    except media.MediaError as error:
        logger.warning("recording %s: %s", recording.pk, error)
        Recording.objects.filter(pk=recording.pk).update(status=ProcessingStatus.FAILED, error=str(error))
        return "failed"
    for chapter in services.recording_chapters_plan(recording):
        if chapter.status != ProcessingStatus.READY:
            _cut(chapter, recording)
    Recording.objects.filter(pk=recording.pk).update(
        status=ProcessingStatus.READY, processed_at=timezone.now()
    )
    return "ready"


@task()
def chapter_cut(chapter_id: int) -> str:
    chapter = Chapter.objects.select_related("recording__stream").filter(pk=chapter_id).first()
    if chapter is None:
        return "gone"
    return _cut(chapter, chapter.recording)


def _cut(chapter: Chapter, recording: Recording) -> str:
    Chapter.objects.filter(pk=chapter.pk).update(status=ProcessingStatus.PROCESSING, error="")
    # A new name for every cut: a player holding the old URL keeps it, caches never mix the two.
    name = f"ch-{chapter.pk}-{int(chapter.start * 1000)}-{int(chapter.end * 1000)}.mp4"
    target = vod_dir(recording.stream.name) / name
    try:
        media.cut(recording_file(recording), target, chapter.start, chapter.end)
        duration = media.probe(target)["duration"]
    except media.MediaError as error:
        logger.warning("chapter %s: %s", chapter.pk, error)
        Chapter.objects.filter(pk=chapter.pk).update(status=ProcessingStatus.FAILED, error=str(error))
        return "failed"
    old = chapter.path
    Chapter.objects.filter(pk=chapter.pk).update(
        status=ProcessingStatus.READY, path=str(target.relative_to(settings.STREAM_DIR)), duration=duration
    )
    if old and old != str(target.relative_to(settings.STREAM_DIR)):
        (settings.STREAM_DIR / old).unlink(missing_ok=True)
    return "ready"
