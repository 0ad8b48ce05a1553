from django.apps import AppConfig


class CareersConfig(AppConfig):
    name = "doorbraak.careers"
    verbose_name = "Criminele carrières"

    def ready(self):
        from . import panels, retention, subject_access

        retention.register_handlers()
        subject_access.register_providers()
        panels.register()  # menu items and home panels
