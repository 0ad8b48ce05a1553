"""Doorbraak: information platform for the integrated approach to drug-related undermining crime."""

__version__ = "0.1.0"
