"""The two reports due when rectification is due (domain.md §3.7): the unit's rectification report
and the main leader's report on organising it. Both are generated from the data; a draft can be
downloaded at any time, and submitting stores the file exactly as sent, once per kind.

The plan itself (整改方案) is also handed out as a Word document generated from its three lists."""

from __future__ import annotations

from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from xuncha.accounts.permissions import Perm, require
from xuncha.audit.services import audit_record
from xuncha.common.actors import SYSTEM
from xuncha.common.exceptions import ServiceError
from xuncha.documents.kinds import SPECS, DocumentKind
from xuncha.documents.services import Export, render_for, trace_stamp
from xuncha.files.services import file_store_many
from xuncha.files.storage import open_stored
from xuncha.rectification.documents.contexts import report_context
from xuncha.rectification.documents.plan import plan_context
from xuncha.rectification.models import PlanReport, PlanState, RectificationPlan, ReportKind
from xuncha.rectification.services.plans import report_due

# The leader's report is the main leader's own act (第一责任人); the unit's report is drafted by
# the liaison for the leadership.
SUBMIT_PERMS = {ReportKind.UNIT: Perm.RECTIFY_EDIT, ReportKind.LEADER: Perm.RECTIFY_SIGN}
DOC_KINDS = {ReportKind.UNIT: DocumentKind.RECTIFICATION_REPORT, ReportKind.LEADER: DocumentKind.LEADER_REPORT}


def _kind(kind: str) -> ReportKind:
    if kind not in ReportKind.values:
        raise ServiceError(_("报告类别不正确。"))
    return ReportKind(kind)


def report_filename(plan: RectificationPlan, kind: str) -> str:
    return _("%(kind)s-%(unit)s.docx") % {"kind": ReportKind(kind).label, "unit": plan.feedback.target.unit.name}


def _render(plan: RectificationPlan, kind: ReportKind) -> tuple[bytes, Any]:
    today = timezone.localdate()
    return render_for(
        kind=DOC_KINDS[kind],
        jurisdiction=plan.feedback.target.round.jurisdiction,
        context=lambda: report_context(plan, DOC_KINDS[kind], today=today),
    )


def _handed_out(
    actor: Any, target: Any, kind: ReportKind, plan: RectificationPlan, content: bytes, source: str, **after: Any
) -> Export:
    """The report ``content`` stamped for ``actor``, the hand-over recorded and audited."""
    spec, filename = SPECS[DOC_KINDS[kind]], report_filename(plan, kind)
    traced = trace_stamp(
        actor=actor,
        content=content,
        kind=spec.kind,
        target=target,
        filename=filename,
        source=source,
        action="rectification.report.export",
        after={"kind": kind.value, **after},
    )
    return Export(
        kind=spec.kind, filename=filename, ascii_name=spec.ascii_name, content=traced.content, trace=traced.code
    )


def report_draft(*, actor: Any, plan: RectificationPlan, kind: str, source: str = "") -> Export:
    """The report as it would be generated today, for reading and rewording in Word."""
    require(actor, Perm.RECTIFY_VIEW, plan)
    report_kind = _kind(kind)
    content, replacement = _render(plan, report_kind)
    template = replacement.pk if replacement else "default"
    return _handed_out(actor, plan, report_kind, plan, content, source, draft=True, template=template)


@transaction.atomic
def report_submit(*, actor: Any, plan: RectificationPlan, kind: str) -> PlanReport:
    report_kind = _kind(kind)
    plan = (
        RectificationPlan.objects.select_for_update(of=("self",))
        .select_related(
            "feedback__target__unit", "feedback__target__round__jurisdiction", "feedback__main_leader", "signed_by"
        )
        .get(pk=plan.pk)
    )
    require(actor, SUBMIT_PERMS[report_kind], plan)
    if plan.state != PlanState.APPROVED:
        raise ServiceError(_("整改方案审核通过后才能报送整改报告。"))
    if PlanReport.objects.filter(plan=plan, kind=report_kind).exists():
        raise ServiceError(_("%(kind)s已经报送，不能重复报送。") % {"kind": report_kind.label})
    content, _template = _render(plan, report_kind)
    stored = file_store_many(
        actor=actor,
        uploads=[ContentFile(content, name=report_filename(plan, report_kind))],
        scope_unit=plan.feedback.target.unit,
    )[0]
    today, due = timezone.localdate(), report_due(plan)
    report = PlanReport.objects.create(
        plan=plan,
        kind=report_kind,
        submitted_on=today,
        file=stored,
        submitted_by=None if actor is SYSTEM else actor,
    )
    audit_record(
        actor=actor,
        action="rectification.report.submit",
        target=report,
        after={
            "kind": report_kind.value,
            "file": str(stored.pk),
            "sha256": stored.sha256,
            "due": due.isoformat(),
            "late": today > due,
        },
    )
    return report


def report_file_export(*, actor: Any, report: PlanReport, source: str = "") -> Export:
    """The report as submitted, with this recipient's trace put on it."""
    require(actor, Perm.RECTIFY_VIEW, report)
    with open_stored(report.file) as fh:
        content = fh.read()
    return _handed_out(actor, report, ReportKind(report.kind), report.plan, content, source, draft=False)


def plan_filename(plan: RectificationPlan) -> str:
    return _("整改方案-%(unit)s.docx") % {"unit": plan.feedback.target.unit.name}


def plan_docx_export(*, actor: Any, plan: RectificationPlan, source: str = "") -> Export:
    """The plan as a 公文 (its three lists as tables) as it stands today, with the recipient's trace."""
    require(actor, Perm.RECTIFY_VIEW, plan)
    today, kind = timezone.localdate(), DocumentKind.RECTIFICATION_PLAN
    content, replacement = render_for(
        kind=kind,
        jurisdiction=plan.feedback.target.round.jurisdiction,
        context=lambda: plan_context(plan, today=today),
    )
    filename = plan_filename(plan)
    traced = trace_stamp(
        actor=actor,
        content=content,
        kind=kind,
        target=plan,
        filename=filename,
        source=source,
        action="rectification.plan.export_docx",
        after={
            "file": filename,
            "version": plan.version,
            "state": plan.state,
            "template": replacement.pk if replacement else "default",
        },
    )
    return Export(
        kind=kind, filename=filename, ascii_name=SPECS[kind].ascii_name, content=traced.content, trace=traced.code
    )
