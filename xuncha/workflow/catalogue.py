"""Which state machines docs/workflow.md shows, in which order: each domain's ``workflow.py``
registers its tables here; ``manage.py workflow_docs`` discovers the ``workflow`` module of every
installed app (``autodiscover_modules``), so the kernel names no domain."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.utils.module_loading import autodiscover_modules

from xuncha.workflow.tables import Workflow


@dataclass(frozen=True)
class Diagram:
    order: int
    title: str  # "巡察轮次 Round (`xuncha/plans/workflow.py`)"
    workflow: Workflow
    states: type[models.TextChoices]  # the choices of the model's state field
    initial: str


_DIAGRAMS: dict[str, Diagram] = {}


def document_workflow(
    *, order: int, title: str, workflow: Workflow, states: type[models.TextChoices], initial: str
) -> None:
    _DIAGRAMS[workflow.name] = Diagram(order, title, workflow, states, initial)


def diagrams() -> list[Diagram]:
    autodiscover_modules("workflow")
    return sorted(_DIAGRAMS.values(), key=lambda d: d.order)
