"""Test settings: the base settings with a fast password hasher."""

import os

os.environ.setdefault("DOORBRAAK_DEBUG", "1")

from doorbraak.settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
AXES_ENABLED = True
