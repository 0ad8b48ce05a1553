from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    name = "doorbraak.privacy"
    verbose_name = "Privacy"

    def ready(self):
        from .panels import register

        register()  # menu items and home panels
