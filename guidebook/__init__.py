"""Guidebook: an open evidence guidebook for programmes for children and families."""

__version__ = "0.1.0"
