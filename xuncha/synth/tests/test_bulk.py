"""The generator's bulk helpers: ``new`` builds what the model's constructor builds, and ids come
from each county's own block."""

import uuid
from datetime import date

import pytest
from django.db import models
from django.db.models import signals

from xuncha.accounts.models import User
from xuncha.files.models import StoredFile
from xuncha.findings.models import Problem
from xuncha.rectification.models import Task, TaskUpdate
from xuncha.synth.bulk import IdBlocks, at, new
from xuncha.synth.generate import MODELS


def _fields(obj: models.Model) -> dict:
    return {k: v for k, v in vars(obj).items() if k != "_state"}


def test_new_builds_what_the_constructor_builds():
    task, user, when = Task(pk=5), User(pk=3), at(date(2026, 3, 2), 14)
    values = {"pk": 7, "task": task, "kind": "progress", "text": "按计划推进", "actor": user, "created_at": when}
    made, built = new(TaskUpdate, **values), TaskUpdate(**values)
    assert _fields(made) == _fields(built)
    assert made.task is task and made.actor is user  # related instances cached, as the constructor does
    assert made._state.adding and made._state.db is None
    # Defaults, computed ones included (a fresh list per row, a fresh UUID per file unless given).
    problems = [new(Problem, pk=n) for n in (1, 2)]
    assert problems[0].disciplines == [] and problems[0].disciplines is not problems[1].disciplines
    assert _fields(new(Problem, pk=1)) == _fields(Problem(pk=1))
    assert new(StoredFile).id != new(StoredFile).id
    given = uuid.uuid4()
    assert new(StoredFile, id=given).id == given
    with pytest.raises(TypeError, match="unexpected field"):
        new(TaskUpdate, pk=1, nonsense=1)


def test_generated_models_leave_construction_to_django():
    # What ``new`` relies on: no model of the generator has its own __init__ or init signals.
    for model in MODELS:
        assert model.__init__ is models.Model.__init__, model
        assert not signals.pre_init.has_listeners(model) and not signals.post_init.has_listeners(model), model


def test_each_county_takes_its_ids_from_its_own_block():
    blocks = IdBlocks({Task._meta.label: 101}, block=10)
    first, third = blocks.ids(1), blocks.ids(3)
    assert [first.next(Task) for _ in range(3)] == [111, 112, 113]
    assert third.next(Task) == 131  # whatever the counties before it made
    for _ in range(9):
        third.next(Task)
    with pytest.raises(OverflowError):
        third.next(Task)  # never into the next county's block
