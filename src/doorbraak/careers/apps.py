from django.apps import AppConfig


class CareersConfig(AppConfig):
    name = "doorbraak.careers"
    verbose_name = "Criminele carrières"

    def ready(self):
        from . import retention  # noqa: F401  (registers the retention handlers)
