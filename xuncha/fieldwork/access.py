"""Team members reach their own team's field records, papers and notices through membership."""

from typing import Any

from xuncha.accounts.permissions import Perm, access_scoped, register_membership
from xuncha.fieldwork.models import FieldRecord, FixNotice, PaperEvidence, WorkingPaper
from xuncha.plans.access import member_rows, via_team

register_membership(FieldRecord, via_team("team"), rows=member_rows)
register_membership(WorkingPaper, via_team("team"), rows=member_rows)
register_membership(PaperEvidence, via_team("paper__team"), rows=member_rows)
register_membership(FixNotice, via_team("paper__team"), rows=member_rows)


# --- fetch-and-authorise (one query; 404 for both missing and forbidden) -----------------


def access_record(user: Any, pk: Any, code: Perm = Perm.FIELDWORK_VIEW) -> FieldRecord:
    return access_scoped(
        user, code, FieldRecord.objects.select_related("team__round", "target__unit", "interviewee"), pk
    )


def access_paper(user: Any, pk: Any, code: Perm = Perm.FIELDWORK_VIEW) -> WorkingPaper:
    qs = WorkingPaper.objects.select_related(
        "team__round__jurisdiction", "target__unit", "finder", "writer", "signed_by"
    )
    return access_scoped(user, code, qs, pk)


def access_fix(user: Any, pk: Any, code: Perm = Perm.FIX_VIEW) -> FixNotice:
    return access_scoped(user, code, FixNotice.objects.select_related("paper__team__round", "unit"), pk)
