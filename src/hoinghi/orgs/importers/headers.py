"""Finding the table in a sheet: its header row (or two), its columns, and where its data ends.

Offices put a title block above the table ("TỔNG LIÊN ĐOÀN LAO ĐỘNG VIỆT NAM", "DANH SÁCH
CÁN BỘ..."), a two-row header ("Năm sinh" over "Nam" and "Nữ"), a numbering row under it
("(1) (2) (3)") and signatures below it ("Người lập biểu", "Hà Nội, ngày ... tháng ...
năm ..."). The header is the row among the first `HEADER_SCAN` that names the most known
columns, joined with the row under it when that names more; the numbering row is skipped and
the table ends at the first signature line.

A heading the importer does not know can be placed by the clerk (the mapping step of the
preview): `chosen` gives this file's choices by column, `remembered` those the clerk made
before in the same part of the tree, by heading.
"""

import re
from dataclasses import dataclass, field

from hoinghi.orgs.importers.files import column_letter, is_blank
from hoinghi.orgs.importers.mapping import IGNORED_HEADINGS, REQUIRED, _text, heading_key, headings_for
from hoinghi.orgs.models import ImportKind
from hoinghi.orgs.vietnamese import fold

HEADER_SCAN = 30
MIN_KNOWN_COLUMNS = 2
_NUMBERING = re.compile(r"^\(?\d{1,3}\)?$")
_SIGNATURE = re.compile(
    r"^(nguoi lap|thu truong|ky ten|ky, ghi ro|xac nhan|t/?m\.? )"
    r"|ngay\s*\.*\s*\d*\s*\.*\s*thang\s*\.*\s*\d*\s*\.*\s*nam"
)
_TOTAL = frozenset({"tong cong", "cong", "tong so", "tong"})


@dataclass
class Header:
    """Where a sheet's table is and what each of its columns holds."""

    row: int  # the sheet's row number of the (first) header row
    position: int  # its index among the sheet's non-blank rows
    height: int  # 1, or 2 for a two-row header
    cells: list[dict]  # every heading: {"index", "letter", "text", "key"} ("" when not placed)
    mapping: dict[str, int] = field(default_factory=dict)  # column key -> index
    duplicates: list[str] = field(default_factory=list)  # headings of a column found twice

    @property
    def score(self) -> int:
        return len(self.mapping)

    @property
    def labels(self) -> dict[str, str]:
        """{column key: the file's own heading, with its letter}, for the messages."""
        by_index = {cell["index"]: cell for cell in self.cells}
        return {
            key: f"{by_index[index]['text'] or key} ({by_index[index]['letter']})"
            for key, index in self.mapping.items()
        }

    @property
    def ignored(self) -> list[str]:
        return [
            cell["text"]
            for cell in self.cells
            if not cell["key"] and heading_key(cell["text"]) not in IGNORED_HEADINGS
        ]

    def missing(self, kind: str) -> list[tuple[str, ...]]:
        return [keys for keys in REQUIRED[ImportKind(kind)] if not any(key in self.mapping for key in keys)]


def _labels(upper: list, lower: list | None) -> list[str]:
    """The heading of each column: the lower row's where it has one, else the upper row's."""
    width = max(len(upper), len(lower or ()))
    labels = []
    for index in range(width):
        top = _text(upper[index]) if index < len(upper) else ""
        bottom = _text(lower[index]) if lower is not None and index < len(lower) else ""
        labels.append(bottom or top)
    return labels


def _header(
    kind: str,
    labels: list[str],
    *,
    row: int,
    position: int,
    height: int,
    known: dict[str, str],
    remembered: dict[str, str],
    chosen: dict[str, str],
) -> Header:
    cells = []
    mapping: dict[str, int] = {}
    duplicates: list[str] = []
    for index, text in enumerate(labels):
        heading = heading_key(text)
        key = chosen.get(str(index))
        if key is None:
            key = (remembered.get(heading) or known.get(heading) or "") if heading else ""
        if key and key in mapping:
            duplicates.append(text)
            key = ""
        if key:
            mapping[key] = index
        cells.append({"index": index, "letter": column_letter(index), "text": text, "key": key})
    return Header(row, position, height, cells, mapping, duplicates)


def find_header(
    kind: str,
    rows: list[tuple[int, list]],
    *,
    remembered: dict[str, str] | None = None,
    chosen: dict[str, str] | None = None,
    chosen_row: int | None = None,
) -> Header | None:
    """The header of a sheet's table, or None when no row names `MIN_KNOWN_COLUMNS` columns.

    With `chosen_row` (the clerk's choice), that row is the header whatever it names.
    """
    known = headings_for(kind)
    remembered = remembered or {}
    chosen = chosen or {}
    candidates: list[Header] = []
    for position, (number, cells) in enumerate(rows[:HEADER_SCAN]):
        if chosen_row is not None and number != chosen_row:
            continue
        context = {"known": known, "remembered": remembered, "chosen": chosen}
        candidates.append(
            _header(kind, _labels(cells, None), row=number, position=position, height=1, **context)
        )
        if position + 1 < len(rows) and rows[position + 1][0] == number + 1:
            lower = rows[position + 1][1]
            candidates.append(
                _header(kind, _labels(cells, lower), row=number, position=position, height=2, **context)
            )
    if not candidates:
        return None
    # The most known columns; on a tie one row rather than two (a title over the real header
    # adds nothing), then the first.
    best = max(candidates, key=lambda header: (header.score, -header.height, -header.position))
    if chosen_row is None and best.score < MIN_KNOWN_COLUMNS:
        return None
    return best


def guess_header_row(rows: list[tuple[int, list]]) -> tuple[int, list[dict]] | None:
    """For a sheet without a known header: the first row of several text cells, to be mapped."""
    for number, cells in rows[:HEADER_SCAN]:
        texts = [_text(cell) for cell in cells]
        if sum(1 for text in texts if text and not _is_number(text)) >= MIN_KNOWN_COLUMNS:
            return number, [
                {"index": index, "letter": column_letter(index), "text": text, "key": ""}
                for index, text in enumerate(texts)
            ]
    return None


def _is_number(text: str) -> bool:
    return text.replace(".", "").replace(",", "").isdigit()


def data_rows(header: Header, rows: list[tuple[int, list]]) -> list[tuple[int, dict]]:
    """The rows of the table under `header`, as {column key: raw cell}, until a signature line."""
    body = rows[header.position + header.height :]
    if body and _is_numbering(body[0][1]):
        body = body[1:]
    indexes = list(header.mapping.items())
    data: list[tuple[int, dict]] = []
    for number, cells in body:
        texts = [fold(_text(cell)) for cell in cells if not is_blank(cell)]
        if texts and _SIGNATURE.search(texts[0]):
            break  # the signatures and the place and date of an official letter end its table
        if len(texts) <= 2 and any(text in _TOTAL for text in texts):
            continue  # a "Tổng cộng" line
        width = len(cells)
        values = {key: cells[index] if index < width else None for key, index in indexes}
        if all(is_blank(value) for value in values.values()):
            continue  # text only in columns that are not imported
        data.append((number, values))
    return data


def _is_numbering(cells: list) -> bool:
    """A row such as "(1) (2) (3)" or "1 2 3" under the header of an official form."""
    values = [_text(cell) for cell in cells if not is_blank(cell)]
    if len(values) < MIN_KNOWN_COLUMNS or not all(_NUMBERING.match(value) for value in values):
        return False
    numbers = [int(value.strip("()")) for value in values]
    return numbers == list(range(numbers[0], numbers[0] + len(numbers)))
