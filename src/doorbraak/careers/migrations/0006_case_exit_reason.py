from django.db import migrations, models


def closed_cases_not_recorded(apps, schema_editor):
    """Cases closed before the exit reason was asked: "niet geregistreerd"."""
    Case = apps.get_model("careers", "Case")
    Case.objects.filter(status="closed", exit_reason="").update(exit_reason="not_recorded")


class Migration(migrations.Migration):
    dependencies = [
        ("careers", "0005_exit_dispositions"),
    ]

    operations = [
        migrations.AddField(
            model_name="case",
            name="exit_reason",
            field=models.CharField(
                blank=True,
                choices=[
                    ("goals_reached", "Doelen bereikt"),
                    ("regular_care", "Overgedragen aan reguliere zorg"),
                    ("moved", "Verhuisd buiten de gemeente"),
                    ("detention", "Detentie"),
                    ("no_cooperation", "Wil niet meer meewerken"),
                    ("other", "Anders"),
                    ("not_recorded", "Niet geregistreerd"),
                ],
                default="",
                max_length=20,
                verbose_name="reden van uitstroom",
            ),
        ),
        migrations.RunPython(closed_cases_not_recorded, migrations.RunPython.noop),
    ]
