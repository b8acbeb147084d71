"""A round on site with one staffed team covering one unit, for fieldwork tests."""

from datetime import date

from django.core.files.uploadedfile import SimpleUploadedFile

from xuncha.accounts import services as accounts
from xuncha.accounts.tests.factories import make_unit, make_user
from xuncha.common.actors import SYSTEM
from xuncha.plans import services as plans
from xuncha.plans.models import TeamRole
from xuncha.plans.tests.factories import make_round, make_staffed_team

# A real (if empty) PDF, with the cross-reference table readers need: reports from the public
# are rewritten by a PDF library (files.scrub), which refuses what it cannot read.
PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
    b"xref\n0 3\n0000000000 65535 f \n0000000009 00000 n \n0000000052 00000 n \n"
    b"trailer<</Size 3/Root 1 0 R>>\nstartxref\n96\n%%EOF\n"
)


def pdf(name="证据.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def on_site(world, county_key="a"):
    """Round on site; team with leader/deputy/member (each with an account); the town as target."""
    side = getattr(world, county_key)
    rnd = make_round(side["county"])
    office = make_unit(side["county"], f"{side['county'].name}巡察办", "department")
    team = make_staffed_team(rnd, [side["town"]], office, size=3)
    target = rnd.targets.get(unit=side["town"])
    plans.announcement_save(
        actor=SYSTEM, target=target, phone="1", opens_on=date(2026, 9, 1), closes_on=date(2026, 10, 31)
    )
    for action, data in [
        ("approve", {"approved_on": date(2026, 8, 1), "approval_meeting": "会"}),
        ("prepare", {}),
        ("enter", {}),
    ]:
        plans.round_transition(obj=rnd, action=action, actor=SYSTEM, data=data)
    users = {}
    members = {m.role: m for m in team.members.select_related("person")}
    deputy = members[TeamRole.MEMBER]
    team.members.filter(pk=deputy.pk).update(role=TeamRole.DEPUTY)
    for role, member in (("leader", members[TeamRole.LEADER]), ("deputy", deputy)):
        users[role] = _account(member.person, office, f"{role}_{team.pk}_{county_key}")
    third = team.members.exclude(person__in=[members[TeamRole.LEADER].person, deputy.person]).first()
    users["member"] = _account(third.person, office, f"member_{team.pk}_{county_key}")
    return {"round": rnd, "team": team, "target": target, "users": users, "office": office}


def _account(person, unit, username):
    user = make_user(unit, username=username)
    return accounts.user_update(actor=SYSTEM, user=user, full_name=person.name, unit=unit, person=person)
