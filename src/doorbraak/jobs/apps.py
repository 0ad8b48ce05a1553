from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules


class JobsConfig(AppConfig):
    name = "doorbraak.jobs"
    verbose_name = "Achtergrondtaken"

    def ready(self):
        # Every app declares the kinds of background job it offers in its own ``tasks.py``
        # (a registry: the jobs app never imports the apps above it).
        autodiscover_modules("tasks")

        from .panels import register

        register()  # menu item
