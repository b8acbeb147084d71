"""The one engine that applies a transition of any state machine (``Workflow.apply``).

Every stateful entity moves the same way: lock the row and re-read its state, check the edge,
the permission over the object and the guards, set the state, save, append one event row and one
audit row — all in one transaction, so a refusal leaves nothing written. Domain services add only
what is theirs (timestamps, numbering, records of their own) through the hooks, which receive the
``Step`` under way.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, NamedTuple

from django.apps import apps
from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.utils.translation import gettext as _

from xuncha.accounts.permissions import has_perm
from xuncha.audit.services import audit_record
from xuncha.common.actors import SYSTEM
from xuncha.common.exceptions import ServiceError

if TYPE_CHECKING:
    from xuncha.workflow.tables import Transition, Workflow


@dataclass
class Step:
    """One transition under way, as the hooks see it. Hooks write onto ``obj`` and name the fields
    they changed in ``fields`` (or call ``set``); ``event`` takes extra columns for the event row,
    ``audit`` and ``audit_before`` extra keys for the audit row's ``after`` and ``before``."""

    obj: Any
    transition: Transition
    actor: Any
    data: dict[str, Any]
    from_state: str
    comment: str
    fields: list[str] = field(default_factory=list)
    event: dict[str, Any] = field(default_factory=dict)
    audit: dict[str, Any] = field(default_factory=dict)
    audit_before: dict[str, Any] = field(default_factory=dict)

    @property
    def action(self) -> str:
        return self.transition.action

    @property
    def user(self) -> Any:
        """The acting user for a foreign key (None for SYSTEM)."""
        return _user(self.actor)

    def set(self, **values: Any) -> None:
        for name, value in values.items():
            setattr(self.obj, name, value)
            self.fields.append(name)


class Applied(NamedTuple):
    obj: Any
    event: Any


Hook = Callable[[Step], None]
Authorize = Callable[[Any, "Transition", Any], None]


def _user(actor: Any) -> Any:
    return actor if actor is not SYSTEM and getattr(actor, "is_authenticated", False) else None


def authorize_perm(actor: Any, transition: Transition, obj: Any) -> None:
    """The default check: the transition's permission code over the object (SYSTEM passes)."""
    if actor is not SYSTEM and not has_perm(actor, transition.perm, obj):
        raise PermissionDenied(_("您无权执行“%(action)s”。") % {"action": transition.label})


def _event_model(workflow: Workflow, obj: Any) -> tuple[type[models.Model], str]:
    model = apps.get_model(workflow.event_model)
    link = next(
        f.name for f in model._meta.get_fields() if f.many_to_one and f.concrete and f.related_model is type(obj)
    )
    return model, link


def _refused_edge(workflow: Workflow, transition: Transition, row: Any) -> str:
    state = getattr(row, f"get_{workflow.state_field}_display")()
    return _("当前状态下不能“%(action)s”：%(what)s现为“%(state)s”。") % {
        "action": transition.label,
        "what": row._meta.verbose_name,
        "state": state,
    }


def apply_transition(
    workflow: Workflow,
    obj: Any,
    action: str,
    *,
    actor: Any,
    data: dict[str, Any] | None = None,
    queryset: models.QuerySet[Any] | None = None,
    authorize: Authorize | None = None,
    check: Hook | None = None,
    effect: Hook | None = None,
    not_allowed: str | Callable[[Any], str] | None = None,
) -> Applied:
    """Apply ``action`` to ``obj`` (see the module docstring).

    ``queryset``: where to lock the row from (to join what the guards and hooks read);
    ``authorize``: replaces the default permission check (``authorize_perm``);
    ``check``: the domain's own refusals, after the permission and before the guards;
    ``effect``: the domain's own changes, after the state is set and before the row is saved;
    ``not_allowed``: the domain's wording (or a function of the locked row giving it) when the
    action is not allowed from the current state.
    """
    with transaction.atomic():
        qs = queryset if queryset is not None else type(obj)._default_manager.all()
        row = qs.select_for_update(of=("self",)).get(pk=obj.pk)
        step = _checked_step(workflow, row, action, actor, data or {}, authorize, not_allowed)
        if check:
            check(step)
        reasons = workflow.refusals(step.transition, row, step.data)
        if reasons:
            raise ServiceError(reasons)
        setattr(row, workflow.state_field, step.transition.target)
        step.fields.append(workflow.state_field)
        if effect:
            effect(step)
        if any(f.name == "updated_at" for f in row._meta.concrete_fields):
            step.fields.append("updated_at")
        row.save(update_fields=list(dict.fromkeys(step.fields)))
        return Applied(row, _record(workflow, step))


def _checked_step(
    workflow: Workflow,
    row: Any,
    action: str,
    actor: Any,
    data: dict[str, Any],
    authorize: Authorize | None,
    not_allowed: str | Callable[[Any], str] | None,
) -> Step:
    """The action exists, the actor may take it on this row, and the stored state allows it."""
    transition = workflow.get(action)
    if transition is None:
        raise ServiceError(_("没有“%(action)s”这一操作。") % {"action": action})
    # The permission first: whoever may not act learns nothing about the state.
    (authorize or authorize_perm)(actor, transition, row)
    from_state = getattr(row, workflow.state_field)
    if from_state not in transition.sources:
        message = not_allowed(row) if callable(not_allowed) else not_allowed
        raise ServiceError(message or _refused_edge(workflow, transition, row))
    data = {**data, "actor": actor}
    return Step(row, transition, actor, data, from_state, (data.get("comment") or "").strip())


def _record(workflow: Workflow, step: Step) -> Any:
    """The event row and the audit row of a step that has been saved."""
    event_model, link = _event_model(workflow, step.obj)
    event = event_model._default_manager.create(
        **{link: step.obj},
        action=step.action,
        from_state=step.from_state,
        to_state=step.transition.target,
        actor=step.user,
        comment=step.comment,
        **step.event,
    )
    after = {"state": step.transition.target, **({"comment": step.comment} if step.comment else {}), **step.audit}
    audit_record(
        actor=step.actor,
        action=f"{workflow.audit_prefix}.{step.action}",
        target=step.obj,
        before={"state": step.from_state, **step.audit_before},
        after=after,
    )
    return event
