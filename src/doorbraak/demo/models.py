from django.db import models


class DemoDatabase(models.Model):
    """The marker that this database was made by the demo (one row, written when the demo city is
    first built into a fresh database). `demo_city --reset` and the demo accounts refuse to touch a
    database without it, so demo code never touches a real installation."""

    built_at = models.DateTimeField(auto_now_add=True)
    seed = models.IntegerField()

    class Meta:
        verbose_name = "demodatabase"
