"""`hoinghi import-people` / `import-units`: plan → preview → apply in a terminal (issue 16, item 10)."""

import io

import pytest
from django.core.management import CommandError, call_command

from hoinghi.core.models import AuditEntry
from hoinghi.core.permissions import GrantRole
from hoinghi.orgs.models import ImportJob, ImportStatus, Person, Unit
from hoinghi.orgs.tests.conftest import PEOPLE_HEADER, UNIT_HEADER, xlsx_bytes

PEOPLE = [
    ["CB001", "Nguyễn", "Văn", "An", "Nam", "05/03/1975", "", "", "HN", "chu-tich", "x"],
    ["CB002", "Trần", "Thị", "Bình", "Nữ", "", "", "", "HN-BD", "uy-vien-bch", ""],
]


@pytest.fixture
def admin_user(small_tree, make_user):
    user = make_user(GrantRole.ORGANISER, small_tree.hanoi)
    user.username = "quantri"
    user.save()
    return user


def _run(command: str, path, *args, stdin: str = "") -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command(command, str(path), "--unit", "HN", "--user", "quantri", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_people_are_previewed_then_applied_with_yes(tmp_path, small_tree, roles, admin_user):
    path = tmp_path / "can-bo.xlsx"
    path.write_bytes(xlsx_bytes(PEOPLE_HEADER, PEOPLE))
    out, _err = _run("import_people", path, "--yes")
    assert "2 dòng: 2 thêm" in out and "Đã áp dụng" in out
    assert set(Person.objects.values_list("code", flat=True)) == {"CB001", "CB002"}
    assert AuditEntry.objects.filter(type="orgs.import.applied", actor=admin_user).exists()


def test_answering_no_writes_nothing(tmp_path, small_tree, roles, admin_user, monkeypatch):
    path = tmp_path / "can-bo.xlsx"
    path.write_bytes(xlsx_bytes(PEOPLE_HEADER, PEOPLE))
    monkeypatch.setattr("builtins.input", lambda prompt: "k")
    out, _err = _run("import_people", path)
    assert "Không áp dụng" in out
    assert not Person.objects.exists()
    assert ImportJob.objects.get().status == ImportStatus.PREVIEWED


def test_errors_are_printed_with_row_and_column_and_nothing_is_written(
    tmp_path, small_tree, roles, admin_user
):
    path = tmp_path / "don-vi.xlsx"
    path.write_bytes(xlsx_bytes(UNIT_HEADER, [["HN-X1", "", "", "HN", "grassroots", "", 1, "", ""]]))
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command(
            "import_units",
            str(path),
            "--unit",
            "HN",
            "--user",
            "quantri",
            "--yes",
            stdout=io.StringIO(),
            stderr=err,
        )
    assert "dòng 2, cột Tên đơn vị" in err.getvalue()
    assert not Unit.objects.filter(code="HN-X1").exists()
