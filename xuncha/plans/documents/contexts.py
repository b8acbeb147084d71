"""Contexts of the planning documents: the team's authorisation, the entry notice, the announcement.

Plain data only (see ``xuncha.documents.contexts``). ``team_block`` and ``target_block`` are the
team and the inspected unit as every later document names them; the findings documents reuse them.
The ``*_sample`` functions give the same shapes with made-up values (registered in ``__init__``).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _

from xuncha.accounts.models import OrgUnit
from xuncha.common.exceptions import ServiceError
from xuncha.documents.contexts import LEVEL_CHARS, SAMPLE_NAMES, cn_date, jurisdiction_names
from xuncha.documents.rendering import qr_image
from xuncha.plans.models import Announcement, RoundTarget, Team, TeamRole
from xuncha.plans.selectors import entry_notice_due

ROLE_ORDER = (TeamRole.LEADER, TeamRole.DEPUTY, TeamRole.LIAISON, TeamRole.MEMBER)


def report_url(announcement: Announcement | None = None) -> str:
    """Where the public files a report online: the announcement's own form when given, else the list
    of open windows. Built on the public base URL, not the intranet host the office uses: that is
    what a citizen's phone must reach."""
    path = (
        reverse("intake_public:report_form", args=[announcement.pk])
        if announcement
        else reverse("intake_public:window_list")
    )
    return settings.XUNCHA_PUBLIC_BASE_URL.rstrip("/") + path


def _doc_no(jurisdiction: OrgUnit, year: int, organ: str) -> str:
    # There is no numbering register yet: the number itself is left blank (a full-width space)
    # for the office to fill in, the way paper forms are.
    short = jurisdiction.name[:-1] if jurisdiction.name[-1] in LEVEL_CHARS else jurisdiction.name
    return f"{short}{organ}〔{year}〕\u3000号"


def team_block(team: Team, names: dict[str, str]) -> dict[str, Any]:
    label = str(team)  # 第一巡察组
    return {
        "number": team.number,
        "name": label,
        "full_name": f"{names['committee_short']}{label}",
        "signer": f"{names['committee']}{label}",
        "phone": team.phone,
        "mailbox": team.mailbox,
        "email": team.email,
    }


def _role_labels() -> dict[str, str]:
    return {
        TeamRole.LEADER: _("组长"),
        TeamRole.DEPUTY: _("副组长"),
        TeamRole.LIAISON: _("联络员"),
        TeamRole.MEMBER: _("成员"),
    }


def _members(team: Team) -> tuple[dict[str, list[str]], list[dict[str, str]]]:
    """Names by role (``members``) and one line per role that has anyone (``member_lines``)."""
    by_role: dict[str, list[str]] = {role.value: [] for role in ROLE_ORDER}
    for member in team.members.select_related("person").order_by("id"):
        by_role[member.role].append(member.person.name)
    labels = _role_labels()
    lines = [{"role": labels[role], "names": "、".join(by_role[role])} for role in ROLE_ORDER if by_role[role]]
    return by_role, lines


def _contact(by_role: dict[str, list[str]]) -> str:
    # The liaison (联络员) is who a unit calls; without one, the leader.
    for role in (TeamRole.LIAISON, TeamRole.LEADER, TeamRole.DEPUTY, TeamRole.MEMBER):
        if by_role[role]:
            return by_role[role][0]
    return ""


def target_block(target: RoundTarget, index: int = 1) -> dict[str, Any]:
    unit = target.unit
    entry, exit_ = cn_date(target.on_site_from), cn_date(target.on_site_to)
    return {
        "index": index,
        "unit": unit.party_org_name or unit.name,
        "unit_name": unit.name,
        "mode": target.get_mode_display(),
        "theme": target.theme,
        "entry": entry,
        "exit": exit_,
        "period": f"{entry}至{exit_}",
    }


def authorisation_context(team: Team, *, today: date) -> dict[str, Any]:
    rnd = team.round
    names = jurisdiction_names(rnd.jurisdiction)
    targets = list(team.targets.select_related("unit", "round").order_by("unit__path"))
    by_role, lines = _members(team)
    starts = [t.on_site_from for t in targets] or [rnd.entry_date]
    ends = [t.on_site_to for t in targets] or [rnd.exit_date]
    organ = rnd.approval_meeting or _("%(level)s巡察工作领导小组") % {"level": names["committee_short"]}
    return {
        **names,
        "issuer": names["leading_group"],
        "doc_no": _doc_no(rnd.jurisdiction, rnd.year, "巡"),
        "secrecy": _("内部"),
        "round": {
            "name": rnd.name,
            "year": rnd.year,
            "number": rnd.number,
            "entry": cn_date(rnd.entry_date),
            "exit": cn_date(rnd.exit_date),
        },
        "team": team_block(team, names),
        "members": by_role,
        "member_lines": lines,
        "targets": [target_block(t, i) for i, t in enumerate(targets, start=1)],
        "valid_from": cn_date(min(starts)),
        "valid_to": cn_date(max(ends)),
        "approval": _("经%(organ)s研究决定") % {"organ": organ},
        "date": cn_date(rnd.approved_on or today),
    }


def _require_team(target: RoundTarget) -> Team:
    if target.team is None:
        raise ServiceError(_("请先为%(unit)s分配巡察组，再生成文书。") % {"unit": target.unit.name})
    return target.team


def entry_notice_context(target: RoundTarget, *, today: date) -> dict[str, Any]:
    team = _require_team(target)
    rnd = target.round
    names = jurisdiction_names(rnd.jurisdiction)
    by_role, lines = _members(team)
    item = target_block(target)
    return {
        **names,
        "issuer": names["office"],
        "doc_no": _doc_no(rnd.jurisdiction, rnd.year, "巡办"),
        "secrecy": _("内部"),
        "addressee": item["unit"],
        **{key: item[key] for key in ("unit", "unit_name", "mode", "theme", "entry", "exit", "period")},
        "team": team_block(team, names),
        "members": by_role,
        "member_lines": lines,
        # The round's rule and entry date (plans.selectors); a target's own later entry date
        # would give it more time, never less, so the round's date is the safe one.
        "notice_due": cn_date(entry_notice_due(rnd=rnd)["date"]),
        "contact": {"name": _contact(by_role), "phone": team.phone},
        "date": cn_date(today),
    }


def scope_text() -> str:
    """What the team accepts from the public (domain.md §3: leaders and key-post cadres only)."""
    return _("被巡察党组织领导班子及其成员、下一级党组织主要负责人和重要岗位领导干部的问题")


def announcement_context(announcement: Announcement, *, today: date) -> dict[str, Any]:
    target = announcement.target
    team = _require_team(target)
    names = jurisdiction_names(target.round.jurisdiction)
    item = target_block(target)
    block = team_block(team, names)
    url = report_url(announcement)
    return {
        **names,
        **{key: item[key] for key in ("unit", "unit_name", "mode", "theme", "entry", "exit", "period")},
        "team": block,
        "scope": scope_text(),
        "phone": announcement.phone,
        "mailbox": announcement.mailbox,
        "email": announcement.email,
        "address": announcement.address,
        "opens_on": cn_date(announcement.opens_on),
        "closes_on": cn_date(announcement.closes_on),
        "report_url": url,
        "report_qr": qr_image(url),
        "signer": block["signer"],
        "date": cn_date(announcement.published_on or today),
    }


# --- samples: the same shapes, made-up values (checking an uploaded template) ---------------------

SAMPLE_TEAM = {
    "number": 1,
    "name": "第一巡察组",
    "full_name": "县委第一巡察组",
    "signer": "中共示例县委第一巡察组",
    "phone": "0000-1234567",
    "mailbox": "示例县A001信箱",
    "email": "xcz@example.gov.cn",
}
SAMPLE_TARGET = {
    "index": 1,
    "unit": "中共示例县财政局党组",
    "unit_name": "示例县财政局",
    "mode": "专项巡察",
    "theme": "惠民惠农财政补贴资金管理",
    "entry": "2026年11月2日",
    "exit": "2026年12月31日",
    "period": "2026年11月2日至2026年12月31日",
}
_SAMPLE_MEMBERS = {"leader": ["张三"], "deputy": ["李四"], "liaison": ["王五"], "member": ["赵六", "钱七"]}
_SAMPLE_LINES = [
    {"role": "组长", "names": "张三"},
    {"role": "副组长", "names": "李四"},
    {"role": "联络员", "names": "王五"},
    {"role": "成员", "names": "赵六、钱七"},
]
_TARGET_KEYS = ("unit", "unit_name", "mode", "theme", "entry", "exit", "period")


def _sample_common() -> dict[str, Any]:
    return {**SAMPLE_NAMES, "team": dict(SAMPLE_TEAM), "date": "2026年10月12日"}


def _sample_people() -> dict[str, Any]:
    return {"members": dict(_SAMPLE_MEMBERS), "member_lines": list(_SAMPLE_LINES)}


def authorisation_sample() -> dict[str, Any]:
    return {
        **_sample_common(),
        **_sample_people(),
        "issuer": SAMPLE_NAMES["leading_group"],
        "doc_no": "示例巡〔2026〕\u3000号",
        "secrecy": "内部",
        "round": {
            "name": "县委第十四届第八轮巡察",
            "year": 2026,
            "number": 8,
            "entry": "2026年11月2日",
            "exit": "2026年12月31日",
        },
        "targets": [dict(SAMPLE_TARGET)],
        "valid_from": "2026年11月2日",
        "valid_to": "2026年12月31日",
        "approval": "经县委巡察工作领导小组2026年第3次会议研究决定",
    }


def entry_notice_sample() -> dict[str, Any]:
    return {
        **_sample_common(),
        **_sample_people(),
        **{key: SAMPLE_TARGET[key] for key in _TARGET_KEYS},
        "issuer": SAMPLE_NAMES["office"],
        "doc_no": "示例巡办〔2026〕\u3000号",
        "secrecy": "内部",
        "addressee": SAMPLE_TARGET["unit"],
        "notice_due": "2026年10月19日",
        "contact": {"name": "王五", "phone": "0000-1234567"},
    }


def announcement_sample() -> dict[str, Any]:
    return {
        **_sample_common(),
        **{key: SAMPLE_TARGET[key] for key in _TARGET_KEYS},
        "scope": scope_text(),
        "phone": "0000-1234567",
        "mailbox": "示例县A001信箱",
        "email": "xcz@example.gov.cn",
        "address": "示例县人民路1号",
        "opens_on": "2026年11月2日",
        "closes_on": "2026年12月31日",
        "report_url": report_url(),
        "report_qr": qr_image(report_url()),
        "signer": SAMPLE_TEAM["signer"],
    }
