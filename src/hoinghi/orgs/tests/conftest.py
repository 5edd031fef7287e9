"""Fixtures for the import and export tests: files built in memory, uploads through the real URLs."""

import csv
import io
from dataclasses import dataclass

import openpyxl
import pytest
from django.urls import reverse

from hoinghi.core.permissions import GrantRole
from hoinghi.orgs.importers import PEOPLE_COLUMNS, UNIT_COLUMNS
from hoinghi.orgs.models import ImportJob
from hoinghi.orgs.tests.factories import PositionRoleFactory

UNIT_HEADER = [column.header for column in UNIT_COLUMNS]
PEOPLE_HEADER = [column.header for column in PEOPLE_COLUMNS]


def xlsx_bytes(header: list, rows: list[list]) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def csv_bytes(header: list, rows: list[list], *, delimiter: str = ",", bom: bool = False) -> bytes:
    output = io.StringIO()
    writer = csv.writer(output, delimiter=delimiter)
    writer.writerow(header)
    writer.writerows(rows)
    return ("\ufeff" if bom else "").encode() + output.getvalue().encode()


@pytest.fixture
def roles(db):
    return {
        "chu-tich": PositionRoleFactory(code="chu-tich", name="Chủ tịch", sort_order=1),
        "pho-chu-tich": PositionRoleFactory(code="pho-chu-tich", name="Phó Chủ tịch", sort_order=2),
        "uy-vien-bch": PositionRoleFactory(code="uy-vien-bch", name="Ủy viên Ban Chấp hành", sort_order=10),
    }


@pytest.fixture
def hanoi_organiser(small_tree, make_user, client):
    user = make_user(GrantRole.ORGANISER, small_tree.hanoi)
    client.force_login(user)
    return user


@dataclass
class Upload:
    response: object
    job: ImportJob | None

    @property
    def file_error_codes(self) -> list[str]:
        form = self.response.context["form"]
        return [error.code for error in form.errors.as_data().get("file", [])]


@pytest.fixture
def upload(client, django_capture_on_commit_callbacks):
    """upload(kind, content, unit, name=...) -> Upload: posts the import form; the check runs on commit."""

    def post(kind: str, content: bytes, unit, name: str = "") -> Upload:
        name = name or f"{kind}.xlsx"
        before = set(ImportJob.objects.values_list("pk", flat=True))
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                reverse("orgs:import_start"),
                {"kind": kind, "unit": unit.pk, "file": _named(content, name)},
            )
        created = ImportJob.objects.exclude(pk__in=before).first()
        return Upload(response, created)

    return post


@pytest.fixture
def apply(client, django_capture_on_commit_callbacks):
    """apply(job) -> the job after the apply view and its task ran."""

    def post(job: ImportJob):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(reverse("orgs:import_apply", args=[job.pk]))
        assert response.status_code == 302
        job.refresh_from_db()
        return job

    return post


def _named(content: bytes, name: str):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content)
