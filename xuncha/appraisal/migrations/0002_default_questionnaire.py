from django.db import migrations


def seed(apps, schema_editor):
    from xuncha.appraisal.defaults import load_default

    load_default(apps.get_model("appraisal", "Questionnaire"), apps.get_model("appraisal", "Aspect"),
                 apps.get_model("appraisal", "Item"))
    rule = apps.get_model("appraisal", "ScoringRule")
    if not rule.objects.filter(jurisdiction__isnull=True).exists():
        rule.objects.create(jurisdiction=None)


class Migration(migrations.Migration):
    dependencies = [("appraisal", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
