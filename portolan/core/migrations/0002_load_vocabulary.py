from django.db import migrations


def load(apps, schema_editor):
    from portolan.core.vocabulary import load_vocabulary

    load_vocabulary(lambda name: apps.get_model("core", name))


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
