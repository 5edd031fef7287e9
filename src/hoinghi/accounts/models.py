"""Users and the grants that say where in the tree they may act."""

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from hoinghi.core.permissions import GrantRole


class User(AbstractUser):
    """A staff user (password login) or, later, a participant (one-time links).

    An account made by someone else with a one-time password (`users_create`: a bridge point's
    operator, made by the organisers) has `must_change_password` until its owner chooses their
    own; until then every page sends them to the password change page
    (`accounts.middleware.PasswordChangeRequiredMiddleware`).
    """

    full_name = models.CharField(_("họ và tên"), max_length=200, blank=True)
    phone = models.CharField(_("điện thoại"), max_length=30, blank=True)
    person = models.ForeignKey(
        "orgs.Person",
        verbose_name=_("cán bộ"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="users",
    )
    must_change_password = models.BooleanField(_("phải đổi mật khẩu khi đăng nhập"), default=False)
    created_by = models.ForeignKey(
        "self",
        verbose_name=_("người tạo"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta(AbstractUser.Meta):
        verbose_name = _("người dùng")
        verbose_name_plural = _("người dùng")
        swappable = "AUTH_USER_MODEL"

    def __str__(self) -> str:
        return self.full_name or self.username


class Grant(models.Model):
    """(user, role, unit): the user acts with `role` in `unit`'s subtree."""

    SCOPE_PATH = "unit__path"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người dùng"),
        on_delete=models.CASCADE,
        related_name="grants",
    )
    role = models.CharField(_("vai trò"), max_length=30, choices=GrantRole.choices)
    unit = models.ForeignKey(
        "orgs.Unit", verbose_name=_("đơn vị"), on_delete=models.CASCADE, related_name="grants"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("phân quyền")
        verbose_name_plural = _("phân quyền")
        ordering = ["unit__path", "role"]
        constraints = [
            models.UniqueConstraint(fields=["user", "role", "unit"], name="accounts_grant_unique"),
            models.CheckConstraint(
                condition=models.Q(role__in=[role.value for role in GrantRole]),
                name="accounts_grant_role_known",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} — {self.unit}"
