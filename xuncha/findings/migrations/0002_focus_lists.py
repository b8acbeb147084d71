"""Load the focus lists and tags of domain.md §4 (xuncha/findings/focus_seed.py)."""

from django.db import migrations


def load(apps, schema_editor):
    from xuncha.findings.focus_seed import load as load_seed

    load_seed(apps)


class Migration(migrations.Migration):
    dependencies = [("findings", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
