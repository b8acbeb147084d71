"""A round in each county of the ``world``: two teams, an announcement, office and member accounts."""

from __future__ import annotations

import io
from datetime import date

from django.core.files.uploadedfile import SimpleUploadedFile
from docx import Document

from xuncha.accounts import services as accounts
from xuncha.accounts.permissions import Role
from xuncha.accounts.tests.factories import World, make_user
from xuncha.common.actors import SYSTEM
from xuncha.documents.kinds import SPECS
from xuncha.plans import services as plans
from xuncha.plans.tests.factories import make_round, make_staffed_team

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


class DocumentsWorld:
    def __init__(self, world: World) -> None:
        self.world = world
        self.a = self._county(world.a)
        self.b = self._county(world.b)

    def _county(self, side: dict) -> dict:
        county = side["county"]
        rnd = make_round(county, name=f"{county.name}2026年第1轮巡察")
        team = make_staffed_team(rnd, [side["town"], side["village"]], side["dept"], size=3)
        team = plans.team_update(
            actor=SYSTEM, team=team, phone="0000-6662001", mailbox="A001信箱", email="xcz@example.gov.cn"
        )
        other = make_staffed_team(rnd, [side["dept"]], side["town"], size=2)
        town_target = rnd.targets.get(unit=side["town"])
        plans.announcement_save(
            actor=SYSTEM,
            target=town_target,
            phone="0000-6662001",
            mailbox="A001信箱",
            email="xcz@example.gov.cn",
            address=f"{county.name}人民路1号",
            opens_on=date(2026, 9, 1),
            closes_on=date(2026, 10, 31),
            published_on=date(2026, 9, 1),
        )
        office = make_user(side["dept"], Role.OFFICE_HEAD, scope=county)
        office = accounts.user_update(
            actor=SYSTEM, user=office, full_name=f"{county.name}巡察办主任", unit=side["dept"]
        )
        return {
            "county": county,
            "round": rnd,
            "team": team,
            "other_team": other,
            "town_target": town_target,
            "village_target": rnd.targets.get(unit=side["village"]),
            "dept_target": rnd.targets.get(unit=side["dept"]),
            "office": office,
            "member": self._member_account(team, side),
            "other_member": self._member_account(other, side),
        }

    @staticmethod
    def _member_account(team, side: dict):
        member = team.members.select_related("person").order_by("id").last()
        user = make_user(side["dept"])
        return accounts.user_update(
            actor=SYSTEM, user=user, full_name=member.person.name, unit=side["dept"], person=member.person
        )


def default_template(kind: str) -> Document:
    return Document(str(SPECS[kind].default_path))


def docx_bytes(document: Document) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def replace_text(kind: str, old: str, new: str) -> bytes:
    """The default template of ``kind`` with one paragraph's text changed (what an office does in Word)."""
    document = default_template(kind)
    paragraph = next(p for p in document.paragraphs if p.text == old)
    paragraph.text = new
    return docx_bytes(document)


def upload(data: bytes, name: str = "模板.docx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=DOCX_TYPE)
