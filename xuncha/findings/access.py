"""A team reaches the problems, reports and feedback of its own round work; nobody else's."""

from xuncha.accounts.permissions import register_membership
from xuncha.findings.models import Feedback, InspectionReport, Problem, ReportVersion
from xuncha.plans.access import via_team

register_membership(Problem, via_team("team"))
register_membership(InspectionReport, via_team("team"))
register_membership(ReportVersion, via_team("report__team"))
register_membership(Feedback, via_team("team"))
