"""The generator writes fake people, reports and audit rows: ``synth --append`` adds them only to a
database the generator made (one with a ``SynthDataset`` marker), and production settings do not
install the generator at all."""

import io
import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from xuncha.accounts.models import OrgUnit, UnitType
from xuncha.accounts.tests.factories import make_unit
from xuncha.synth.context import TINY
from xuncha.synth.generate import SynthRefused, generate
from xuncha.synth.models import SynthDataset
from xuncha.synth.tests.conftest import AS_OF


@pytest.fixture
def real_data(db, settings, tmp_path):
    """A database with data the generator did not make (no SynthDataset row)."""
    settings.MEDIA_ROOT = tmp_path
    return make_unit(name="某县")


def test_append_refuses_a_database_without_the_synthetic_marker(real_data):
    with pytest.raises(CommandError, match="不是合成数据.*--allow-non-synthetic"):
        call_command("synth", "--counties", "1", "--tiny", "--append", "--as-of", AS_OF.isoformat())
    with pytest.raises(SynthRefused):
        generate(counties=1, as_of=AS_OF, sizes=TINY, append=True)
    assert not SynthDataset.objects.exists()
    assert not OrgUnit.objects.filter(unit_type=UnitType.COUNTY).exclude(pk=real_data.pk).exists()


def test_append_into_a_non_synthetic_database_needs_the_explicit_flag(real_data):
    call_command(
        "synth", "--counties", "1", "--tiny", "--append", "--allow-non-synthetic", "--as-of", AS_OF.isoformat(),
        stdout=io.StringIO(),
    )  # fmt: skip
    assert SynthDataset.objects.count() == 1


def test_append_into_a_synthetic_database_needs_no_flag(synth):
    more = generate(counties=1, seed=7, as_of=AS_OF, sizes=TINY, append=True)
    assert more.first_county == 2


def test_production_settings_do_not_install_the_generator():
    code = "import django; django.setup(); from django.apps import apps; print(apps.is_installed('xuncha.synth'))"
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.production", "DEBUG": "off", "SECRET_KEY": "k" * 50}
    env.pop("DATABASE_URL", None)
    result = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, cwd=settings.BASE_DIR
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"
