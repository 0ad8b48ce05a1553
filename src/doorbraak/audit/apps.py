from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "doorbraak.audit"
    verbose_name = "Audit"

    def ready(self):
        from .panels import register

        register()  # menu items and home panels
