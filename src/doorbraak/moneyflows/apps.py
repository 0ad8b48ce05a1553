from django.apps import AppConfig


class MoneyflowsConfig(AppConfig):
    name = "doorbraak.moneyflows"
    verbose_name = "Geldstromen"

    def ready(self) -> None:
        from doorbraak.registers.importers import register_file_importer

        from .panels import register
        from .services import SOURCE_TYPE, store_sector_file

        register()  # menu items
        # The bank's sector figures come in one way: `doorbraak import` (source type
        # bank_sectors), which hands the whole file to this app to validate and store.
        register_file_importer(SOURCE_TYPE, store_sector_file)
