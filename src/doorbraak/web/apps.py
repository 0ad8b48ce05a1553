from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "doorbraak.web"
    verbose_name = "Web"
