"""The base model and the audit trail every service writes to."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    updated_at = models.DateTimeField(_("sửa lúc"), auto_now=True)

    class Meta:
        abstract = True


class AuditEntry(models.Model):
    """One row per change a service made: who, what, where in the tree, and the details.

    `unit_path` is the materialized path of the unit the change concerns, so that the audit
    trail is scoped like everything else.
    """

    SCOPE_PATH = "unit_path"

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    type = models.CharField(_("loại"), max_length=100)
    object_repr = models.CharField(_("đối tượng"), max_length=300, blank=True)
    unit_path = models.CharField(max_length=400, blank=True, db_index=True)
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(_("lúc"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("nhật ký thay đổi")
        verbose_name_plural = _("nhật ký thay đổi")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.type} {self.object_repr}"


def audit(*, actor, type: str, obj=None, unit_path: str = "", **data) -> AuditEntry:
    """Record one change made by `actor` (None for system jobs such as the demo loader)."""
    return AuditEntry.objects.create(
        actor=actor if getattr(actor, "pk", None) else None,
        type=type,
        object_repr=str(obj)[:300] if obj is not None else "",
        unit_path=unit_path,
        data=data,
    )


def audit_many(*, actor, type: str, entries: list[tuple[object, str, dict]]) -> int:
    """Record many changes of one kind at once, as `audit` would one by one: `entries` are
    (obj, unit_path, data). For a batch of thousands (a province's upload), one insert."""
    rows = [
        AuditEntry(
            actor=actor if getattr(actor, "pk", None) else None,
            type=type,
            object_repr=str(obj)[:300] if obj is not None else "",
            unit_path=unit_path,
            data=data,
        )
        for obj, unit_path, data in entries
    ]
    AuditEntry.objects.bulk_create(rows, batch_size=1000)
    return len(rows)
