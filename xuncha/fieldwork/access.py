"""Team members reach their own team's field records, papers and notices through membership."""

from xuncha.accounts.permissions import register_membership
from xuncha.fieldwork.models import FieldRecord, FixNotice, PaperEvidence, WorkingPaper
from xuncha.plans.access import via_team

register_membership(FieldRecord, via_team("team"))
register_membership(WorkingPaper, via_team("team"))
register_membership(PaperEvidence, via_team("paper__team"))
register_membership(FixNotice, via_team("paper__team"))
