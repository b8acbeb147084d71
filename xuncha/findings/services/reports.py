"""The team's reports: create, new versions (generated from the problems, or the team's edited
Word file), and the review chain (DRAFT_WORKFLOW) with a decision record per step."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from xuncha.accounts.permissions import Perm
from xuncha.audit.services import audit_record
from xuncha.common.actors import SYSTEM
from xuncha.common.exceptions import ServiceError
from xuncha.documents.kinds import DocumentKind
from xuncha.documents.services import render_for
from xuncha.fieldwork.services.common import require_team_writer
from xuncha.files.checks import check_upload
from xuncha.files.services import file_store
from xuncha.findings.documents import contexts as contexts_findings
from xuncha.findings.models import DraftKind, DraftState, InspectionReport, ReportVersion, ReviewDecision
from xuncha.findings.services.common import ASSEMBLY_STATES
from xuncha.findings.workflow import DRAFT_WORKFLOW, EDITABLE_STATES
from xuncha.plans.models import RoundTarget, Team
from xuncha.workflow import Step, Transition, authorize_perm

# Keyed by the stored value (a DraftKind is a str).
DOC_KIND: dict[str, DocumentKind] = {
    DraftKind.INSPECTION: DocumentKind.INSPECTION_REPORT,
    DraftKind.THEMATIC: DocumentKind.THEMATIC_REPORT,
    DraftKind.CLUE: DocumentKind.CLUE_REPORT,
}
CONTEXT: dict[str, Callable[..., dict[str, Any]]] = {
    DraftKind.INSPECTION: contexts_findings.inspection_report_context,
    DraftKind.THEMATIC: contexts_findings.thematic_report_context,
    DraftKind.CLUE: contexts_findings.clue_report_context,
}


def default_title(kind: str, target: RoundTarget | None, theme: str) -> str:
    if kind == DraftKind.THEMATIC:
        return _("关于%(theme)s的专题报告") % {"theme": theme}
    unit = target.unit.name if target else ""
    if kind == DraftKind.CLUE:
        return _("关于%(unit)s有关问题线索的报告") % {"unit": unit}
    return _("关于巡察%(unit)s党组织的情况报告") % {"unit": unit}


@transaction.atomic
def draft_create(
    *, actor: Any, team: Team, kind: str, target: RoundTarget | None = None, theme: str = "", title: str = ""
) -> InspectionReport:
    team = Team.objects.select_related("round__jurisdiction").get(pk=team.pk)
    require_team_writer(actor, team)
    if team.round.state not in ASSEMBLY_STATES:
        raise ServiceError(_("“%(round)s”不在进驻或报告阶段，不能起草报告。") % {"round": team.round.name})
    if kind not in DraftKind.values:
        raise ServiceError(_("请选择报告类别。"))
    theme = (theme or "").strip()
    if kind == DraftKind.THEMATIC and not theme:
        raise ServiceError(_("专题报告请填写专题。"))
    if kind != DraftKind.THEMATIC and target is None:
        raise ServiceError(_("请选择报告的被巡察单位。"))
    if target is not None and target.team_id != team.pk:
        raise ServiceError(_("%(unit)s不是本组的巡察对象。") % {"unit": target.unit.name})
    if kind in (DraftKind.INSPECTION, DraftKind.CLUE) and team.inspection_reports.filter(kind=kind, target=target):
        assert target is not None  # only a thematic report goes without a unit (refused above)
        raise ServiceError(
            _("%(unit)s的%(kind)s已经存在。") % {"unit": target.unit.name, "kind": DraftKind(kind).label}
        )
    report = InspectionReport.objects.create(
        round=team.round,
        team=team,
        target=target,
        kind=kind,
        theme=theme,
        title=(title or "").strip()[:200] or default_title(kind, target, theme),
    )
    audit_record(
        actor=actor, action="findings.draft.create", target=report, after={"kind": kind, "title": report.title}
    )
    version_generate(actor=actor, report=report, note=_("系统根据问题清单生成初稿"))
    return report


def _locked(report: InspectionReport) -> InspectionReport:
    return (
        # Lock the report row only: its unit is an outer join (thematic reports have none), which
        # PostgreSQL will not lock.
        InspectionReport.objects.select_for_update(of=("self",))
        .select_related("team", "round", "target__unit")
        .get(pk=report.pk)
    )


def _check_editable(actor: Any, report: InspectionReport) -> None:
    require_team_writer(actor, report.team)
    if report.state not in EDITABLE_STATES:
        raise ServiceError(_("报告正在审议或已审定，不能更换文稿；如需修改请先退回。"))


def _add_version(report: InspectionReport, stored: Any, source: str, note: str, actor: Any) -> ReportVersion:
    number = (report.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    version = ReportVersion.objects.create(
        report=report,
        number=number,
        source=source,
        file=stored,
        note=(note or "").strip()[:500],
        created_by=None if actor is SYSTEM else actor,
    )
    audit_record(
        actor=actor,
        action=f"findings.draft.version_{source}",
        target=report,
        after={"version": number, "sha256": stored.sha256},
    )
    return version


@transaction.atomic
def version_generate(*, actor: Any, report: InspectionReport, note: str = "") -> ReportVersion:
    """A new version written from the current problems with the jurisdiction's template."""
    report = _locked(report)
    _check_editable(actor, report)
    today = timezone.localdate()
    content, _template = render_for(
        kind=DOC_KIND[report.kind],
        jurisdiction=report.round.jurisdiction,
        context=lambda: CONTEXT[report.kind](report, today=today),
    )
    name = f"{report.title}.docx"
    stored = file_store(actor=actor, upload=ContentFile(content, name=name), scope_unit=report.round.jurisdiction)
    return _add_version(report, stored, ReportVersion.Source.GENERATED, note, actor)


@transaction.atomic
def version_upload(*, actor: Any, report: InspectionReport, upload: Any, note: str = "") -> ReportVersion:
    """The team's own edit of the report, as a Word file."""
    report = _locked(report)
    _check_editable(actor, report)
    if check_upload(upload).kind != "docx":
        raise ServiceError(_("报告文稿须为 Word 文档（.docx）。"))
    upload.seek(0)
    if not (note or "").strip():
        raise ServiceError(_("请简要说明本稿修改了什么。"))
    stored = file_store(actor=actor, upload=upload, scope_unit=report.round.jurisdiction)
    return _add_version(report, stored, ReportVersion.Source.UPLOADED, note, actor)


@transaction.atomic
def draft_transition(
    *, obj: InspectionReport, action: str, actor: Any, data: dict[str, Any] | None = None
) -> InspectionReport:
    """One step of the chain. ``data``: decided_on, meeting, decision, minutes (an upload) for the
    review steps; nothing for ``submit``."""
    report: InspectionReport = DRAFT_WORKFLOW.apply(
        obj,
        action,
        actor=actor,
        data=data,
        # Lock the report row only: its unit is an outer join (thematic reports have none).
        queryset=InspectionReport.objects.select_related("team", "round", "target__unit"),
        authorize=_authorize_step,
        check=_check_step,
        effect=_draft_step,
    ).obj  # Applied.obj is Any: the row it moved
    return report


def _authorize_step(actor: Any, transition: Transition, report: InspectionReport) -> None:
    authorize_perm(actor, transition, report)
    if transition.perm == Perm.FINDING_EDIT:
        require_team_writer(actor, report.team)


def _check_step(step: Step) -> None:
    decided_on = step.data.get("decided_on")
    if isinstance(decided_on, date) and decided_on > timezone.localdate():
        raise ServiceError(_("会议日期不能晚于今天。"))


def _draft_step(step: Step) -> None:
    """Every review step records the meeting's decision on the latest version, with its minutes."""
    report, data = step.obj, step.data
    version = report.versions.order_by("-number").first()
    if report.state == DraftState.APPROVED:
        step.set(approved_on=data.get("decided_on"))
    decision = None
    if step.action != "submit":
        minutes = data.get("minutes")
        stored = file_store(actor=step.actor, upload=minutes, scope_unit=report.round.jurisdiction) if minutes else None
        decision = ReviewDecision.objects.create(
            report=report,
            version=version,
            action=step.action,
            from_state=step.from_state,
            to_state=report.state,
            decided_on=data["decided_on"],  # every step but submit has decision_recorded
            meeting=str(data["meeting"]).strip()[:100],
            decision=str(data["decision"]).strip(),
            minutes=stored,
            actor=step.user,
        )
    step.audit.update(version=version.number if version else None, decision=getattr(decision, "pk", None))
