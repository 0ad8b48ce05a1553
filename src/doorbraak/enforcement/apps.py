from django.apps import AppConfig


class EnforcementConfig(AppConfig):
    name = "doorbraak.enforcement"
    verbose_name = "Handhaving"

    def ready(self):
        from . import panels, retention  # noqa: F401  (registers the retention handler and panels)

        panels.register()
