from django.apps import AppConfig


class MonitoringConfig(AppConfig):
    name = "doorbraak.monitoring"
    verbose_name = "Monitoring"

    def ready(self):
        from .panels import register

        register()  # menu items and home panels
