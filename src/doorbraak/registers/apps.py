from django.apps import AppConfig


class RegistersConfig(AppConfig):
    name = "doorbraak.registers"
    verbose_name = "Registers"
