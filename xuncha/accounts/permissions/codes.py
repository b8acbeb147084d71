"""Permission codes and roles, declared in code: what each role may do (docs/permissions.md)."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _


class Perm(StrEnum):
    ORG_VIEW = "org.view"
    ORG_MANAGE = "org.manage"
    PERSON_VIEW = "person.view"
    PERSON_MANAGE = "person.manage"
    USER_VIEW = "user.view"
    USER_MANAGE = "user.manage"
    ROLE_ASSIGN = "role.assign"
    AUDIT_VIEW = "audit.view"
    STATS_VIEW = "stats.view"
    ADMIN_SITE = "admin.site"
    ROUND_VIEW = "round.view"
    ROUND_MANAGE = "round.manage"
    TEAM_MANAGE = "team.manage"
    RECUSAL_OVERRIDE = "recusal.override"
    POOL_VIEW = "pool.view"
    POOL_MANAGE = "pool.manage"
    FIELDWORK_VIEW = "fieldwork.view"
    FIELDWORK_EDIT = "fieldwork.edit"
    FIX_VIEW = "fix.view"
    FIX_RESPOND = "fix.respond"
    FIX_REVIEW = "fix.review"
    REPORT_VIEW = "report.view"
    REPORT_HANDLE = "report.handle"
    REPORT_UNLOCK = "report.unlock"
    CALENDAR_MANAGE = "calendar.manage"
    FINDING_VIEW = "finding.view"
    FINDING_EDIT = "finding.edit"
    DRAFT_REVIEW = "draft.review"
    FEEDBACK_VIEW = "feedback.view"
    FEEDBACK_SEND = "feedback.send"
    FOCUS_MANAGE = "focus.manage"
    TRANSFER_VIEW = "transfer.view"
    TRANSFER_SEND = "transfer.send"
    TRANSFER_HANDLE = "transfer.handle"
    RECTIFY_VIEW = "rectify.view"
    RECTIFY_EDIT = "rectify.edit"
    RECTIFY_SIGN = "rectify.sign"
    RECTIFY_REVIEW = "rectify.review"
    RECTIFY_SUPERVISE = "rectify.supervise"
    SUPERVISE_VIEW = "supervise.view"
    SUPERVISE_ASSIGN = "supervise.assign"
    SUPERVISE_COMMENT = "supervise.comment"
    CAMPAIGN_VIEW = "campaign.view"
    CAMPAIGN_MANAGE = "campaign.manage"
    CAMPAIGN_REPORT = "campaign.report"
    SURVEY_MANAGE = "survey.manage"
    TRACE_VIEW = "trace.view"
    SITUATION_VIEW = "situation.view"


PERM_LABELS: dict[Perm, Any] = {
    Perm.ORG_VIEW: _("查看组织机构"),
    Perm.ORG_MANAGE: _("维护组织机构"),
    Perm.PERSON_VIEW: _("查看人员信息"),
    Perm.PERSON_MANAGE: _("维护人员信息"),
    Perm.USER_VIEW: _("查看用户账户"),
    Perm.USER_MANAGE: _("管理用户账户"),
    Perm.ROLE_ASSIGN: _("分配角色权限"),
    Perm.AUDIT_VIEW: _("查阅审计日志"),
    Perm.STATS_VIEW: _("查看统计数据"),
    Perm.ADMIN_SITE: _("使用系统后台"),
    Perm.ROUND_VIEW: _("查看巡察轮次"),
    Perm.ROUND_MANAGE: _("安排巡察轮次"),
    Perm.TEAM_MANAGE: _("组建巡察组"),
    Perm.RECUSAL_OVERRIDE: _("批准不予回避"),
    Perm.POOL_VIEW: _("查看巡察人才库"),
    Perm.POOL_MANAGE: _("维护巡察人才库"),
    Perm.FIELDWORK_VIEW: _("查阅谈话记录与问题底稿"),
    Perm.FIELDWORK_EDIT: _("记录现场工作、撰写底稿"),
    Perm.FIX_VIEW: _("查看立行立改通知"),
    Perm.FIX_RESPOND: _("反馈立行立改情况"),
    Perm.FIX_REVIEW: _("验收立行立改"),
    Perm.REPORT_VIEW: _("查阅信访举报"),
    Perm.REPORT_HANDLE: _("办理信访举报"),
    Perm.REPORT_UNLOCK: _("解锁举报人身份（保管人）"),
    Perm.CALENDAR_MANAGE: _("维护工作日历与期限规则"),
    Perm.FINDING_VIEW: _("查看巡察发现的问题和巡察报告"),
    Perm.FINDING_EDIT: _("汇总问题、起草巡察报告"),
    Perm.DRAFT_REVIEW: _("记录组办会商、领导小组会议和书记专题会审议意见"),
    Perm.FEEDBACK_VIEW: _("查看巡察反馈意见和问题清单"),
    Perm.FEEDBACK_SEND: _("反馈巡察意见"),
    Perm.FOCUS_MANAGE: _("维护巡察监督重点清单"),
    Perm.TRANSFER_VIEW: _("查看移交事项"),
    Perm.TRANSFER_SEND: _("移交问题线索和有关事项"),
    Perm.TRANSFER_HANDLE: _("签收、办理和反馈移交事项"),
    Perm.RECTIFY_VIEW: _("查看整改方案和整改进展"),
    Perm.RECTIFY_EDIT: _("编制整改方案、报告整改进展"),
    Perm.RECTIFY_SIGN: _("签批并报送整改方案（主要负责人）"),
    Perm.RECTIFY_REVIEW: _("联审整改方案、核验销号"),
    Perm.RECTIFY_SUPERVISE: _("督促整改：五书、回访督查、整改评估、问责和公开"),
    Perm.SUPERVISE_VIEW: _("查看领衔督办事项"),
    Perm.SUPERVISE_ASSIGN: _("交办县领导领衔督办事项"),
    Perm.SUPERVISE_COMMENT: _("签署督办意见、会审销号（领衔领导）"),
    Perm.CAMPAIGN_VIEW: _("查看专项整治"),
    Perm.CAMPAIGN_MANAGE: _("部署专项整治"),
    Perm.CAMPAIGN_REPORT: _("报告专项整治进展（行业主管部门）"),
    Perm.SURVEY_MANAGE: _("组织巡后评估、评定巡察组和成员"),
    Perm.TRACE_VIEW: _("泄密溯源：按追溯码或外泄文件查下载人"),
    Perm.SITUATION_VIEW: _("查看情况汇报和综合报告（含问题内容）"),
}


class Role(models.TextChoices):
    SYSADMIN = "sysadmin", _("系统管理员")
    OFFICE_HEAD = "office_head", _("巡察办主任")
    OFFICE_STAFF = "office_staff", _("巡察办工作人员")
    LEADING_GROUP = "leading_group", _("巡察工作领导小组成员")
    TEAM_MEMBER = "team_member", _("巡察组成员")
    UNIT_LEADER = "unit_leader", _("被巡察单位负责人")
    UNIT_LIAISON = "unit_liaison", _("被巡察单位联络员")
    DISCIPLINE_RECEIVER = "discipline_receiver", _("纪委监委承办人")
    ORGANISATION_RECEIVER = "organisation_receiver", _("组织部承办人")
    SECTOR_RECEIVER = "sector_receiver", _("行业主管部门承办人")
    SUPERVISING_LEADER = "supervising_leader", _("分管(联系)县领导")
    UPPER_OFFICE = "upper_office", _("上级巡察办")


# Keeping the organisation tree, people and accounts: the office's and the administrator's.
_ADMINISTRATION = frozenset(
    {
        Perm.ORG_VIEW,
        Perm.ORG_MANAGE,
        Perm.PERSON_VIEW,
        Perm.PERSON_MANAGE,
        Perm.USER_VIEW,
        Perm.USER_MANAGE,
        Perm.ROLE_ASSIGN,
    }
)

_OFFICE = _ADMINISTRATION | frozenset(
    {
        Perm.STATS_VIEW,
        Perm.SITUATION_VIEW,
        Perm.ROUND_VIEW,
        Perm.ROUND_MANAGE,
        Perm.TEAM_MANAGE,
        Perm.POOL_VIEW,
        Perm.POOL_MANAGE,
        Perm.FIELDWORK_VIEW,
        Perm.FIX_VIEW,
        Perm.FIX_REVIEW,
        Perm.REPORT_VIEW,
        Perm.REPORT_HANDLE,
        Perm.FINDING_VIEW,
        Perm.DRAFT_REVIEW,
        Perm.FEEDBACK_VIEW,
        Perm.FEEDBACK_SEND,
        Perm.FOCUS_MANAGE,
        Perm.TRANSFER_VIEW,
        Perm.TRANSFER_SEND,
        Perm.RECTIFY_VIEW,
        Perm.RECTIFY_REVIEW,
        Perm.RECTIFY_SUPERVISE,
        Perm.SUPERVISE_VIEW,
        Perm.SUPERVISE_ASSIGN,
        Perm.CAMPAIGN_VIEW,
        Perm.CAMPAIGN_MANAGE,
        Perm.SURVEY_MANAGE,
    }
)

# An inspected unit: the notices and feedback addressed to it and its own rectification.
_UNIT = frozenset(
    {
        Perm.ORG_VIEW,
        Perm.PERSON_VIEW,
        Perm.FIX_VIEW,
        Perm.FIX_RESPOND,
        Perm.FEEDBACK_VIEW,
        Perm.RECTIFY_VIEW,
        Perm.RECTIFY_EDIT,
        Perm.STATS_VIEW,  # its own figures only (scoped to the unit like everything else)
    }
)

# A receiving body sees only what was sent to it (Transfer.SCOPE_PATH_FIELD is the receiver's path).
_RECEIVER = frozenset({Perm.ORG_VIEW, Perm.TRANSFER_VIEW, Perm.TRANSFER_HANDLE})

# Codes only membership gives: nobody writes a team's papers by holding a role elsewhere, and
# only the county leader a key problem was assigned to signs opinions on it.
MEMBERSHIP_ONLY = frozenset({Perm.FIELDWORK_EDIT, Perm.FINDING_EDIT, Perm.SUPERVISE_COMMENT})

# What the system administrator holds: accounts, the organisation tree and settings, nothing else.
SYSADMIN_PERMS = _ADMINISTRATION | {Perm.ADMIN_SITE, Perm.CALENDAR_MANAGE}

# The reporter's identity has one custodian, the office head (domain.md §7): not the system
# administrator, whose power is technical.
CUSTODIAN_ONLY = frozenset({Perm.REPORT_UNLOCK})

ROLE_PERMS: dict[Role, frozenset[Perm]] = {
    # Separation of duties: the administrator keeps accounts, the organisation tree and settings
    # running and reads no case content (reports, identities, papers, evidence, problems, plans,
    # confidential documents, statistics, the audit log): those need a business role in scope.
    Role.SYSADMIN: SYSADMIN_PERMS,
    Role.OFFICE_HEAD: _OFFICE
    | CUSTODIAN_ONLY
    | {Perm.AUDIT_VIEW, Perm.RECUSAL_OVERRIDE, Perm.CALENDAR_MANAGE, Perm.TRACE_VIEW},
    Role.OFFICE_STAFF: _OFFICE,
    # The leading group hears the teams' reports: it reads problems and drafts, never the papers.
    Role.LEADING_GROUP: frozenset(
        {
            Perm.ORG_VIEW,
            Perm.PERSON_VIEW,
            Perm.STATS_VIEW,
            Perm.SITUATION_VIEW,
            Perm.ROUND_VIEW,
            Perm.FINDING_VIEW,
            Perm.FEEDBACK_VIEW,
        }
    ),
    # Team members hold these only over their own team's round and units, through membership
    # (see register_membership below), never through a role assignment.
    Role.TEAM_MEMBER: frozenset(
        {
            Perm.ROUND_VIEW,
            Perm.FIELDWORK_VIEW,
            Perm.FIELDWORK_EDIT,
            Perm.FIX_VIEW,
            Perm.REPORT_VIEW,
            Perm.REPORT_HANDLE,
            Perm.FINDING_VIEW,
            Perm.FINDING_EDIT,
            Perm.FEEDBACK_VIEW,
            Perm.FEEDBACK_SEND,
            Perm.TRANSFER_VIEW,
            Perm.RECTIFY_VIEW,
        }
    ),
    # An inspected unit sees the notices addressed to it, never the fieldwork behind them.
    # The unit owns its rectification: the liaison drafts and reports, the leader also signs.
    Role.UNIT_LEADER: _UNIT | {Perm.RECTIFY_SIGN},
    Role.UNIT_LIAISON: _UNIT,
    Role.DISCIPLINE_RECEIVER: _RECEIVER,
    Role.ORGANISATION_RECEIVER: _RECEIVER | {Perm.PERSON_VIEW},
    # A sector department also runs the clean-ups assigned to it (Campaign.SCOPE_PATH_FIELD is its path).
    Role.SECTOR_RECEIVER: _RECEIVER | {Perm.CAMPAIGN_VIEW, Perm.CAMPAIGN_REPORT},
    # A membership role: the grant over the county only marks the person as a county leader the
    # office may assign key items to. What they see comes from the assignment (领衔督办: the item,
    # its tasks, their evidence and the letters on them), never from the grant.
    Role.SUPERVISING_LEADER: frozenset({Perm.ORG_VIEW}),
    # 上下联动: statistics of lower levels, never their detail.
    Role.UPPER_OFFICE: frozenset({Perm.STATS_VIEW}),
}

# Roles that come from membership and cannot be granted on the role-assignment page.
MEMBERSHIP_ROLES = frozenset({Role.TEAM_MEMBER})

# Roles whose reach is what an assignment names (a team, a key item, a transfer to their body, a
# clean-up their department leads), not a county: a grant over a subtree gives them no case content
# beyond that. Receivers hold their role over their own body only, so its subtree is the body.
ASSIGNMENT_ROLES = frozenset(
    {
        Role.TEAM_MEMBER,
        Role.SUPERVISING_LEADER,
        Role.DISCIPLINE_RECEIVER,
        Role.ORGANISATION_RECEIVER,
        Role.SECTOR_RECEIVER,
    }
)

# Who may read what people report (text, files, identity once unlocked): the promise on the public
# pages ("仅巡察组和巡察办可以查阅") quotes this list, and tests hold the code to it.
REPORT_READER_ROLES = frozenset({Role.OFFICE_HEAD, Role.OFFICE_STAFF, Role.TEAM_MEMBER})

# Which roles a holder of a role may grant (within their own subtree). Nobody grants a role
# that carries more power than their own.
_GRANTABLE_BY_OFFICE = frozenset(Role) - MEMBERSHIP_ROLES - {Role.SYSADMIN, Role.OFFICE_HEAD}
GRANTABLE_BY: dict[Role, frozenset[Role]] = {
    Role.SYSADMIN: frozenset(Role) - MEMBERSHIP_ROLES,
    Role.OFFICE_HEAD: _GRANTABLE_BY_OFFICE | {Role.OFFICE_HEAD},
    Role.OFFICE_STAFF: _GRANTABLE_BY_OFFICE,
}
