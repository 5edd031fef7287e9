"""The stored samples of shingles (VersionShingles): a version's check stores its sample; a worker
that has just started builds the assignment's index from the stored rows and reads only the texts
of the candidates it verifies; a row of another algorithm, or none, is made again from the text;
a revised report is indexed by its new version; the whole pass stores the samples it makes. On
both databases (the rows are bytes: bytea on PostgreSQL, a BLOB on SQLite)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from hoinghi.learning_reports import corpus, similarity
from hoinghi.learning_reports.models import (
    Report,
    ReportState,
    ReportVersion,
    SimilarityFlag,
    SimilarityRun,
    VersionShingles,
)
from hoinghi.learning_reports.selectors import version_text
from hoinghi.learning_reports.services import similarity as checking
from hoinghi.learning_reports.similarity import hashing
from hoinghi.learning_reports.tests.conftest import submit

pytestmark = pytest.mark.django_db

WRITERS = ("An", "Bình", "Chi", "Lan")
TEXTS = [
    " ".join(sample.sections.values())
    for sample in corpus.generate(5, syllables=80, copies=0, pastes=0, quoting=0)
]


def copy_of(text: str) -> str:
    return "Mở đầu của riêng tôi. " + text + " Tôi sẽ làm ngay."


def check(version) -> list[SimilarityFlag]:
    """The copied-text task of a submitted version, as the worker runs it."""
    return list(checking.version_similarity_check(version_id=version.pk))


def fresh_worker() -> None:
    checking._INDEXES.clear()  # the indexes a worker keeps in its memory


def texts_read(queries) -> int:
    """How many other versions' texts (`sections`) the check read (by id, in lists)."""
    marker = '"learning_reports_reportversion"."id" IN ('
    count = 0
    for query in queries:
        if '"sections"' in query["sql"] and marker in query["sql"]:
            count += query["sql"].split(marker, 1)[1].split(")", 1)[0].count(",") + 1
    return count


def expected_sample(version) -> list[int]:
    text = version_text(version, version.report.assignment.section_keys)
    return similarity.sample(similarity.shingles(text)).tolist()


def stored(version) -> list[int]:
    row = VersionShingles.objects.get(version=version)
    assert row.algorithm == hashing.SIGNATURE_VERSION
    return hashing.sample_from_bytes(bytes(row.sample)).tolist()


@pytest.fixture
def written(marking):
    """Four reports of different texts, each checked on submission (their samples stored)."""
    fresh_worker()
    versions = {}
    for name, text in zip(WRITERS, TEXTS, strict=False):
        versions[name] = submit(marking, name, text=text)
        assert check(versions[name]) == []
    return marking, versions


def test_a_checked_version_stores_its_sample(written):
    _, versions = written
    for version in versions.values():
        assert stored(version) == expected_sample(version) and stored(version)


def test_a_worker_just_started_reads_the_stored_samples_and_only_the_candidates_texts(written):
    marking, versions = written
    fresh_worker()
    copier = submit(marking, "Dũng", text=copy_of(TEXTS[2]))  # Chi's
    with CaptureQueriesContext(connection) as queries:
        [flag] = check(copier)
    assert flag.other_version_id == versions["Chi"].pk and flag.containment > 0.8
    assert texts_read(queries.captured_queries) == 1  # Chi's text, to verify the candidate
    detector = checking._INDEXES[marking.assignment.pk].detector
    assert len(detector) == 4 and len(detector.hashes) == 0  # built from the four rows, no text hashed
    fresh_worker()
    own = submit(marking, "Hà", text=TEXTS[4])
    with CaptureQueriesContext(connection) as queries:
        assert check(own) == []
    assert texts_read(queries.captured_queries) == 0  # no candidate: no other text read
    assert stored(own) == expected_sample(own)


def test_without_stored_samples_the_texts_are_hashed_once_and_the_samples_stored(written):
    marking, versions = written
    VersionShingles.objects.all().delete()  # as just after the migration
    fresh_worker()
    copier = submit(marking, "Dũng", text=copy_of(TEXTS[2]))
    with CaptureQueriesContext(connection) as queries:
        [flag] = check(copier)
    assert flag.other_version_id == versions["Chi"].pk
    assert texts_read(queries.captured_queries) == 4 + 1  # every other text, then the candidate to verify
    for version in [*versions.values(), copier]:
        assert stored(version) == expected_sample(version)


def test_a_sample_of_another_algorithm_is_made_again_from_the_text(written):
    marking, versions = written
    wrong = hashing.sample_bytes(similarity.sample(similarity.shingles(TEXTS[4])))
    VersionShingles.objects.update(algorithm="r0-s5-e8-b48", sample=wrong)  # every row: another text's
    fresh_worker()
    copier = submit(marking, "Dũng", text=copy_of(TEXTS[2]))
    [flag] = check(copier)  # with the old rows read, Chi's report would not be a candidate
    assert flag.other_version_id == versions["Chi"].pk
    for version in versions.values():
        assert stored(version) == expected_sample(version)


def test_the_same_flags_from_stored_samples_as_from_the_texts(written):
    marking, versions = written
    fresh_worker()
    copier = submit(marking, "Dũng", text=copy_of(TEXTS[1]) + " " + TEXTS[3][: len(TEXTS[3]) // 2])
    from_samples = [(f.other_version_id, f.containment, f.other_containment) for f in check(copier)]
    SimilarityFlag.objects.all().delete()
    VersionShingles.objects.all().delete()
    fresh_worker()
    from_texts = [(f.other_version_id, f.containment, f.other_containment) for f in check(copier)]
    assert from_samples == from_texts and versions["Bình"].pk in {pk for pk, _, _ in from_texts}


def test_a_revised_report_is_indexed_by_its_new_version(written):
    marking, versions = written
    Report.objects.filter(pk=versions["Chi"].report_id).update(state=ReportState.RETURNED)
    revised = submit(marking, "Chi", text=TEXTS[4])
    assert revised.number == 2 and check(revised) == []
    assert stored(revised) == expected_sample(revised) and stored(versions["Chi"])  # both versions' rows
    fresh_worker()
    [flag] = check(submit(marking, "Dũng", text=copy_of(TEXTS[4])))
    assert flag.other_version_id == revised.pk
    assert check(submit(marking, "Hà", text=copy_of(TEXTS[2]))) == []  # the first version is no longer read


def test_the_whole_pass_stores_the_samples_it_makes(written, superuser):
    marking, versions = written
    VersionShingles.objects.filter(version=versions["An"]).delete()
    VersionShingles.objects.filter(version=versions["Bình"]).update(algorithm="r0-s5-e8-b48", sample=b"")
    copier = submit(marking, "Dũng", text=copy_of(TEXTS[2]))
    run = checking.similarity_run_start(actor=superuser, assignment=marking.assignment)
    run = checking.similarity_run(run_id=run.pk)
    assert (run.status, run.reports, run.flags) == ("done", 5, 1)
    assert SimilarityRun.objects.get().flags == 1
    for version in ReportVersion.objects.filter(report__assignment=marking.assignment):
        assert stored(version) == expected_sample(version)
    assert copier.pk in set(VersionShingles.objects.values_list("version_id", flat=True))
