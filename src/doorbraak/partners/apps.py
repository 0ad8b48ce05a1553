from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartnersConfig(AppConfig):
    name = "doorbraak.partners"
    verbose_name = _("Partners en toegang")

    def ready(self):
        from .panels import register

        register()  # menu items and home panels
