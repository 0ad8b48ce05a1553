from django.apps import AppConfig


class CareersConfig(AppConfig):
    name = "doorbraak.careers"
    verbose_name = "Criminele carrières"
