"""`hoinghi reports-similarity DIR --reference FILE [--reference FILE...]`: the copied-text
detector the pages use, on a folder of plain-text reports (a labelled set, an export).

Every .txt under DIR (recursively; a reference lying there is not a report) is compared with the
others and with the references. One JSON line a file, sorted by path, on standard output:
``{"file": "a/b.txt", "flag": true, "source": "c.txt", "score": 0.83}`` — paths relative to DIR;
the source is the report or reference holding the largest share of the file (a reference named
by its path relative to DIR when it lies there, else by its file name), null when not flagged;
the score is that share (of the file's counted shingles found in the source).
"""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from hoinghi.learning_reports.similarity import Detector, verdicts


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as error:
        raise CommandError(
            f"Tệp {path} không phải văn bản UTF-8 (byte thứ {error.start}); hãy lưu lại dưới dạng UTF-8."
        ) from error
    except OSError as error:
        raise CommandError(f"Không đọc được tệp {path}: {error.strerror}.") from error


class Command(BaseCommand):
    help = (
        "So sánh mọi tệp .txt trong DIR với nhau và với các văn bản đối chiếu; in một dòng JSON cho mỗi tệp "
        '({"file", "flag", "source", "score"}).'
    )

    def add_arguments(self, parser):
        parser.add_argument("directory", metavar="DIR")
        parser.add_argument(
            "--reference",
            action="append",
            default=[],
            metavar="FILE",
            help="văn bản đối chiếu (nghị quyết, tài liệu); có thể ghi nhiều lần",
        )
        parser.add_argument(
            "--boilerplate",
            action="append",
            default=[],
            metavar="FILE",
            help="phần đề bài (tiêu đề, yêu cầu) không tính là trùng",
        )

    def handle(self, *args, directory: str, reference: list[str], boilerplate: list[str], **options):
        root = Path(directory)
        if not root.is_dir():
            raise CommandError(f"Không có thư mục {directory}.")
        root = root.resolve()
        references = {}
        for name in reference:
            path = Path(name).resolve()
            if not path.is_file():
                raise CommandError(f"Không có tệp văn bản đối chiếu {name}.")
            label = path.relative_to(root).as_posix() if path.is_relative_to(root) else path.name
            references[label] = (path, _read(path))
        reference_paths = {path for path, _ in references.values()}
        files = sorted(
            (
                path
                for path in root.rglob("*.txt")
                if path.is_file() and path.resolve() not in reference_paths
            ),
            key=lambda path: path.relative_to(root).as_posix(),
        )
        detector = Detector(
            references={label: text for label, (_, text) in references.items()},
            boilerplate=[_read(Path(name)) for name in boilerplate],
        )
        detector.add(_read(path) for path in files)
        names = [path.relative_to(root).as_posix() for path in files]
        for name, (flag, source, score) in zip(names, verdicts(detector.run(), len(files)), strict=True):
            if isinstance(source, int):
                source = names[source]
            line = {"file": name, "flag": flag, "source": source, "score": round(float(score), 4)}
            self.stdout.write(json.dumps(line, ensure_ascii=False))
