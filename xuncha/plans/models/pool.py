"""The talent pool (巡察人才库): who can serve, in which sub-pool, with what expertise."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from xuncha.common.models import TimeStampedModel


class ExpertiseTag(models.Model):
    name = models.CharField(_("专长"), max_length=30, unique=True)

    class Meta:
        verbose_name = _("专长")
        verbose_name_plural = _("专长")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class PoolEntry(TimeStampedModel):
    person = models.OneToOneField(
        "accounts.Person", verbose_name=_("人员"), on_delete=models.PROTECT, related_name="pool_entry"
    )
    # Which pool keeps the record: the person's jurisdiction's office manages it.
    jurisdiction = models.ForeignKey(
        "accounts.OrgUnit", verbose_name=_("所属行政区域"), on_delete=models.PROTECT, related_name="+"
    )
    in_leader_pool = models.BooleanField(_("组长库"), default=False)
    in_specialist_pool = models.BooleanField(_("专业人才库"), default=False)
    in_staff_pool = models.BooleanField(_("工作人员库"), default=True)
    expertise = models.ManyToManyField(ExpertiseTag, verbose_name=_("专长"), blank=True, related_name="entries")
    available = models.BooleanField(_("可抽调"), default=True)
    availability_note = models.CharField(_("可用情况说明"), max_length=200, blank=True)

    SCOPE_PATH_FIELD = "jurisdiction__path"

    class Meta:
        verbose_name = _("人才库人员")
        verbose_name_plural = _("人才库人员")
        indexes = [models.Index(fields=["jurisdiction", "available"], name="pool_jur_available")]

    def __str__(self) -> str:
        return str(self.person)


class TrainingRecord(models.Model):
    entry = models.ForeignKey(PoolEntry, on_delete=models.CASCADE, related_name="trainings")
    date = models.DateField(_("培训日期"))
    title = models.CharField(_("培训内容"), max_length=100)
    hours = models.PositiveIntegerField(_("学时"), default=0)

    SCOPE_PATH_FIELD = "entry__jurisdiction__path"

    class Meta:
        verbose_name = _("培训记录")
        verbose_name_plural = _("培训记录")
        ordering = ["-date"]

    def __str__(self) -> str:
        return f"{self.entry} · {self.title}"
