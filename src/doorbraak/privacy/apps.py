from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    name = "doorbraak.privacy"
    verbose_name = "Privacy"
