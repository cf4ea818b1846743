"""Clarisse's startup script (``startup.py``): ``from farmhand.startup.clarisse import startup``
in the script editor registers FarmhandJob without restarting Clarisse."""
