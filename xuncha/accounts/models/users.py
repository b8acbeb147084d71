"""User accounts and role assignments (a role granted over an org subtree)."""

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from xuncha.accounts.permissions import Role
from xuncha.common.models import TimeStampedModel


class User(AbstractUser):
    # Chinese names do not split into first/last; one field holds the whole name.
    first_name = None  # type: ignore[assignment]
    last_name = None  # type: ignore[assignment]
    full_name = models.CharField(_("姓名"), max_length=50)
    # The unit the account belongs to; anchors who may manage the account (access scoping).
    unit = models.ForeignKey(
        "accounts.OrgUnit",
        verbose_name=_("所属单位"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="accounts",
    )
    person = models.OneToOneField(
        "accounts.Person",
        verbose_name=_("对应人员"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="account",
    )
    phone = models.CharField(_("联系电话"), max_length=20, blank=True)
    # Set when someone else chose the password (a new account, a reset): the holder must pick
    # their own at the next sign-in before doing anything else (等保 level 3, identity).
    password_change_required = models.BooleanField(_("须修改初始密码"), default=False)

    SCOPE_PATH_FIELD = "unit__path"
    REQUIRED_FIELDS = ["email"]

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")

    def __str__(self) -> str:
        return self.full_name or self.username

    def get_absolute_url(self) -> str:
        return reverse("accounts:user_detail", args=[self.pk])

    def get_full_name(self) -> str:
        return self.full_name or self.username

    def get_short_name(self) -> str:
        return self.full_name or self.username


class RoleAssignment(TimeStampedModel):
    """A role held by a user over a unit and everything beneath it. Revoked, never deleted."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="role_assignments")
    role = models.CharField(_("角色"), max_length=32, choices=Role.choices)
    scope = models.ForeignKey(
        "accounts.OrgUnit",
        verbose_name=_("授权范围"),
        on_delete=models.PROTECT,
        related_name="role_assignments",
    )
    granted_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    revoked_at = models.DateTimeField(_("撤销时间"), null=True, blank=True)
    revoked_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    note = models.CharField(_("授权依据"), max_length=200, blank=True)

    SCOPE_PATH_FIELD = "scope__path"

    class Meta:
        verbose_name = _("角色授权")
        verbose_name_plural = _("角色授权")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "role", "scope"],
                condition=Q(revoked_at__isnull=True),
                name="roleassignment_active_unique",
            )
        ]
        indexes = [models.Index(fields=["user", "revoked_at"], name="roleassign_user_active")]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} · {self.scope}"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class TwoFactorRule(TimeStampedModel):
    """Whether a role must sign in with a second factor (TOTP). The office sets it per role;
    roles without a row follow ``settings.XUNCHA_2FA_REQUIRED_ROLES``."""

    role = models.CharField(_("角色"), max_length=32, choices=Role.choices, unique=True)
    required = models.BooleanField(_("必须启用双因素认证"), default=False)
    changed_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")

    class Meta:
        verbose_name = _("双因素认证要求")
        verbose_name_plural = _("双因素认证要求")

    def __str__(self) -> str:
        return f"{self.get_role_display()}：{'必须' if self.required else '可选'}"
