"""The conference's materials: checked uploads and deletion."""

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from hoinghi.conferences.errors import ConferenceError, ConferenceErrorCode
from hoinghi.conferences.models import (
    Conference,
    ProgrammeItem,
)
from hoinghi.conferences.services._common import _PROGRAMME_OPEN, _require_part_of, _require_stage, _validate
from hoinghi.core.models import audit
from hoinghi.core.permissions import require

# --- Materials -----------------------------------------------------------------------------------

# The first bytes each kind of file starts with. Office Open XML files are zip archives; the old
# .doc is an OLE2 compound file; MP4 names its box type at offset 4.
_SIGNATURES: dict[str, tuple[tuple[int, bytes], ...]] = {
    ".pdf": ((0, b"%PDF-"),),
    ".docx": ((0, b"PK\x03\x04"),),
    ".pptx": ((0, b"PK\x03\x04"),),
    ".xlsx": ((0, b"PK\x03\x04"),),
    ".doc": ((0, b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"),),
    ".mp4": ((4, b"ftyp"),),
    ".png": ((0, b"\x89PNG\r\n\x1a\n"),),
    ".jpg": ((0, b"\xff\xd8\xff"),),
    ".jpeg": ((0, b"\xff\xd8\xff"),),
}


def material_check(*, file_name: str, size: int, head: bytes) -> str:
    """The content type of an upload named `file_name`, `size` bytes long, starting with `head`.

    Raises `ConferenceError` `material_type` when the extension is not allowed
    (settings.HOINGHI_MATERIAL_TYPES) or the content is not what the extension says, and
    `material_too_large` over settings.HOINGHI_MATERIAL_MAX_BYTES.
    """
    from pathlib import PurePath

    from django.template.defaultfilters import filesizeformat

    extension = PurePath(file_name).suffix.lower()
    types = settings.HOINGHI_MATERIAL_TYPES
    if extension not in types:
        raise ConferenceError(
            _("Không nhận tệp “%(name)s”: chỉ nhận các loại tệp %(allowed)s."),
            code=ConferenceErrorCode.MATERIAL_TYPE,
            params={"name": file_name, "allowed": ", ".join(sorted(types))},
        )
    if size > settings.HOINGHI_MATERIAL_MAX_BYTES:
        raise ConferenceError(
            _("Tệp “%(name)s” quá lớn (%(size)s); giới hạn là %(limit)s."),
            code=ConferenceErrorCode.MATERIAL_TOO_LARGE,
            params={
                "name": file_name,
                "size": filesizeformat(size),
                "limit": filesizeformat(settings.HOINGHI_MATERIAL_MAX_BYTES),
            },
        )
    signatures = _SIGNATURES.get(extension, ())
    if signatures and not any(head[offset : offset + len(magic)] == magic for offset, magic in signatures):
        raise ConferenceError(
            _(
                "Tệp “%(name)s” không phải là tệp %(kind)s thật (nội dung không khớp với phần mở rộng); "
                "hãy lưu lại đúng định dạng rồi tải lên."
            ),
            code=ConferenceErrorCode.MATERIAL_TYPE,
            params={"name": file_name, "kind": extension.lstrip(".").upper()},
        )
    return types[extension]


@transaction.atomic
def material_upload(*, actor, conference: Conference, title: str, file, item: ProgrammeItem | None = None):
    """Store a document for the conference (or one programme item of it) under MEDIA_ROOT.

    `file` is an uploaded file (Django `File`). Its type and size are checked before anything is
    written: a refused upload leaves no file and no row. Raises `ConferenceError` (`material_type`,
    `material_too_large`, `invalid`, `wrong_conference` for an item of another conference).
    """
    from hoinghi.conferences.models import Material

    require(actor, "conferences.change", conference)
    _require_stage(conference, _PROGRAMME_OPEN, _("thêm tài liệu"))
    _require_part_of(conference, item)
    file.seek(0)
    head = file.read(16)
    file.seek(0)
    content_type = material_check(file_name=file.name, size=file.size, head=head)
    material = Material(
        conference=conference,
        item=item,
        title=title.strip() or file.name,
        content_type=content_type,
        size=file.size,
        uploaded_by=actor if getattr(actor, "pk", None) else None,
    )
    _validate(material, exclude=["file"])
    material.file.save(file.name, file, save=False)
    # Should the row fail to save, the file just written must not stay behind.
    stored = material.file.name
    storage = material.file.storage
    try:
        material.save()
    except Exception:
        storage.delete(stored)
        raise
    audit(
        actor=actor,
        type="conferences.material.uploaded",
        obj=material,
        unit_path=conference.organising_unit.path,
        size=material.size,
        content_type=content_type,
    )
    return material


@transaction.atomic
def material_delete(*, actor, material) -> None:
    """Remove a material and, once the deletion is committed, its file."""
    conference = material.conference
    require(actor, "conferences.change", conference)
    name, storage = material.file.name, material.file.storage
    audit(
        actor=actor,
        type="conferences.material.deleted",
        obj=material,
        unit_path=conference.organising_unit.path,
    )
    material.delete()
    transaction.on_commit(lambda: storage.delete(name))
