from django.apps import AppConfig


class MoneyflowsConfig(AppConfig):
    name = "doorbraak.moneyflows"
    verbose_name = "Geldstromen"

    def ready(self):
        from .panels import register

        register()  # menu items
