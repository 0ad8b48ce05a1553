from django.apps import AppConfig


class RegistersConfig(AppConfig):
    name = "doorbraak.registers"
    verbose_name = "Registers"

    def ready(self):
        from .retention import register_handlers

        register_handlers()
