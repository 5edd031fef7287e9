"""The words of a report: counting syllables, and reading the text out of an uploaded document.

A Vietnamese syllable is written as one word: syllables are the whitespace-separated words of the
text ("Nghị quyết Đại hội" is four). Punctuation standing alone ("–", "…") is not one.

Uploads are read with python-docx (.docx: paragraphs, then tables) and pypdf (.pdf: each page's
text layer). The file's first bytes must be what its name says; a damaged, encrypted or empty
document is refused with a message saying what to do, never stored half-read.
"""

import io
import re
import unicodedata
import zipfile
from pathlib import PurePath

from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from hoinghi.learning_reports.errors import UploadError, UploadErrorCode

UPLOAD_MAX_BYTES = 10 * 1024 * 1024  # a report of a few thousand syllables is a few hundred KB
PDF_MAX_PAGES = 200
SIGNATURES = {".docx": b"PK\x03\x04", ".pdf": b"%PDF-"}
_WORD = re.compile(r"\w")
NUMBERING = re.compile(r"^\s*(?:[IVX]+|\d+|[a-z])[.)]\s*", re.IGNORECASE)  # "I.", "2)", "a."


def syllable_count(text: str) -> int:
    """The number of syllables (whitespace-separated words holding a letter or digit)."""
    return sum(1 for word in text.split() if _WORD.search(word))


def clean_text(text: str) -> str:
    """NFC, no control characters but line breaks and tabs, no trailing spaces, at most one empty
    line in a row."""
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    text = "".join(ch for ch in text if ch in "\n\t" or unicodedata.category(ch)[0] != "C")
    lines = [line.rstrip() for line in text.split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def _kind(file_name: str, size: int, head: bytes) -> str:
    extension = PurePath(file_name).suffix.lower()
    if extension not in SIGNATURES:
        raise UploadError(
            _("Không nhận tệp “%(name)s”: chỉ nhận tệp Word (.docx) hoặc PDF (.pdf)."),
            code=UploadErrorCode.FILE_TYPE,
            params={"name": file_name},
        )
    if size > UPLOAD_MAX_BYTES:
        raise UploadError(
            _("Tệp “%(name)s” quá lớn (%(size)s); giới hạn là %(limit)s."),
            code=UploadErrorCode.TOO_LARGE,
            params={
                "name": file_name,
                "size": filesizeformat(size),
                "limit": filesizeformat(UPLOAD_MAX_BYTES),
            },
        )
    if size == 0:
        raise UploadError(
            _("Tệp “%(name)s” rỗng (0 byte); hãy chọn lại tệp bài thu hoạch."),
            code=UploadErrorCode.EMPTY,
            params={"name": file_name},
        )
    if not head.startswith(SIGNATURES[extension]):
        raise UploadError(
            _(
                "Tệp “%(name)s” không phải là tệp %(kind)s thật (nội dung không khớp với phần mở rộng). "
                "Tệp .doc cũ cần được lưu lại thành .docx trước khi tải lên."
            ),
            code=UploadErrorCode.FILE_TYPE,
            params={"name": file_name, "kind": extension.lstrip(".").upper()},
        )
    return extension.lstrip(".")


def _broken(file_name: str) -> UploadError:
    return UploadError(
        _(
            "Không đọc được tệp “%(name)s”: tệp bị hỏng hoặc không đúng định dạng. Hãy mở tệp trên máy, "
            "lưu lại rồi tải lên lần nữa, hoặc chép nội dung vào ô soạn thảo."
        ),
        code=UploadErrorCode.BROKEN,
        params={"name": file_name},
    )


def _docx_text(data: bytes, file_name: str) -> str:
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = docx.Document(io.BytesIO(data))
        parts = [paragraph.text for paragraph in document.paragraphs]
        for table in document.tables:
            for row in table.rows:
                parts.append("\t".join(cell.text for cell in row.cells))
    except (zipfile.BadZipFile, PackageNotFoundError, KeyError, ValueError, AttributeError) as error:
        raise _broken(file_name) from error
    except Exception as error:  # lxml's syntax errors and whatever else a damaged part raises
        raise _broken(file_name) from error
    return "\n".join(parts)


def _pdf_text(data: bytes, file_name: str) -> str:
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise UploadError(
                _("Tệp “%(name)s” có mật khẩu; hãy lưu bản không đặt mật khẩu rồi tải lên."),
                code=UploadErrorCode.BROKEN,
                params={"name": file_name},
            )
        if len(reader.pages) > PDF_MAX_PAGES:
            raise UploadError(
                _("Tệp “%(name)s” có %(pages)s trang; bài thu hoạch chỉ nhận tối đa %(limit)s trang."),
                code=UploadErrorCode.TOO_LARGE,
                params={"name": file_name, "pages": len(reader.pages), "limit": PDF_MAX_PAGES},
            )
        return "\n".join(page.extract_text() or "" for page in reader.pages)
    except UploadError:
        raise
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, IndexError) as error:
        raise _broken(file_name) from error
    except Exception as error:  # a damaged stream can fail deep inside the decoder
        raise _broken(file_name) from error


def document_text(*, file_name: str, data: bytes, size: int | None = None) -> tuple[str, str]:
    """(kind, text) of an uploaded report: kind "docx" or "pdf", the text cleaned (`clean_text`).

    Raises `UploadError`: `file_type` (another extension, or content that is not what the name
    says), `too_large`, `broken` (unreadable, encrypted), `empty` (no text at all: a scanned
    PDF holds only pictures)."""
    kind = _kind(file_name, len(data) if size is None else max(size, len(data)), data[:8])
    text = clean_text(_docx_text(data, file_name) if kind == "docx" else _pdf_text(data, file_name))
    if not syllable_count(text):
        raise UploadError(
            _(
                "Tệp “%(name)s” không có chữ nào đọc được (có thể là bản chụp hoặc bản quét). "
                "Hãy tải lên tệp Word hoặc PDF có chữ, hoặc gõ bài vào ô soạn thảo."
            ),
            code=UploadErrorCode.EMPTY,
            params={"name": file_name},
        )
    return kind, text


def split_into_sections(text: str, sections: list[dict]) -> dict[str, str]:
    """The text cut where a line starts with a section's title (numbered or not, any case); what
    comes before the first title found, or everything when none is, goes to the first section."""
    keys = [section["key"] for section in sections]
    result = dict.fromkeys(keys, "")
    titles = {_folded(section["title"]): section["key"] for section in sections if section.get("title")}
    current = keys[0]
    lines: dict[str, list[str]] = {key: [] for key in keys}
    for line in text.split("\n"):
        heading = _folded(NUMBERING.sub("", line))
        key = next(
            (
                k
                for title, k in titles.items()
                if heading.startswith(title) and len(heading) <= len(title) + 30
            ),
            None,
        )
        if key is not None:
            current = key
            continue
        lines[current].append(line)
    for key in keys:
        result[key] = "\n".join(lines[key]).strip()
    return result


def _folded(text: str) -> str:
    return " ".join(re.sub(r"[^\w\s]", " ", text.casefold()).split())


def word_diff(old: str, new: str) -> str:
    """What changed from `old` to `new`, word by word, as HTML: removed words in <del>, added
    ones in <ins>, everything escaped (the texts are the writer's). Words are split on
    whitespace and joined with one space; line breaks become <br>."""
    from difflib import SequenceMatcher

    from django.utils.html import escape

    def tokens(text: str) -> list[str]:
        return [word for line in text.splitlines() for word in [*line.split(), "\n"]][:-1] if text else []

    def render(words: list[str]) -> str:
        return " ".join(escape(word) for word in words).replace(" \n ", "<br>").replace("\n", "<br>")

    before, after = tokens(old), tokens(new)
    parts = []
    for op, a1, a2, b1, b2 in SequenceMatcher(None, before, after, autojunk=False).get_opcodes():
        if op == "equal":
            parts.append(render(before[a1:a2]))
            continue
        if a2 > a1:
            parts.append(f"<del>{render(before[a1:a2])}</del>")
        if b2 > b1:
            parts.append(f"<ins>{render(after[b1:b2])}</ins>")
    return " ".join(part for part in parts if part)
