"""A team sees the reports about the units it covers; never another team's."""

from xuncha.accounts.permissions import register_membership
from xuncha.intake.models import Report, ReportAttachment, ReportMessage
from xuncha.plans.access import via_team

register_membership(Report, via_team("target__team"))
register_membership(ReportAttachment, via_team("report__target__team"))
register_membership(ReportMessage, via_team("report__target__team"))
