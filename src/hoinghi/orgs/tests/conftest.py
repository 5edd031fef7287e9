"""Fixtures for the import and export tests: files built in memory, uploads through the real URLs."""

import csv
import io
import struct
import zipfile
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


def workbook_bytes(*sheets: tuple[str, list[list]], hidden: tuple[str, ...] = (), active: int = 0) -> bytes:
    """An .xlsx of several sheets, each (title, rows written from A1; None leaves a cell blank)."""
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for title, rows in sheets:
        sheet = workbook.create_sheet(title)
        for number, row in enumerate(rows, start=1):
            for column, value in enumerate(row, start=1):
                if value is not None:
                    sheet.cell(number, column, value)
        if title in hidden:
            sheet.sheet_state = "hidden"
    workbook.active = active
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def with_blank_rows(content: bytes, count: int) -> bytes:
    """The .xlsx `content` with `count` rows below its data holding only an empty text cell,
    as a sheet formatted far down leaves them (written as Excel writes them, not by openpyxl)."""
    source = zipfile.ZipFile(io.BytesIO(content))
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                head, _end, tail = data.decode().partition("</sheetData>")
                last = head.count("<row ")
                with archive.open(info.filename, "w", force_zip64=True) as member:
                    member.write(head.encode())
                    for start in range(last + 1, last + count + 1, 50_000):
                        rows = range(start, min(start + 50_000, last + count + 1))
                        member.write(
                            "".join(
                                f'<row r="{r}"><c r="A{r}" t="inlineStr"><is><t></t></is></c></row>'
                                for r in rows
                            ).encode()
                        )
                    member.write(("</sheetData>" + tail).encode())
            else:
                archive.writestr(info, data)
    return output.getvalue()


def ods_bytes(rows: list[list]) -> bytes:
    """An OpenDocument spreadsheet of one sheet, as LibreOffice saves the essentials of one."""

    def cell(value) -> str:
        if value is None or value == "":
            return "<table:table-cell/>"
        if isinstance(value, int | float):
            kind = f'office:value-type="float" office:value="{value}"'
        else:
            kind = 'office:value-type="string"'
        return f"<table:table-cell {kind}><text:p>{value}</text:p></table:table-cell>"

    body = "".join(
        "<table:table-row>" + "".join(cell(value) for value in row) + "</table:table-row>" for row in rows
    )
    content = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
        f'<office:body><office:spreadsheet><table:table table:name="Danh sách">{body}</table:table>'
        "</office:spreadsheet></office:body></office:document-content>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" '
        'manifest:version="1.2"><manifest:file-entry manifest:full-path="/" '
        'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        "</manifest:manifest>"
    )
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet", zipfile.ZIP_STORED)
        archive.writestr("content.xml", content, zipfile.ZIP_DEFLATED)
        archive.writestr("META-INF/manifest.xml", manifest, zipfile.ZIP_DEFLATED)
    return output.getvalue()


def xls_bytes(header: list, rows: list[list]) -> bytes:
    """An Excel 97–2003 workbook (BIFF8), written by xlwt."""
    import xlwt

    workbook = xlwt.Workbook(encoding="utf-8")
    sheet = workbook.add_sheet("Danh sach")
    for number, row in enumerate([header, *rows]):
        for column, value in enumerate(row):
            if value is not None and value != "":
                sheet.write(number, column, value)
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def encrypted_workbook_bytes() -> bytes:
    """The container Excel saves a password-protected workbook in: an OLE compound file whose
    streams are "EncryptionInfo" and "EncryptedPackage" (the encrypted .xlsx), per [MS-OFFCRYPTO].
    The streams' contents do not matter for the test: nothing can open them without the password."""
    sector = 512
    streams = [("EncryptionInfo", b"\x04\x00\x04\x00" + bytes(4096)), ("EncryptedPackage", bytes(8192))]
    data = b""
    starts = []
    for _name, payload in streams:
        starts.append(len(data) // sector)
        data += payload + bytes(-len(payload) % sector)
    data_sectors = len(data) // sector
    directory_sector = data_sectors
    fat_sector = data_sectors + 1
    fat = []
    for (_name, payload), start in zip(streams, starts, strict=True):
        count = len(payload) // sector
        fat += [start + i + 1 for i in range(count - 1)] + [0xFFFFFFFE]
    fat += [0xFFFFFFFE, 0xFFFFFFFD]  # the directory's one sector, then the FAT's own sector
    fat += [0xFFFFFFFF] * (128 - len(fat))

    def entry(
        name: str, kind: int, start: int, size: int, child: int = 0xFFFFFFFF, right: int = 0xFFFFFFFF
    ) -> bytes:
        encoded = (name + "\x00").encode("utf-16-le")
        return (
            encoded.ljust(64, b"\x00")
            + struct.pack("<HBB", len(encoded), kind, 1)
            + struct.pack("<III", 0xFFFFFFFF, right, child)
            + bytes(16 + 4 + 16)
            + struct.pack("<IQ", start, size)
        )

    directory = (
        entry("Root Entry", 5, 0xFFFFFFFE, 0, child=1)
        + entry(streams[0][0], 2, starts[0], len(streams[0][1]), right=2)
        + entry(streams[1][0], 2, starts[1], len(streams[1][1]))
        + bytes(128)
    )
    header = (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
        + bytes(16)
        + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6)
        + bytes(6)
        + struct.pack("<IIIIIIIII", 0, 1, directory_sector, 0, 4096, 0xFFFFFFFE, 0, 0xFFFFFFFE, 0)
        + struct.pack("<I", fat_sector)
        + struct.pack("<I", 0xFFFFFFFF) * 108
    )
    return header + data + directory + struct.pack("<128I", *fat)


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


@pytest.fixture
def choose(client, django_capture_on_commit_callbacks):
    """choose(job, data) -> the job after the clerk's choices were posted and its check ran again."""

    def post(job: ImportJob, data: dict):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(reverse("orgs:import_choose", args=[job.pk]), data)
        assert response.status_code == 302
        job.refresh_from_db()
        return job

    return post


def _named(content: bytes, name: str):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content)
