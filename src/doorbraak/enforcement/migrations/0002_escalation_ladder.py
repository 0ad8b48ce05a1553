"""Seed the escalation ladder with the steps of Utrecht's 13b policy (the administrator can
change them in Django admin afterwards)."""

from django.db import migrations

LADDER = {
    "woning": [
        (0, "Waarschuwing"),
        (3, "Sluiting 3 maanden"),
        (6, "Sluiting 6 maanden"),
        (12, "Sluiting 12 maanden"),
    ],
    "lokaal": [(3, "Sluiting 3 maanden"), (6, "Sluiting 6 maanden"), (12, "Sluiting 12 maanden")],
    "horeca": [(3, "Sluiting 3 maanden"), (6, "Sluiting 6 maanden"), (12, "Sluiting 12 maanden")],
}


def seed(apps, schema_editor):
    Step = apps.get_model("enforcement", "EscalationStep")
    for kind, steps in LADDER.items():
        for number, (months, label) in enumerate(steps, 1):
            Step.objects.get_or_create(
                premises_kind=kind, number=number, defaults={"months": months, "label": label}
            )


class Migration(migrations.Migration):
    dependencies = [("enforcement", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
