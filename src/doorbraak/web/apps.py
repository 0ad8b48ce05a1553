from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "doorbraak.web"
    verbose_name = "Web"

    def ready(self):
        from .home import register

        register()  # the monitoring page's menu item and home panel (move to monitoring)
