"""The transfer's state machine (docs/workflow.md):

sent → acknowledged (the receiver signs for it) → handling (disposal chosen) → reported (result
reported back) → closed (the office checks the report and closes it).
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from xuncha.accounts.permissions import Perm
from xuncha.transfers.models import Disposal
from xuncha.transfers.models import TransferState as S
from xuncha.workflow import Transition, Workflow, states_of
from xuncha.workflow.catalogue import document_workflow


def disposal_chosen(transfer: Any, data: dict[str, Any]) -> str | None:
    return None if data.get("disposal") in Disposal.values else _("请选择处置方式。")


def result_given(transfer: Any, data: dict[str, Any]) -> str | None:
    return None if (data.get("result") or "").strip() else _("请填写办理结果。")


TRANSFER_WORKFLOW = Workflow(
    name="transfer",
    states=states_of(S.values),
    event_model="transfers.TransferEvent",
    audit_prefix="transfers.transfer",
    transitions=(
        Transition("acknowledge", gettext_lazy("签收"), frozenset({S.SENT}), S.ACKNOWLEDGED, Perm.TRANSFER_HANDLE),
        Transition(
            "dispose",
            gettext_lazy("确定处置方式"),
            frozenset({S.ACKNOWLEDGED}),
            S.HANDLING,
            Perm.TRANSFER_HANDLE,
            guards=(disposal_chosen,),
        ),
        Transition(
            "report",
            gettext_lazy("反馈办理结果"),
            frozenset({S.HANDLING}),
            S.REPORTED,
            Perm.TRANSFER_HANDLE,
            guards=(result_given,),
        ),
        Transition("close", gettext_lazy("办结"), frozenset({S.REPORTED}), S.CLOSED, Perm.TRANSFER_SEND),
        Transition(
            "reopen",
            gettext_lazy("退回补充"),
            frozenset({S.REPORTED}),
            S.HANDLING,
            Perm.TRANSFER_SEND,
            comment_required=True,
            style="secondary",
        ),
    ),
)

# Report-back is owed (and can be late) until the receiver has reported.
OWED_STATES = frozenset({S.SENT, S.ACKNOWLEDGED, S.HANDLING})

# --- in docs/workflow.md (manage.py workflow_docs) ----------------------------------------

document_workflow(
    order=60,
    title="移交事项 Transfer (`xuncha/transfers/workflow.py`)",
    workflow=TRANSFER_WORKFLOW,
    states=S,
    initial="sent",
)
