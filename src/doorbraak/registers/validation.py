"""The Dutch register values live in the analysis package, so that `doorbraak import` and the
Django-free commands (`doorbraak risk`) validate extracts alike."""

from doorbraak_analysis.registers.validation import *  # noqa: F403
from doorbraak_analysis.registers.validation import HouseNumber, Invalid  # noqa: F401
