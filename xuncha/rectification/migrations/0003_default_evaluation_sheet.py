"""Load the default evaluation sheet (xuncha/rectification/evaluation_seed.py)."""

from django.db import migrations


def load(apps, schema_editor):
    from xuncha.rectification.evaluation_seed import load as load_seed

    load_seed(apps)


class Migration(migrations.Migration):
    dependencies = [("rectification", "0002_supervision_followup_results")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
