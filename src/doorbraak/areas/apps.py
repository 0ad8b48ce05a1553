from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AreasConfig(AppConfig):
    name = "doorbraak.areas"
    verbose_name = _("Gemeente en gebieden")

    def ready(self):
        from .panels import register

        register()  # menu item
