"""A (theme_id, initiative_id) index on the initiatives' themes table.

The "same themes" list on an initiative page takes the newest initiatives sharing a theme; with
only Django's single-column indexes both databases sorted every link of those themes (tens of
thousands of rows at 100k initiatives). The composite index serves it straight from the index.
The table is Django's auto-created M2M table, so the index is raw SQL (same syntax on both)."""

from django.db import migrations

INDEX = "catalogue_initiative_themes_theme_initiative"


class Migration(migrations.Migration):
    dependencies = [("catalogue", "0001_initial")]

    operations = [
        migrations.RunSQL(
            f"CREATE INDEX IF NOT EXISTS {INDEX} "
            "ON catalogue_initiative_themes (theme_id, initiative_id)",
            f"DROP INDEX IF EXISTS {INDEX}",
        )
    ]
