from django.db import migrations

CRITERIA = [
    (
        "doorgroeier",
        "Jongere (tot 27 jaar) met signalen van doorgroei naar (drugs)criminaliteit",
        10,
    ),
    (
        "politie-contacten",
        "Herhaalde politiecontacten of strafbare feiten in verband met drugs",
        20,
    ),
    ("ronselen", "Signalen van ronselen, geldezel- of koeriersactiviteiten", 30),
    (
        "criminele-familie",
        "Gezin met meerdere leden betrokken bij georganiseerde criminaliteit",
        40,
    ),
    ("uitval", "Uitval uit school of werk, gecombineerd met contacten met criminele netwerken", 50),
    (
        "meerdere-domeinen",
        "Problemen op meerdere leefgebieden waarvoor samenwerking van partners nodig is",
        60,
    ),
    ("reguliere-aanpak", "De reguliere aanpak van één partner volstaat niet", 70),
]


def add(apps, schema_editor):
    Criterion = apps.get_model("careers", "InclusionCriterion")
    for code, label, order in CRITERIA:
        Criterion.objects.get_or_create(code=code, defaults={"label": label, "order": order})


class Migration(migrations.Migration):
    dependencies = [("careers", "0003_case_management")]
    operations = [migrations.RunPython(add, migrations.RunPython.noop)]
