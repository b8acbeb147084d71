"""Analysis: the statistics pages read counters (``Rollup``) kept from the other apps' data.

A counter row is one number (or two, or a sum) of one kind for one inspected unit of one round,
with the round's year and jurisdiction and the unit's org path copied onto it, so that "everything
a county office may count" is one indexed prefix filter on one table instead of joins from every
problem to its round's jurisdiction and its unit (issue 17: the old scope, an OR of two joined
paths, read every problem in the database for one county). How the rows are kept current: the
``rollups`` package; why that way: docs/adr/0015-statistics-rollups.md.

The rows are derived data: their foreign keys have no database constraint (a deletion is never held
up by them, and the deletion's audit row makes the next read recount that round) and every row of a
round is replaced whenever any of its counts is recomputed.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    """What a row counts. ``key``, ``day``, ``part`` and ``amount`` mean what the kind says."""

    ROUND = "round", _("巡察轮次")  # one per round, without a unit: that the round exists
    TARGET = "target", _("被巡察单位")  # key: team number ("" none); part: 1 for a village
    RECORD = "record", _("现场工作记录")  # key: record kind; part: confirmed (谈话) / returned (调阅)
    REPORT = "report", _("信访举报")  # key: "state|channel"
    PAPER = "paper", _("问题底稿")  # part: signed
    FIX = "fix", _("立行立改")  # key: state; unit: the unit that must fix
    PROBLEM = "problem", _("发现问题")  # focus, focus_sub: its item (findings.grouping); part: rectified
    SEVERITY = "severity", _("问题严重程度")  # key: severity
    TAG = "tag", _("问题标签")  # tag; n: problems with it
    RECTIFIED = "rectified", _("完成整改的问题")  # fed back and rectified; day: month of the last measure done
    PLAN = "plan", _("整改方案")  # one per unit fed back; key: the plan's state ("" none filed)
    TASK = "task", _("整改任务")  # key: state; day: deadline of a measure not done yet
    MECHANISM = "mechanism", _("建章立制")  # key: new / revised
    MONEY = "money", _("挽回经济损失")  # n: recoveries; amount: in fen
    ACCOUNTABILITY = "accountability", _("问责")  # key: "subject kind|form"
    CAMPAIGN = "campaign", _("专项整治")  # key: the campaign's id (one row per unit and campaign)
    TRANSFER = "transfer", _("移交事项")  # receiver; key: disposal; day: sent, while the report-back is owed
    TRANSFER_KIND = "transfer_kind", _("移交类别")  # key: kind; amount: persons
    TRANSFER_STATE = "transfer_state", _("移交办理状态")  # key: state


def _ref(model: str, **kwargs: object) -> models.ForeignKey:
    """A reference for joins (names, texts) that never constrains the referenced table."""
    return models.ForeignKey(
        model,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
        **kwargs,  # type: ignore[arg-type]
    )


def _prefix_index(path: str, name: str) -> models.Index:
    """(kind, a path) for "rows of this kind under this path" (LIKE 'path%' needs the pattern ops)."""
    return models.Index(fields=["kind", path], opclasses=["varchar_pattern_ops", "varchar_pattern_ops"], name=name)


class Rollup(models.Model):
    round = _ref("plans.Round", verbose_name=_("巡察轮次"))
    year = models.PositiveIntegerField(_("年度"))
    jurisdiction = _ref("accounts.OrgUnit", verbose_name=_("巡察轮次所属单位"), db_index=False)
    jurisdiction_path = models.CharField(max_length=255)
    target = _ref("plans.RoundTarget", null=True, db_index=False)
    unit = _ref("accounts.OrgUnit", verbose_name=_("单位"), null=True, db_index=False)
    unit_path = models.CharField(max_length=255, blank=True)  # "" for rows of no unit (ROUND)
    # The first day of the month the unit's feedback was sent (None: not fed back): a unit reading
    # its own figures counts only what was fed back to it, and the monthly chart counts by it.
    fed_month = models.DateField(null=True)
    kind = models.CharField(_("类别"), max_length=16, choices=Kind.choices)
    key = models.CharField(max_length=64, blank=True)
    focus = _ref("findings.FocusItem", null=True, db_index=False)
    focus_sub = _ref("findings.FocusItem", null=True, db_index=False)
    tag = _ref("findings.Tag", null=True, db_index=False)
    receiver = _ref("accounts.OrgUnit", null=True, db_index=False)
    day = models.DateField(null=True)
    n = models.BigIntegerField(default=0)
    part = models.BigIntegerField(default=0)
    amount = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("统计汇总")
        verbose_name_plural = _("统计汇总")
        indexes = [
            # The two halves of a statistics scope (the round's jurisdiction, the inspected unit),
            # each a prefix filter of one kind; PostgreSQL combines them (BitmapOr).
            _prefix_index("jurisdiction_path", "rollup_kind_jurisdiction"),
            _prefix_index("unit_path", "rollup_kind_unit"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.round_id}/{self.unit_id} {self.key} {self.n}"


class AreaKind(models.TextChoices):
    """What an ``AreaRollup`` row counts: the dashboard's mix of problems, rectification and transfers."""

    ROUND = "round", _("按轮次的问题")  # round; n: problems, amount: fed back, part: rectified
    UNIT = "unit", _("按单位的问题")  # unit; n: problems, amount: fed back, part: rectified
    TASK = "task", _("未完成的整改任务")  # unit; day: the deadline of measures not done yet
    FOCUS = "focus", _("按重点事项的问题")  # focus: the item (its root)
    FED = "fed", _("按反馈月份的问题")  # day: the month fed back
    TAG = "tag", _("问题标签")  # tag
    RECTIFIED = "rectified", _("完成整改的问题")  # day: the month the last measure was done
    TRANSFER = "transfer", _("移交事项")  # receiver; key: disposal; amount: persons


class AreaRollup(models.Model):
    """The ``Rollup`` rows of the dashboard's mix (and its rounds' totals) regrouped per round's
    jurisdiction, year and area: the inspected unit's path cut to the deepest jurisdiction (county,
    city, province) it lies in.

    Why (docs/adr/0015, "wide scopes"): a city or province office's dashboard read every per-round,
    per-unit row of its counties (≈ 42,000 at a city of ten) to group them by focus item, tag,
    month and receiver; without a round or unit filter it needs only these dimensions. A scope made
    of jurisdictions selects the same rows here with the same prefix filters, since a jurisdiction
    a unit lies in is never deeper than the area it is cut to. Kept by ``rollups.areas`` in the
    transaction of every recount that touches these kinds."""

    year = models.PositiveIntegerField(_("年度"))
    jurisdiction = _ref("accounts.OrgUnit", verbose_name=_("巡察轮次所属单位"), db_index=False)
    jurisdiction_path = models.CharField(max_length=255)
    round = _ref("plans.Round", verbose_name=_("巡察轮次"), null=True, db_index=False)
    unit = _ref("accounts.OrgUnit", verbose_name=_("单位"), null=True, db_index=False)
    area_path = models.CharField(max_length=255, blank=True)
    kind = models.CharField(_("类别"), max_length=16, choices=AreaKind.choices)
    key = models.CharField(max_length=64, blank=True)
    focus = _ref("findings.FocusItem", null=True, db_index=False)
    tag = _ref("findings.Tag", null=True, db_index=False)
    receiver = _ref("accounts.OrgUnit", null=True, db_index=False)
    day = models.DateField(null=True)
    n = models.BigIntegerField(default=0)
    part = models.BigIntegerField(default=0)
    amount = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("统计汇总（按地区）")
        verbose_name_plural = _("统计汇总（按地区）")
        indexes = [
            _prefix_index("jurisdiction_path", "arearollup_kind_jurisdiction"),
            _prefix_index("area_path", "arearollup_kind_area"),
            # Replacing the rows of one jurisdiction's year after a recount.
            models.Index(fields=["jurisdiction", "year"], name="arearollup_jurisdiction_year"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.jurisdiction_id}/{self.year} {self.area_path} {self.n}"


class RollupMark(models.Model):
    """Single row (id=1): the audit sequence number up to which the rollups are current.

    Every service writes its audit row in the transaction of its change, so the entries after
    ``seq`` name everything changed since (rollups/changes.py). ``seq`` is -1 until the first build."""

    seq = models.BigIntegerField(default=-1)
    refreshed_at = models.DateTimeField(null=True)
    rebuilt_at = models.DateTimeField(null=True)

    class Meta:
        verbose_name = _("统计汇总进度")

    def __str__(self) -> str:
        return f"#{self.seq}"
