"""The navigation bar, built from what the user may do (one place, so it never drifts)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from xuncha.accounts.permissions import Perm, has_perm

NAV_ITEMS = [
    # (label, url name, permission or None, section used for highlighting)
    (_("我的工作"), "home", None, "home"),
    (_("巡察轮次"), "plans:round_list", Perm.ROUND_VIEW, "rounds"),
    (_("信访举报"), "intake:report_list", Perm.REPORT_VIEW, "reports"),
    (_("立行立改"), "fieldwork:fix_list", Perm.FIX_VIEW, "fixes"),
    (_("报告审议"), "findings:office_queue", Perm.DRAFT_REVIEW, "review"),
    (_("巡察反馈"), "findings:unit_feedback_list", Perm.FEEDBACK_VIEW, "feedback"),
    (_("巡察整改"), "rectification:plan_list", Perm.RECTIFY_VIEW, "rectification"),
    (_("移交事项"), "transfers:transfer_list", Perm.TRANSFER_VIEW, "transfers"),
    # County leaders and sector departments reach their pages here; the office through 巡察整改.
    (_("领衔督办"), "rectification:assignment_list", Perm.SUPERVISE_VIEW, "supervision"),
    (_("专项整治"), "rectification:campaign_list", Perm.CAMPAIGN_VIEW, "campaigns"),
    (_("统计分析"), "analytics:dashboard", Perm.STATS_VIEW, "stats"),
]
# Shown only to users without this code (the office reaches them from inside its own section).
NAV_UNLESS = {"supervision": Perm.RECTIFY_REVIEW, "campaigns": Perm.RECTIFY_REVIEW}
# Set-up and reference pages, in one "管理" menu so the bar stays one line on a laptop screen.
MANAGE_ITEMS = [
    (_("人才库"), "plans:pool_list", Perm.POOL_VIEW, "pool"),
    (_("组织机构"), "accounts:unit_tree", Perm.ORG_VIEW, "org"),
    (_("人员信息"), "accounts:person_list", Perm.PERSON_VIEW, "people"),
    (_("用户与授权"), "accounts:user_list", Perm.USER_VIEW, "users"),
    (_("审计日志"), "audit:entry_list", Perm.AUDIT_VIEW, "audit"),
    (_("泄密溯源"), "documents:trace", Perm.TRACE_VIEW, "trace"),
    # The office reads the rules; whoever holds calendar.manage (office head, administrator) edits them.
    (_("期限与日历"), "workspace:calendar", (Perm.ROUND_MANAGE, Perm.CALENDAR_MANAGE), "settings"),
    (_("监督重点清单"), "findings:focus_list_index", Perm.FOCUS_MANAGE, "focus"),
    (_("巡后评估"), "appraisal:index", Perm.SURVEY_MANAGE, "appraisal"),
    (_("消息推送"), "notify:channel_list", Perm.CALENDAR_MANAGE, "channels"),
]


def _allowed(user, code) -> bool:
    """``code`` is None (everyone), one code, or a tuple of codes any of which will do."""
    if code is None:
        return True
    return any(has_perm(user, c) for c in (code if isinstance(code, tuple) else (code,)))


def _items(entries, user, section):
    return [
        {"label": label, "url": reverse(name), "active": key == section}
        for label, name, code, key in entries
        if _allowed(user, code) and not (key in NAV_UNLESS and has_perm(user, NAV_UNLESS[key]))
    ]


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    section = getattr(request, "nav_section", None)
    match = getattr(request, "resolver_match", None)
    if section is None and match is not None:
        section = _section_of(match.url_name or "", match.namespace)
    manage = _items(MANAGE_ITEMS, user, section)
    return {
        "nav_items": _items(NAV_ITEMS, user, section),
        "nav_manage": manage,
        "nav_manage_active": any(item["active"] for item in manage),
        "nav_admin": has_perm(user, Perm.ADMIN_SITE),
    }


def _section_of(url_name: str, namespace: str) -> str:
    if namespace == "audit":
        return "audit"
    if namespace == "analytics":
        return "stats"
    if namespace == "appraisal":
        return "appraisal"
    if namespace == "workspace":
        return "settings"
    if namespace == "intake":
        return "reports"
    if namespace == "rectification":
        if url_name.startswith("assignment_"):
            return "supervision"
        return "campaigns" if url_name.startswith("campaign_") else "rectification"
    if namespace == "transfers":
        return "transfers"
    if namespace == "findings":
        if url_name.startswith("unit_"):
            return "feedback"
        if url_name.startswith("focus_"):
            return "focus"
        return "review" if url_name == "office_queue" else "rounds"
    if namespace == "fieldwork":
        return "fixes" if url_name.startswith("fix") else "rounds"
    if namespace == "plans":
        return "pool" if url_name.startswith("pool") else "rounds"
    if namespace == "accounts":
        for prefix, key in (
            ("unit", "org"),
            ("person", "people"),
            ("post", "people"),
            ("relation", "people"),
            ("user", "users"),
            ("role", "users"),
        ):
            if url_name.startswith(prefix):
                return key
    return "home"
