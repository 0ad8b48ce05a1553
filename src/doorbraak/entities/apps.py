from django.apps import AppConfig


class EntitiesConfig(AppConfig):
    name = "doorbraak.entities"
    verbose_name = "Entiteiten"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from doorbraak.registers.signals import records_imported

        from . import panels, receivers

        records_imported.connect(
            receivers.link_after_import, dispatch_uid="entities.link_after_import"
        )
        panels.register()  # menu items
