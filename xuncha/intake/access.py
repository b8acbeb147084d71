"""A team sees the reports about the units it covers; never another team's."""

from typing import Any

from xuncha.accounts.permissions import Perm, access_scoped, register_membership
from xuncha.intake.models import Report, ReportAttachment, ReportMessage
from xuncha.plans.access import member_rows, via_team

register_membership(Report, via_team("target__team"), rows=member_rows)
register_membership(ReportAttachment, via_team("report__target__team"), rows=member_rows)
register_membership(ReportMessage, via_team("report__target__team"), rows=member_rows)


# --- fetch-and-authorise (one query; 404 for both missing and forbidden) -----------------


def access_report(user: Any, pk: Any, code: Perm = Perm.REPORT_VIEW) -> Report:
    return access_scoped(
        user, code, Report.objects.select_related("round__jurisdiction", "target__unit", "target__team"), pk
    )
