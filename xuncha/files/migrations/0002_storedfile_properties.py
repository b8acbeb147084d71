from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("files", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="storedfile",
            name="properties",
            field=models.JSONField(blank=True, editable=False, null=True, verbose_name="文件属性"),
        ),
    ]
