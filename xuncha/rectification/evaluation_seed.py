"""The default rectification evaluation sheet (domain.md §3.9): 100 points with deductions, grades
好 ≥ 90, 较好 ≥ 80, 一般 ≥ 60, else 差. Loaded by a migration; offices version their own from it."""

from __future__ import annotations

from typing import Any

DEFAULT_SHEET_NAME = "巡察整改评估指标表"

# (code, label, points, what is deducted)
DEFAULT_ITEMS: list[tuple[str, str, int, str]] = [
    ("A1", "主体责任落实", 10, "主要负责人未履行第一责任人职责、未亲自研究部署整改的，扣2至10分。"),
    ("A2", "整改方案制定", 10, "未按期报送整改方案的扣3分；措施不具体、责任不明确被退回的，每次扣2分。"),
    ("A3", "专题民主生活会", 5, "未按期召开或对照检查不深刻的，扣2至5分。"),
    ("B1", "按期销号", 20, "每有1项任务逾期未完成扣2分；核验不合格退回的，每项扣1分。"),
    ("B2", "立行立改", 10, "立行立改事项未及时完成的，每项扣2分。"),
    ("B3", "长期坚持事项", 5, "长期坚持事项未按期报告进展的，每次扣1分。"),
    ("B4", "举一反三、建章立制", 10, "针对共性问题未建立或修订制度的，扣2至10分。"),
    ("C1", "移交事项办理配合", 10, "对移交问题线索和事项配合不力的，扣2至10分。"),
    ("D1", "整改报告报送", 5, "未按期报送整改情况报告和主要负责人组织落实情况报告的，扣3至5分。"),
    ("D2", "整改情况公开", 5, "未按规定公开整改进展的，扣2至5分。"),
    ("E1", "干部群众满意度", 10, "回访督查中干部群众反映整改不到位的，扣2至10分。"),
]


def default_items() -> list[dict[str, Any]]:
    return [{"code": c, "label": label, "points": p, "guidance": g} for c, label, p, g in DEFAULT_ITEMS]


def load(apps: Any = None) -> None:
    """Create the default sheet if it is missing (idempotent; the migration and test set-up call it)."""
    if apps is None:
        from django.apps import apps as django_apps

        apps = django_apps
    sheet = apps.get_model("rectification", "EvaluationSheet")
    sheet.objects.get_or_create(
        jurisdiction=None, name=DEFAULT_SHEET_NAME, version=1, defaults={"items": default_items()}
    )
