from django.apps import AppConfig


class EntitiesConfig(AppConfig):
    name = "doorbraak.entities"
    verbose_name = "Entiteiten"
    default_auto_field = "django.db.models.BigAutoField"
