"""A point's printed invitations built in the background, whatever their number.

Up to `INVITATIONS_IMMEDIATE` a point's invitations are drawn in the request
(`views.documents.invitations_pdf`); above that, the organiser asks for a print
(`invitation_print_request`) and a task draws it (`invitation_print_build`), reporting how far
it got in the cache for the point's page. Never a part of them: one PDF with every invitation, or,
above `INVITATIONS_PER_FILE`, a zip of PDFs of `INVITATIONS_PER_PART` each, named by their range.
"""

import tempfile
import zipfile

from django.conf import settings
from django.core.cache import cache
from django.core.files import File
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from hoinghi.conferences import documents, selectors
from hoinghi.conferences.models import BridgePoint, InvitationPrint, PrintStatus
from hoinghi.core.background import enqueue_on_commit
from hoinghi.core.models import audit
from hoinghi.core.permissions import require

# Drawn in the request up to this many (a few seconds); above, in the background.
INVITATIONS_IMMEDIATE = documents.INVITATIONS_PER_PART
# One PDF up to this many invitations (some 2 MB a thousand); above, a zip of parts.
INVITATIONS_PER_FILE = 5_000
PROGRESS_TIMEOUT = 24 * 3600


def invitations_per_file() -> int:
    return getattr(settings, "HOINGHI_INVITATIONS_PER_FILE", INVITATIONS_PER_FILE)


def print_progress_key(print_id: int) -> str:
    return f"conferences.invitation_print.{print_id}.progress"


@transaction.atomic
def invitation_print_request(*, actor, point: BridgePoint) -> InvitationPrint:
    """Ask for the point's invitations to be drawn in the background; returns the print (the
    one already queued or running for the point, if any, rather than a second).

    Invitations carry each invitee's personal link: whoever may change the point asks for them.
    """
    require(actor, "conferences.change", point)
    BridgePoint.objects.select_for_update().filter(pk=point.pk).first()
    running = InvitationPrint.objects.filter(
        point=point, status__in=(PrintStatus.QUEUED, PrintStatus.RUNNING)
    ).first()
    if running is not None:
        return running
    total = selectors.invitation_list(actor=actor, conference=point.conference, point=point).count()
    job = InvitationPrint.objects.create(
        conference=point.conference, point=point, requested_by=actor, total=total
    )
    audit(
        actor=actor,
        type="conferences.invitation_print.requested",
        obj=point,
        unit_path=point.unit.path,
        total=total,
    )
    enqueue_on_commit("hoinghi.conferences.tasks.invitation_print_build", print_id=job.pk)
    return job


def _parts(count: int, size: int) -> list[tuple[int, int]]:
    return [(start, min(start + size - 1, count)) for start in range(1, count + 1, size)]


def invitation_print_build(*, job: InvitationPrint) -> InvitationPrint:
    """Draw every invitation of the print's point that its requester may print (the roster as it
    is now), store the file, and drop the point's older prints. Progress goes to the cache under
    `print_progress_key`. No actor: the background half of `invitation_print_request`.

    Not one transaction: drawing takes minutes and must not hold locks; the print is marked
    running first and done (with its file) last, so a page never offers a half-written file.
    """
    InvitationPrint.objects.filter(pk=job.pk).update(status=PrintStatus.RUNNING, updated_at=timezone.now())
    conference, point = job.conference, job.point
    roster = selectors.point_roster(
        actor=job.requested_by, conference=conference, point=point, base_url=settings.HOINGHI_BASE_URL
    )
    count = len(roster)
    key = print_progress_key(job.pk)
    cache.set(key, {"done": 0, "total": count}, PROGRESS_TIMEOUT)

    def progress(done_before: int):
        """The callback of one PDF, whose count starts after `done_before` invitations."""
        return lambda done: cache.set(key, {"done": done_before + done, "total": count}, PROGRESS_TIMEOUT)

    stem = f"giay-moi-diem-cau-{point.pk}-{count}-giay"
    if count <= invitations_per_file():
        letter = selectors.invitation_letter(conference=conference, point=point, invitees=roster)
        content = ContentFile(documents.invitations_pdf(letter, progress=progress(0)))
        name, parts = f"{stem}.pdf", 1
    else:
        content = File(tempfile.TemporaryFile())  # a part at a time: never the whole set in memory
        ranges = _parts(count, documents.INVITATIONS_PER_PART)
        with zipfile.ZipFile(content.file, "w", compression=zipfile.ZIP_STORED) as archive:
            for start, end in ranges:
                letter = selectors.invitation_letter(
                    conference=conference, point=point, invitees=roster[start - 1 : end]
                )
                archive.writestr(
                    f"giay-moi-diem-cau-{point.pk}-{start:05d}-{end:05d}.pdf",
                    documents.invitations_pdf(letter, progress=progress(start - 1)),
                )
        content.file.seek(0)
        name, parts = f"{stem}.zip", len(ranges)
    job.file.save(name, content, save=False)
    job.status, job.total, job.parts, job.file_name = PrintStatus.DONE, count, parts, name
    job.finished_at = timezone.now()
    job.save()
    for older in InvitationPrint.objects.filter(point=point, status=PrintStatus.DONE).exclude(pk=job.pk):
        older.file.delete(save=False)
        older.delete()
    return job


def invitation_print_fail(*, job: InvitationPrint, reason: str) -> None:
    """Record why a print stopped; the point's page says so and offers to try again."""
    InvitationPrint.objects.filter(pk=job.pk).update(
        status=PrintStatus.FAILED, error=reason[:2000], finished_at=timezone.now()
    )
