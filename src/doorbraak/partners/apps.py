from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartnersConfig(AppConfig):
    name = "doorbraak.partners"
    verbose_name = _("Partners en toegang")

    def ready(self):
        from . import admin_audit
        from .panels import register

        register()  # menu items and home panels
        admin_audit.connect()  # Django admin changes into the audit chain
