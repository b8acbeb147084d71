"""Reads for evaluation: the sheet in force for a jurisdiction, the sheets an office manages, the
evaluations in scope (total and grade derived from the deductions), the score sheet as Excel."""

from __future__ import annotations

import io
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill

from xuncha.accounts.models import OrgUnit
from xuncha.accounts.models.org import JURISDICTION_TYPES
from xuncha.accounts.permissions import Perm, perm_paths, scope_queryset
from xuncha.rectification.models import Evaluation, EvaluationSheet, Grade


def sheet_for(jurisdiction: OrgUnit) -> EvaluationSheet | None:
    """The jurisdiction's own latest active sheet, else the default (no jurisdiction)."""
    own = EvaluationSheet.objects.filter(jurisdiction=jurisdiction, is_active=True).order_by("-version").first()
    if own is not None:
        return own
    return EvaluationSheet.objects.filter(jurisdiction__isnull=True, is_active=True).order_by("-version").first()


def managed_jurisdictions(user: Any) -> QuerySet[OrgUnit]:
    """The jurisdictions (county and up) over which the user supervises rectification."""
    paths = perm_paths(user, Perm.RECTIFY_SUPERVISE)
    if not paths:
        return OrgUnit.objects.none()
    return OrgUnit.objects.filter(path__in=paths, unit_type__in=JURISDICTION_TYPES).order_by("path")


def sheet_list(*, user: Any) -> QuerySet[EvaluationSheet]:
    """The default sheet and every version of the jurisdictions the user's scope covers."""
    paths = perm_paths(user, Perm.RECTIFY_SUPERVISE)
    if not paths:
        return EvaluationSheet.objects.none()
    mine = Q()
    for path in paths:
        mine |= Q(jurisdiction__path__startswith=path)
    return (
        EvaluationSheet.objects.filter(Q(jurisdiction__isnull=True) | mine)
        .select_related("jurisdiction")
        .order_by("jurisdiction__path", "-version")
    )


@dataclass(frozen=True)
class ItemScore:
    code: str
    label: str
    points: int
    guidance: str
    deduct: Decimal
    reason: str

    @property
    def score(self) -> Decimal:
        return Decimal(self.points) - self.deduct


def item_scores(evaluation: Evaluation) -> list[ItemScore]:
    """Each item of the evaluation's sheet with what was deducted and why."""
    rows = []
    for item in evaluation.sheet.items:
        given = evaluation.deductions.get(item["code"]) or {}
        rows.append(
            ItemScore(
                code=item["code"],
                label=item["label"],
                points=item["points"],
                guidance=item.get("guidance", ""),
                deduct=Decimal(str(given.get("deduct", 0))),
                reason=given.get("reason", ""),
            )
        )
    return rows


def evaluation_pks(*, user: Any, grade: str = "") -> list[int]:
    """The evaluations in scope, newest first, optionally of one grade.

    The grade is derived from the deductions and the sheet, never stored, so the filter reads a
    narrow projection (no joins beyond the sheet) and decides in Python: one row per evaluated
    plan, a few hundred per county."""
    return evaluation_grade_pks(evaluation_list(user=user), grade=grade)


def evaluation_list(*, user: Any) -> QuerySet[Evaluation]:
    """The evaluations in scope, newest first (the register filters and pages it)."""
    return scope_queryset(user, Perm.RECTIFY_SUPERVISE, Evaluation.objects.all()).order_by("-evaluated_on", "-pk")


def evaluation_grade_pks(qs: QuerySet[Evaluation], *, grade: str = "") -> list[int]:
    """The pks of ``qs`` in order, only those of ``grade`` when it is one (see evaluation_pks)."""
    if grade not in Grade.values:
        return list(qs.values_list("pk", flat=True))
    rows = qs.select_related("sheet").only(
        "pk", "deductions", "sheet__good_from", "sheet__fair_from", "sheet__pass_from"
    )
    return [e.pk for e in rows if e.grade == grade]


def evaluations_by_pk(pks: list[int]) -> list[Evaluation]:
    """The rows of one page, in the page's order."""
    found = Evaluation.objects.filter(pk__in=pks).select_related(
        "sheet", "lookback_round", "plan__feedback__target__unit", "plan__feedback__target__round"
    )
    by_pk = {e.pk: e for e in found}
    return [by_pk[pk] for pk in pks if pk in by_pk]


HEADER_FILL = PatternFill("solid", fgColor="F2DCDB")


def evaluation_xlsx(evaluation: Evaluation) -> bytes:
    """The score sheet: one row per item (points, deduction, score, reason), then the total and grade."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("整改评估")
    target = evaluation.plan.feedback.target
    sheet.append([_("%(unit)s巡察整改评估计分表") % {"unit": target.unit.name}])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append([_("巡察轮次"), target.round.name, _("评估日期"), evaluation.evaluated_on])
    sheet.cell(row=2, column=4).number_format = "yyyy-mm-dd"
    headers = [_("编号"), _("评估指标"), _("分值"), _("扣分"), _("得分"), _("扣分理由"), _("扣分标准")]
    sheet.append(headers)
    for index, width in enumerate([8, 24, 8, 8, 8, 40, 50], start=1):
        cell = sheet.cell(row=3, column=index)
        cell.font, cell.fill = Font(bold=True), HEADER_FILL
        sheet.column_dimensions[cell.column_letter].width = width
    for row in item_scores(evaluation):
        sheet.append([row.code, row.label, row.points, float(row.deduct), float(row.score), row.reason, row.guidance])
        for cell in sheet[sheet.max_row]:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.append([_("合计"), "", 100, float(Decimal(100) - evaluation.total), float(evaluation.total)])
    sheet.append([_("评估等次"), evaluation.get_grade_display()])
    if evaluation.comment:
        sheet.append([_("评估意见"), evaluation.comment])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
