from django.apps import AppConfig


class MoneyflowsConfig(AppConfig):
    name = "doorbraak.moneyflows"
    verbose_name = "Geldstromen"
