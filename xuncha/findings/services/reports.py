"""The team's reports: create, new versions (generated from the problems and the parts the team
wrote, or the team's edited Word file), and the review chain (DRAFT_WORKFLOW) with a decision
record per step.

Every version keeps what it says (``snapshot``: the written parts, the problems, the paragraphs)
and the hash of its paragraphs; a version that says what the one before it said is refused, so a
return is answered by a changed report, not by pressing "generate" again."""

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
from xuncha.files.storage import open_stored
from xuncha.findings.documents import contexts as contexts_findings
from xuncha.findings.documents.content import (
    UnreadableDocument,
    content_hash,
    paragraphs_of,
    problems_of_context,
    snapshot_of_upload,
)
from xuncha.findings.models import DraftKind, DraftState, InspectionReport, ReportVersion, ReviewDecision
from xuncha.findings.services.common import (
    ASSEMBLY_STATES,
    check_report_editable,
    locked_report,
    missing_sections,
)
from xuncha.findings.services.sections import report_sections_save
from xuncha.findings.workflow import DRAFT_WORKFLOW
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
    *,
    actor: Any,
    team: Team,
    kind: str,
    target: RoundTarget | None = None,
    theme: str = "",
    title: str = "",
    sections: dict[str, str] | None = None,
) -> InspectionReport:
    """A new report. Its first version is generated at once when nothing is left to write (a clue
    report; or ``sections``, the written parts, given in full); otherwise the team writes them on
    the report's page and generates it there."""
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
    if sections:
        report_sections_save(actor=actor, report=report, texts=sections)
    if not missing_sections(kind, contexts_findings.written_texts(report, kind)):
        version_generate(actor=actor, report=report, note=_("系统根据问题清单生成初稿"))
    return report


def stored_hash(version: ReportVersion) -> str:
    """The version's content hash; read from its file for a version kept before hashes were."""
    if version.content_hash:
        return version.content_hash
    try:
        with open_stored(version.file) as fh:
            return content_hash(paragraphs_of(fh.read()))
    except (OSError, UnreadableDocument):  # nothing to compare with: any new text is new
        return ""


def _check_differs(report: InspectionReport, digest: str) -> None:
    previous = report.versions.select_related("file").order_by("-number").first()
    if previous is not None and stored_hash(previous) == digest:
        raise ServiceError(_("与上一稿内容相同，请修改后再生成新稿。"))


def _add_version(
    report: InspectionReport, stored: Any, source: str, note: str, actor: Any, snapshot: dict[str, Any], digest: str
) -> ReportVersion:
    number = (report.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    version = ReportVersion.objects.create(
        report=report,
        number=number,
        source=source,
        file=stored,
        note=(note or "").strip()[:500],
        snapshot=snapshot,
        content_hash=digest,
        created_by=None if actor is SYSTEM else actor,
    )
    audit_record(
        actor=actor,
        action=f"findings.draft.version_{source}",
        target=report,
        after={"version": number, "sha256": stored.sha256, "content": digest},
    )
    return version


@transaction.atomic
def version_generate(*, actor: Any, report: InspectionReport, note: str = "") -> ReportVersion:
    """A new version written from the current problems and the written parts with the
    jurisdiction's template; refused while a required part is empty or when nothing changed."""
    report = locked_report(report)
    check_report_editable(actor, report)
    texts = contexts_findings.written_texts(report, report.kind)
    missing = missing_sections(report.kind, texts)
    if missing:
        raise ServiceError(missing)
    today = timezone.localdate()
    context: dict[str, Any] = {}

    def build() -> dict[str, Any]:
        context.update(CONTEXT[report.kind](report, today=today, sections=texts))
        return context

    content, _template = render_for(kind=DOC_KIND[report.kind], jurisdiction=report.round.jurisdiction, context=build)
    paragraphs = paragraphs_of(content)
    digest = content_hash(paragraphs)
    _check_differs(report, digest)
    snapshot = {
        "sections": texts,
        "problems": problems_of_context(report.kind, context),
        "paragraphs": paragraphs,
    }
    name = f"{report.title}.docx"
    stored = file_store(actor=actor, upload=ContentFile(content, name=name), scope_unit=report.round.jurisdiction)
    if not note:
        note = _("按当前问题清单和撰写内容生成") if report.versions.exists() else _("系统根据问题清单生成初稿")
    return _add_version(report, stored, ReportVersion.Source.GENERATED, note, actor, snapshot, digest)


@transaction.atomic
def version_upload(*, actor: Any, report: InspectionReport, upload: Any, note: str = "") -> ReportVersion:
    """The team's own edit of the report, as a Word file; refused when its text is the last version's."""
    report = locked_report(report)
    check_report_editable(actor, report)
    if check_upload(upload).kind != "docx":
        raise ServiceError(_("报告文稿须为 Word 文档（.docx）。"))
    upload.seek(0)
    if not (note or "").strip():
        raise ServiceError(_("请简要说明本稿修改了什么。"))
    try:
        snapshot = snapshot_of_upload(report.kind, upload.read())
    except UnreadableDocument:
        raise ServiceError(_("无法读取该 Word 文档的内容，请在 Word 中另存为 .docx 后重新上传。"))
    upload.seek(0)
    digest = content_hash(snapshot["paragraphs"])
    _check_differs(report, digest)
    stored = file_store(actor=actor, upload=upload, scope_unit=report.round.jurisdiction)
    return _add_version(report, stored, ReportVersion.Source.UPLOADED, note, actor, snapshot, digest)


@transaction.atomic
def versions_compared(*, actor: Any, report: InspectionReport, old: int, new: int) -> None:
    """Reading two versions side by side is reading the report: logged like a download."""
    audit_record(actor=actor, action="findings.draft.compare", target=report, after={"from": old, "to": new})


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
