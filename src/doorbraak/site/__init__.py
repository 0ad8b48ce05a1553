"""The top of the house: composes every app's URLs, the role home pages and the navigation.

Nothing imports ``doorbraak.site``; it imports the apps (``settings.ROOT_URLCONF`` points here)."""
