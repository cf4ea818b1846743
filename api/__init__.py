"""Seed-style Python APIs over the core, so scripts written for other farms run with only
their import line changed: ``farmhand.api.conductor``, ``farmhand.api.tractor``."""
