"""Questionnaire versions and the scoring rule of a jurisdiction."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from xuncha.accounts.permissions import Perm, require
from xuncha.appraisal.defaults import load_default
from xuncha.appraisal.models import Aspect, Item, Questionnaire, Scale, ScoringRule
from xuncha.appraisal.scoring import RULE_FIELDS
from xuncha.audit.services import audit_record
from xuncha.common.exceptions import ServiceError

MAX_ASPECTS, MAX_ITEMS = 10, 15


def ensure_defaults() -> None:
    """The default questionnaire and rule come with migration 0002; put them back if removed."""
    load_default(Questionnaire, Aspect, Item)
    if not ScoringRule.objects.filter(jurisdiction__isnull=True).exists():
        ScoringRule.objects.create(jurisdiction=None)


def parse_structure(text: str) -> list[tuple[str, list[str]]]:
    """Blocks separated by an empty line; a block's first line names the aspect, the others are
    its items. Raises ServiceError with the reason when the text does not make a questionnaire."""
    blocks = [[line.strip() for line in block.splitlines() if line.strip()] for block in text.split("\n\n")]
    aspects = [(lines[0].rstrip("：:"), lines[1:]) for lines in blocks if lines]
    if not aspects:
        raise ServiceError(_("请填写评价方面和评价项目。"))
    if len(aspects) > MAX_ASPECTS:
        raise ServiceError(_("评价方面不能超过%(n)s个。") % {"n": MAX_ASPECTS})
    for name, items in aspects:
        if not items:
            raise ServiceError(_("评价方面“%(name)s”下没有评价项目。") % {"name": name})
        if len(items) > MAX_ITEMS:
            raise ServiceError(_("评价方面“%(name)s”的项目不能超过%(n)s个。") % {"name": name, "n": MAX_ITEMS})
        if len(name) > 50 or any(len(item) > 200 for item in items):
            raise ServiceError(_("评价方面不超过50个字，每个评价项目不超过200个字。"))
    names = [name for name, _items in aspects]
    if len(set(names)) != len(names):
        raise ServiceError(_("评价方面的名称不能重复。"))
    return aspects


@transaction.atomic
def questionnaire_publish(
    *, actor: Any, jurisdiction: Any, title: str, scale: str, structure: str, comment_prompt: str = ""
) -> Questionnaire:
    """A new version for the jurisdiction; surveys already opened keep theirs."""
    require(actor, Perm.SURVEY_MANAGE, jurisdiction)
    if not (title or "").strip():
        raise ServiceError(_("请填写问卷名称。"))
    if scale not in Scale.values:
        raise ServiceError(_("请选择评价方式。"))
    aspects = parse_structure(structure)
    # Lock the jurisdiction's versions so two publishers do not take the same number.
    list(Questionnaire.objects.select_for_update().filter(jurisdiction=jurisdiction).values_list("pk", flat=True))
    version = (Questionnaire.objects.filter(jurisdiction=jurisdiction).aggregate(v=Max("version"))["v"] or 0) + 1
    q = Questionnaire.objects.create(
        jurisdiction=jurisdiction,
        version=version,
        title=title.strip(),
        scale=scale,
        comment_prompt=comment_prompt.strip(),
        created_by=actor,
    )
    for order, (name, items) in enumerate(aspects, start=1):
        aspect = Aspect.objects.create(questionnaire=q, order=order, name=name)
        Item.objects.bulk_create([Item(aspect=aspect, order=i, text=t) for i, t in enumerate(items, start=1)])
    audit_record(
        actor=actor,
        action="appraisal.questionnaire.publish",
        target=q,
        after={"version": version, "scale": scale, "aspects": [[n, items] for n, items in aspects]},
    )
    return q


@transaction.atomic
def rule_update(*, actor: Any, jurisdiction: Any, **values: int) -> ScoringRule:
    require(actor, Perm.SURVEY_MANAGE, jurisdiction)
    weights = [values[f] for f in ("w_survey", "w_problems", "w_cases", "w_rectify")]
    if any(w < 0 for w in weights) or sum(weights) != 100:
        raise ServiceError(_("四项权重之和须为100。"))
    if not 0 < values["threshold"] <= 100:
        raise ServiceError(_("预警分数线须在1至100之间。"))
    if values["problems_per_unit"] < 1 or values["cases_target"] < 1:
        raise ServiceError(_("基准数至少为1。"))
    rule, _created = ScoringRule.objects.select_for_update().get_or_create(jurisdiction=jurisdiction)
    before = {f: getattr(rule, f) for f in RULE_FIELDS}
    for name in RULE_FIELDS:
        setattr(rule, name, values[name])
    rule.updated_by = actor
    rule.save(update_fields=[*RULE_FIELDS, "updated_by", "updated_at"])
    audit_record(actor=actor, action="appraisal.rule.update", target=rule, before=before, after=values)
    return rule
