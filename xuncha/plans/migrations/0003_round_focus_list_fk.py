"""Round.focus_list: from a free name to the versioned list itself (findings.FocusList).

Existing rounds keep their list: the name they stored is matched to the installation's first
version of the list with that name ("三个聚焦（村、社区）" style labels included).
"""

import django.db.models.deletion
from django.db import migrations, models


def link_lists(apps, schema_editor):
    Round = apps.get_model("plans", "Round")
    FocusList = apps.get_model("findings", "FocusList")
    by_name = {}
    for row in FocusList.objects.filter(jurisdiction__isnull=True).order_by("version"):
        by_name.setdefault(row.name, row)
    for rnd in Round.objects.exclude(focus_name=""):
        name = rnd.focus_name.split("（")[0]
        if name in by_name:
            Round.objects.filter(pk=rnd.pk).update(focus=by_name[name])


def unlink_lists(apps, schema_editor):
    Round = apps.get_model("plans", "Round")
    for rnd in Round.objects.filter(focus__isnull=False).select_related("focus"):
        Round.objects.filter(pk=rnd.pk).update(focus_name=rnd.focus.name)


class Migration(migrations.Migration):
    dependencies = [
        ("plans", "0002_briefing"),
        ("findings", "0002_focus_lists"),
    ]

    operations = [
        migrations.RenameField("round", "focus_list", "focus_name"),
        migrations.AddField(
            model_name="round",
            name="focus",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="rounds",
                to="findings.focuslist",
                verbose_name="巡察监督重点",
            ),
        ),
        migrations.RunPython(link_lists, unlink_lists),
        migrations.RemoveField("round", "focus_name"),
        migrations.RenameField("round", "focus", "focus_list"),
    ]
