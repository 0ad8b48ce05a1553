import hashlib

from django.db import migrations, models


def adopt_earlier_demo_database(apps, schema_editor):
    """A demo database built before this marker existed is recognised by its demo account's
    second-factor key, which is derived from the source (doorbraak.demo.accounts.demo_totp_key):
    no real installation has it."""
    TOTPDevice = apps.get_model("otp_totp", "TOTPDevice")
    demo_key = hashlib.sha1(b"doorbraak-demo-totp:regisseur").hexdigest()  # noqa: S324 (not a password hash)
    if TOTPDevice.objects.filter(key=demo_key, user__username="regisseur").exists():
        apps.get_model("demo", "DemoDatabase").objects.create(seed=0)


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("otp_totp", "0003_add_timestamps"),
        ("partners", "0001_initial"),
    ]

    operations = [
        migrations.CreateModel(
            name="DemoDatabase",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("built_at", models.DateTimeField(auto_now_add=True)),
                ("seed", models.IntegerField()),
            ],
            options={"verbose_name": "demodatabase"},
        ),
        migrations.RunPython(adopt_earlier_demo_database, migrations.RunPython.noop),
    ]
