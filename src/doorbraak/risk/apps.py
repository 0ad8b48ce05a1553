from django.apps import AppConfig


class RiskConfig(AppConfig):
    name = "doorbraak.risk"
    verbose_name = "Gebiedsbeeld (risico)"

    def ready(self):
        from . import panels, retention, tasks  # noqa: F401  (retention handler and job kinds)

        retention.register_handlers()
        panels.register()  # menu item and home panel
