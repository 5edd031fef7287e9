"""`hoinghi reports-similarity DIR --reference FILE`: JSON lines with paths relative to DIR."""

import io
import json
import unicodedata

import pytest
from django.core.management import CommandError, call_command

COPIED = (
    "công đoàn cơ sở cần chăm lo đời sống việc làm thu nhập của đoàn viên và người lao động tại "
    "doanh nghiệp ngoài nhà nước, hoà giải tranh chấp và xây dựng quan hệ lao động hài hòa ổn định"
)
RESOLUTION = (
    "Đổi mới tổ chức và hoạt động công đoàn; tập trung đại diện, chăm lo, bảo vệ quyền, lợi ích hợp pháp, "
    "chính đáng của đoàn viên, người lao động; phát triển đoàn viên, xây dựng tổ chức công đoàn vững mạnh"
)


def run(*args) -> list[dict]:
    out = io.StringIO()
    call_command("reports_similarity", *args, stdout=out)
    return [json.loads(line) for line in out.getvalue().splitlines()]


def test_every_txt_gets_one_line_with_relative_paths_and_the_references_are_named(tmp_path):
    (tmp_path / "tinh" / "huyen").mkdir(parents=True)
    (tmp_path / "a.txt").write_text(COPIED, encoding="utf-8")
    (tmp_path / "tinh" / "huyen" / "b.txt").write_text(
        unicodedata.normalize("NFD", COPIED.upper()), encoding="utf-8"
    )
    (tmp_path / "tinh" / "c.txt").write_text("Theo tôi, " + RESOLUTION + ".", encoding="utf-8")
    (tmp_path / "tinh" / "d.txt").write_text(
        "Nghị quyết nêu rõ: “" + RESOLUTION + "”. Tôi sẽ kết nạp đoàn viên ở khu nhà trọ mỗi tối.",
        encoding="utf-8",
    )
    (tmp_path / "ghi-chu.md").write_text(COPIED, encoding="utf-8")  # not a .txt: not read
    outside = tmp_path.parent / f"{tmp_path.name}-nghi-quyet.txt"
    outside.write_text(RESOLUTION, encoding="utf-8")
    inside = tmp_path / "tai-lieu" / "nq.txt"
    inside.parent.mkdir()
    inside.write_text(RESOLUTION, encoding="utf-8")

    lines = run(str(tmp_path), "--reference", str(outside))
    assert [line["file"] for line in lines] == [
        "a.txt", "tai-lieu/nq.txt", "tinh/c.txt", "tinh/d.txt", "tinh/huyen/b.txt"
    ]  # fmt: skip
    by_file = {line["file"]: line for line in lines}
    assert by_file["a.txt"]["flag"] and by_file["a.txt"]["source"] == "tinh/huyen/b.txt"
    assert by_file["tinh/c.txt"]["source"] == outside.name and by_file["tinh/c.txt"]["score"] > 0.8
    assert by_file["tinh/d.txt"] == {"file": "tinh/d.txt", "flag": False, "source": None, "score": 0.0}

    lines = run(str(tmp_path), "--reference", str(inside))  # inside DIR: named by its relative path
    by_file = {line["file"]: line for line in lines}
    assert "tai-lieu/nq.txt" not in by_file and by_file["tinh/c.txt"]["source"] == "tai-lieu/nq.txt"


def test_a_missing_folder_or_reference_and_a_file_not_in_utf8_are_refused(tmp_path):
    with pytest.raises(CommandError, match="thư mục"):
        run(str(tmp_path / "khong-co"))
    with pytest.raises(CommandError, match="đối chiếu"):
        run(str(tmp_path), "--reference", str(tmp_path / "khong-co.txt"))
    (tmp_path / "x.txt").write_bytes("công đoàn".encode("cp1258"))
    with pytest.raises(CommandError, match="UTF-8"):
        run(str(tmp_path))
