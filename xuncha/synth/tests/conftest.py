"""A small synthetic data set per test (two counties of TINY size, dated to a fixed day)."""

from datetime import date

import pytest

from xuncha.synth.context import TINY
from xuncha.synth.generate import generate

AS_OF = date(2026, 11, 20)


@pytest.fixture
def synth(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return generate(counties=2, seed=7, as_of=AS_OF, sizes=TINY)
