"""The core: everything a submitter knows without Qt or a host.

Imports only the standard library, ``fileseq`` and ``requests`` (see ``../DESIGN``), and stays
compatible with Python 3.7, the oldest interpreter a supported host embeds.
"""
