"""The statistics of a unit: the page, the .xlsx and the PDF show the same figures and the same
people who have not submitted (one selector), within what the actor may read."""

import re
from io import BytesIO

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from hoinghi.accounts.tests.factories import GrantFactory
from hoinghi.core.permissions import GrantRole
from hoinghi.learning_reports import services
from hoinghi.learning_reports.models import Report
from hoinghi.learning_reports.statistics import unit_statistics
from hoinghi.learning_reports.tests.conftest import levels_for, plan, sections, submit


def _mark(writing, name, points, reviewer):
    report = Report.objects.get(assignment=writing.assignment, invitation=writing.invitations[name])
    services.marking_save(
        actor=reviewer,
        marking_id=report.markings.get(state="allocated").pk,
        levels=levels_for(writing.assignment, points),
        comments={},
    )


@pytest.fixture
def graded(marking, small_tree, make_user, superuser):
    """Lan (CĐCS A) submitted and marked Xuất sắc; Chi (Ba Đình) present, a draft only; and the
    assignment set for all invitees, so that An, Bình and Hà must write too; Dũng submitted."""
    assignment = marking.assignment
    assignment.who_must_write = "all_invitees"
    assignment.save()
    reviewer = make_user(GrantRole.REVIEWER, small_tree.national)
    submit(marking, "Lan")
    _mark(marking, "Lan", [6, 4], reviewer)
    submit(marking, "Dũng")
    services.report_draft_save(
        invitation=marking.invitations["Chi"],
        assignment=assignment,
        revision=0,
        sections=sections(),
        plans=[plan()],
    )
    return marking


def _page_rows(html: str) -> list[list[str]]:
    table = html[html.index('id="statistics"') : html.index("</table>", html.index('id="statistics"'))]
    rows = []
    for row in re.findall(r"<tr[^>]*>(.*?)</tr>", table, flags=re.S)[1:]:
        cells = [
            re.sub(r"<[^>]+>", "", cell).strip()
            for cell in re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", row, re.S)
        ]
        rows.append(cells[:11])
    return rows


def _pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(BytesIO(content)).pages)


def test_the_page_the_xlsx_and_the_pdf_show_the_same_figures_and_people(
    graded, small_tree, make_user, client
):
    organiser = make_user(GrantRole.ORGANISER, small_tree.national)
    client.force_login(organiser)
    url = reverse("learning_reports:statistics", args=[graded.conference.pk])
    for unit in (None, small_tree.national, small_tree.hanoi):
        query = {"don-vi": unit.pk} if unit else {}
        table = unit_statistics(actor=organiser, assignment=graded.assignment, unit=unit)
        expected = [[str(value) for value in row] for row in _expected(table)]
        page = client.get(url, query).content.decode()
        assert _page_rows(page) == expected
        workbook = load_workbook(BytesIO(client.get(url, {**query, "xuat": "xlsx"}).content))
        sheet_rows = [
            [str(v) for v in row] for row in workbook.worksheets[0].iter_rows(min_row=3, values_only=True)
        ]
        assert sheet_rows == expected
        pdf = client.get(url, {**query, "xuat": "pdf"})
        assert pdf["Content-Type"] == "application/pdf"
        text = _pdf_text(pdf.content)
        for row in expected:  # the PDF groups thousands as the page does; none here
            assert " ".join(row[1:]) in text.replace("\n", " ")
        names = [invitation.person.full_name for invitation in table.missing]
        missing_sheet = [row[1] for row in workbook.worksheets[1].iter_rows(min_row=2, values_only=True)]
        assert missing_sheet == names
        assert all(name in page for name in names) and all(name in text for name in names)
        assert f"{table.missing_count}" in page and f"chưa nộp: {table.missing_count}" in text


def _expected(table):
    from hoinghi.learning_reports.statistics import table_rows

    return [cells for cells, _total in table_rows(table)]


def test_who_has_not_submitted_is_who_must_write_less_who_submitted(graded, small_tree, superuser):
    table = unit_statistics(actor=superuser, assignment=graded.assignment, unit=small_tree.national)
    missing = {invitation.person.given_name: invitation.has_draft for invitation in table.missing}
    assert missing == {"An": False, "Bình": False, "Chi": True, "Hà": False}
    assert table.own.required == 6 and table.own.submitted == 2 and table.own.marked == 1
    assert table.own.bands["excellent"] == 1 and table.missing_count == 4
    hanoi = unit_statistics(actor=superuser, assignment=graded.assignment, unit=small_tree.hanoi)
    assert sorted(i.person.given_name for i in hanoi.missing) == ["Bình", "Chi"]


@pytest.mark.parametrize(
    ("role", "granted", "asked", "status"),
    [
        (GrantRole.ORGANISER, "hanoi", "hanoi", 200),  # the same unit
        (GrantRole.ORGANISER, "national", "ba_dinh", 200),  # a descendant
        (GrantRole.VIEWER, "hanoi", "ba_dinh", 200),
        (GrantRole.ORGANISER, "ba_dinh", "hanoi", 404),  # an ancestor
        (GrantRole.ORGANISER, "hcm", "hanoi", 404),  # a sibling
        (GrantRole.VIEWER, "hcm", "ba_dinh", 404),
        (GrantRole.REVIEWER, "hanoi", "hanoi", 404),  # reviewers mark; they read no statistics
    ],
)
def test_statistics_and_their_files_are_read_only_within_the_actors_subtree(
    graded, small_tree, make_user, client, role, granted, asked, status
):
    client.force_login(make_user(role, getattr(small_tree, granted)))
    url = reverse("learning_reports:statistics", args=[graded.conference.pk])
    for export in ("", "xlsx", "pdf"):
        response = client.get(url, {"don-vi": getattr(small_tree, asked).pk, "xuat": export})
        assert response.status_code == status, export


def test_an_organiser_of_hanoi_sees_no_one_of_ho_chi_minh_among_those_who_have_not_submitted(
    graded, small_tree, make_user
):
    organiser = make_user(GrantRole.ORGANISER, small_tree.hanoi)
    table = unit_statistics(actor=organiser, assignment=graded.assignment)
    assert [row.unit for row in table.rows] == [small_tree.hanoi]
    assert {i.person.given_name for i in table.missing} == {"Bình", "Chi"}


# --- The figures, counted by the database, against a count by hand ---------------------------------


def _by_hand(assignment, where_paths, unit, rows):
    """Each row's figures and the number not submitted, counted in Python from every invitation
    and report: what the one grouped query must give."""
    from hoinghi.conferences.models import Invitation
    from hoinghi.learning_reports.selectors import required_invitations

    def inside(path):
        return any(path.startswith(p) for p in where_paths) and (unit is None or path.startswith(unit.path))

    required = set(required_invitations(assignment=assignment).values_list("pk", flat=True))
    paths = dict(
        Invitation.objects.filter(conference_id=assignment.conference_id).values_list(
            "pk", "person__unit__path"
        )
    )
    reports = {r.invitation_id: r for r in Report.objects.filter(assignment=assignment)}

    def figures(prefix):
        found = {"required": 0, "submitted": 0, "on_time": 0, "marked": 0, "released": 0, "bands": {}}
        for pk, path in paths.items():
            if not (inside(path) and path.startswith(prefix)):
                continue
            found["required"] += pk in required
            report = reports.get(pk)
            if report is None or report.state == "draft":
                continue
            found["submitted"] += 1
            found["on_time"] += not report.is_late
            if report.state in ("marked", "released"):
                found["marked"] += 1
                found["bands"][report.band] = found["bands"].get(report.band, 0) + 1
            found["released"] += report.state == "released"
        return found

    missing = sum(
        1
        for pk, path in paths.items()
        if inside(path) and pk in required and (pk not in reports or reports[pk].state == "draft")
    )
    return [figures(row.path) for row in rows], (figures(unit.path) if unit else None), missing


def _as_dict(figures):
    return {
        "required": figures.required,
        "submitted": figures.submitted,
        "on_time": figures.on_time,
        "marked": figures.marked,
        "released": figures.released,
        "bands": {band: n for band, n in figures.bands.items() if n},
    }


@pytest.mark.parametrize("who", ["all_invitees", "present", "present_or_watched"])
def test_every_figure_is_the_count_by_hand_whoever_must_write(graded, small_tree, make_user, who):
    """Whoever must write; a late report, a released one, a withdrawn invitee who had submitted
    (counted as submitted, not as required), someone who wrote without having to (in the
    present modes, Dũng); at the top, for the national unit, and for a province."""
    from hoinghi.conferences.models import Invitation

    assignment = graded.assignment
    assignment.who_must_write = who
    assignment.save()
    submit(graded, "Hà")
    Report.objects.filter(assignment=assignment, invitation=graded.invitations["Hà"]).update(is_late=True)
    Report.objects.filter(assignment=assignment, invitation=graded.invitations["Lan"]).update(
        state="released", released_at=graded.conference.starts_at
    )
    Invitation.objects.filter(pk=graded.invitations["Dũng"].pk).update(status="withdrawn")
    organiser = make_user(GrantRole.ORGANISER, small_tree.national)
    for unit in (None, small_tree.national, small_tree.hanoi, small_tree.hcm):
        table = unit_statistics(actor=organiser, assignment=assignment, unit=unit)
        units = [row.unit for row in table.rows]
        rows, own, missing = _by_hand(assignment, [small_tree.national.path], unit, units)
        assert [_as_dict(row) for row in table.rows] == rows
        assert (_as_dict(table.own) if table.own else None) == own
        assert table.missing_count == missing == len(list(table.missing))


def test_an_actor_with_two_grants_sees_a_row_per_subtree_each_counted_by_hand(graded, small_tree, make_user):
    organiser = make_user(GrantRole.ORGANISER, small_tree.ba_dinh)
    GrantFactory(user=organiser, role=GrantRole.ORGANISER, unit=small_tree.hcm)  # a subtree elsewhere
    table = unit_statistics(actor=organiser, assignment=graded.assignment)
    assert {row.unit for row in table.rows} == {small_tree.ba_dinh, small_tree.hcm}
    rows, _own, missing = _by_hand(
        graded.assignment, [small_tree.ba_dinh.path, small_tree.hcm.path], None, [r.unit for r in table.rows]
    )
    assert [_as_dict(row) for row in table.rows] == rows
    assert table.missing_count == missing == len(list(table.missing)) == 2  # Chi (a draft), Hà


def test_the_national_page_and_its_live_snapshot_cost_a_fixed_number_of_queries(
    graded, small_tree, make_user, client, django_assert_num_queries
):
    """The figures are one query whatever the number of rows and people. The page: the user and
    their grants, the conference, the assignment, the unit, its children, the figures, the first
    who have not submitted (the national unit has no breadcrumbs to load). The live snapshot:
    the assignment, the page's units, the figures."""
    from hoinghi.core.permissions import reach
    from hoinghi.learning_reports.live import StatisticsAudience, statistics_snapshot

    organiser = make_user(GrantRole.ORGANISER, small_tree.national)
    client.force_login(organiser)
    url = reverse("learning_reports:statistics", args=[graded.conference.pk])
    client.get(url, {"don-vi": small_tree.national.pk})
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, {"don-vi": small_tree.national.pk})
    assert response.status_code == 200
    # The session is a query on SQLite and none with Redis (the cache holds it): not the page's.
    assert len([query for query in queries if "django_session" not in query["sql"]]) == 8
    rows = (small_tree.hanoi.pk, small_tree.hcm.pk)
    where = reach(organiser, "learning_reports.view_reports")
    audience = StatisticsAudience(where, small_tree.national.pk, rows)
    with django_assert_num_queries(3):
        snapshot = statistics_snapshot(graded.conference, audience)
    assert snapshot["missing"] == 4 and [point["id"] for point in snapshot["points"]] == list(rows)
