from django.apps import AppConfig


class RegistersConfig(AppConfig):
    name = "doorbraak.registers"
    verbose_name = "Registers"

    def ready(self):
        from . import panels, retention, subject_access

        retention.register_handlers()
        subject_access.register_providers()
        panels.register()  # menu items and home panels
        from doorbraak.jobs.worker import register_maintenance

        register_maintenance(importers_sweep)


def importers_sweep() -> None:
    """The worker's maintenance: imports that never finished (killed, crashed) become failed."""
    import logging

    from .importers import sweep_unfinished_imports

    for batch_pk in sweep_unfinished_imports():
        logging.getLogger(__name__).warning(
            "import %s nooit afgerond: als mislukt vastgelegd", batch_pk
        )
