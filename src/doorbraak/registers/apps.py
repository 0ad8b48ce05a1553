from django.apps import AppConfig


class RegistersConfig(AppConfig):
    name = "doorbraak.registers"
    verbose_name = "Registers"

    def ready(self):
        from . import panels, retention, subject_access

        retention.register_handlers()
        subject_access.register_providers()
        panels.register()  # menu items and home panels
