"""Reads of copied text: the texts a report is compared with, the flags of a version, one flag
and its two texts side by side, and the copied-text part of the organiser's page. A flag is read
by organisers and viewers of the writer's subtree (`ACTION`), and by a reviewer holding a live
marking of either report of the flag.
"""

import logging
from dataclasses import dataclass

from django.db.models import Count, Q

from hoinghi.conferences.models import Conference
from hoinghi.core.permissions import can, scope
from hoinghi.learning_reports import similarity
from hoinghi.learning_reports.models import (
    LIVE_MARKING_STATES,
    Assignment,
    FlagStatus,
    Marking,
    Report,
    ReportVersion,
    SimilarityFlag,
    SimilarityRun,
)
from hoinghi.learning_reports.selectors.reports import ACTION, MARK, not_found
from hoinghi.learning_reports.texts import document_text

# The name a flag gives `Assignment.reference_text` (the materials go by their titles).
REFERENCE_OF_ASSIGNMENT = "văn bản đối chiếu của yêu cầu (nghị quyết)"


def version_text(version: ReportVersion, keys: list[str]) -> str:
    """The text compared and shown: the sections in the assignment's order (`keys`; a stored
    JSON object has no order of its own on PostgreSQL), a blank line between."""
    sections = version.sections
    order = [key for key in keys if key in sections] + sorted(key for key in sections if key not in keys)
    return "\n\n".join(str(sections[key]) for key in order if str(sections[key]).strip())


def _material_text(material) -> str:
    name = material.file.name.lower()
    try:
        with material.file.open("rb") as handle:
            data = handle.read()
        if name.endswith(".txt"):
            return data.decode("utf-8", errors="replace")
        if name.endswith((".pdf", ".docx")):
            return document_text(file_name=material.file_name, data=data)[0]
    except Exception:  # a material that cannot be read is no reference, and no reason to stop
        logging.getLogger(__name__).warning(
            "material %s: no text for the copied-text check", material.pk, exc_info=True
        )
    return ""


def reference_texts(assignment: Assignment) -> dict[str, str]:
    """The texts every report is compared with, by the name a flag shows."""
    texts = {}
    if assignment.reference_text.strip():
        texts[REFERENCE_OF_ASSIGNMENT] = assignment.reference_text
    for material in assignment.conference.materials.all():
        text = _material_text(material)
        if text.strip():
            texts[material.title[:300]] = text
    return texts


def boilerplate(assignment: Assignment) -> list[str]:
    return [assignment.title, assignment.prompt, *(section["title"] for section in assignment.sections)]


def assignment_detector(assignment: Assignment) -> similarity.Detector:
    return similarity.Detector(references=reference_texts(assignment), boilerplate=boilerplate(assignment))


@dataclass
class FlagRow:
    """A flag as one version's page lists it: the share of this version found in the source."""

    flag: SimilarityFlag
    share: int  # per cent
    other_report: Report | None  # None: the source is a reference text
    reference: str


def flags_of_version(*, version: ReportVersion) -> list[FlagRow]:
    """The flags naming the version on either side, the largest share first."""
    rows = SimilarityFlag.objects.filter(Q(version=version) | Q(other_version=version)).select_related(
        "version__report__invitation__person__unit", "other_version__report__invitation__person__unit"
    )
    found = []
    for flag in rows:
        mine = flag.version_id == version.pk
        share = flag.containment if mine else flag.other_containment
        other = flag.other_version if mine else flag.version
        found.append(FlagRow(flag, round(share * 100), other.report if other else None, flag.reference))
    found.sort(key=lambda row: -row.share)
    return found


def flag_get(*, actor, pk: int) -> SimilarityFlag:
    """A flag the actor may read: organisers and viewers of the writer's subtree, and a reviewer
    holding a live marking of either report of the flag. Anything else is not found."""
    flags = SimilarityFlag.objects.select_related(
        "version__report__invitation__person__unit",
        "version__report__assignment__conference",
        "other_version__report__invitation__person__unit",
        "decided_by",
    )
    flag = scope(actor, ACTION, flags).filter(pk=pk).first()
    if flag is None:
        flag = flags.filter(pk=pk).first()
        if flag is None or not is_reviewing_flag(actor=actor, flag=flag):
            raise not_found()
    return flag


def is_reviewing_flag(*, actor, flag: SimilarityFlag) -> bool:
    """Does the actor hold a live marking, within what they may mark, of a report of the flag?"""
    reports = [flag.version.report_id] + ([flag.other_version.report_id] if flag.other_version_id else [])
    markings = Marking.objects.filter(report_id__in=reports, reviewer=actor.pk, state__in=LIVE_MARKING_STATES)
    return scope(actor, MARK, markings).exists()


@dataclass
class SideBySide:
    """The two texts of a flag with the shared passages marked: each text as a list of
    (piece, is_shared) in order, for the template to wrap the shared pieces in <mark>."""

    flag: SimilarityFlag
    report: Report
    pieces: list[tuple[str, bool]]
    source_report: Report | None
    source_name: str
    source_pieces: list[tuple[str, bool]]
    share: int  # per cent of the report found in the source
    source_share: int
    shared_syllables: int


def _pieces(text: str, passages) -> list[tuple[str, bool]]:
    pieces, last = [], 0
    for passage in passages:
        if passage.start > last:
            pieces.append((text[last : passage.start], False))
        pieces.append((text[passage.start : passage.end], True))
        last = passage.end
    if last < len(text):
        pieces.append((text[last:], False))
    return pieces


def flag_side_by_side(*, flag: SimilarityFlag) -> SideBySide:
    """Both texts of a flag, the passages they share marked on each side (the same detector
    as the check: similarity.Detector.passages)."""
    assignment = flag.version.report.assignment
    detector = assignment_detector(assignment)
    text = similarity.nfc(version_text(flag.version, assignment.section_keys))
    if flag.other_version is not None:
        source_text = similarity.nfc(version_text(flag.other_version, assignment.section_keys))
        source_name = ""
        mine = detector.passages(text, source_text)
        theirs = detector.passages(source_text, text)
    else:
        source_name = flag.reference
        source_text = similarity.nfc(detector.reference_texts.get(flag.reference, ""))
        mine = detector.passages(text, flag.reference) if source_text else []
        theirs = detector.passages(source_text, text, of_reference=True) if source_text else []
    return SideBySide(
        flag=flag,
        report=flag.version.report,
        pieces=_pieces(text, mine),
        source_report=flag.other_version.report if flag.other_version else None,
        source_name=source_name,
        source_pieces=_pieces(source_text, theirs),
        share=round(flag.containment * 100),
        source_share=round(flag.other_containment * 100),
        shared_syllables=sum(passage.syllables for passage in mine),
    )


def may_read_reports(*, actor, flag: SimilarityFlag) -> bool:
    """Organisers and viewers read names even on a blind assignment; reviewers do not."""
    return can(actor, ACTION, flag)


def similarity_run_latest(*, actor, conference: Conference):
    """The latest copied-text pass of the conference's assignment, if the actor reads its reports."""
    return scope(actor, ACTION, SimilarityRun.objects.filter(assignment__conference=conference)).first()


@dataclass
class SimilarityOverview:
    """The copied-text part of the organiser's page: the latest pass and the flags in scope."""

    run: object  # SimilarityRun | None
    open_flags: int
    decided_flags: int
    flags: list  # the largest open flags first, a few
    may_run: bool


def similarity_overview(*, actor, assignment: Assignment, shown: int = 10) -> SimilarityOverview:
    flags = scope(actor, ACTION, SimilarityFlag.objects.filter(version__report__assignment=assignment))
    by_status = dict(flags.values_list("status").annotate(n=Count("pk")).order_by())
    open_flags = by_status.get(FlagStatus.OPEN, 0)
    return SimilarityOverview(
        run=SimilarityRun.objects.filter(assignment=assignment).first(),
        open_flags=open_flags,
        decided_flags=sum(by_status.values()) - open_flags,
        flags=list(
            flags.filter(status=FlagStatus.OPEN)
            .select_related(
                "version__report__invitation__person__unit", "other_version__report__invitation__person"
            )
            .order_by("-containment", "pk")[:shown]
        ),
        may_run=can(actor, "learning_reports.allocate", assignment.conference.organising_unit),
    )
