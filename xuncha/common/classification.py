"""Classifications fixed by Party regulation (not versioned like the focus lists)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Discipline(models.TextChoices):
    """The six disciplines (六大纪律) a report or a problem concerns."""

    POLITICAL = "political", _("政治纪律")
    ORGANISATIONAL = "organisational", _("组织纪律")
    INTEGRITY = "integrity", _("廉洁纪律")
    MASSES = "masses", _("群众纪律")
    WORK = "work", _("工作纪律")
    LIFE = "life", _("生活纪律")


class Responsibility(models.TextChoices):
    """Responsibility types of a working paper's and a problem's analysis (domain.md §3.3)."""

    PRINCIPAL = "principal", _("主体责任")
    FIRST = "first", _("第一责任人责任")
    LEADING = "leading", _("主要领导责任")
    SUPERVISORY = "supervisory", _("监督责任")
