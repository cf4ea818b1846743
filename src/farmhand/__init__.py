"""Farmhand: a render-farm submitter suite.

The import namespace is assembled from the repository's top-level folders (see ``setup.py``):

=======================  ==============  ============================================
import name              folder          holds
=======================  ==============  ============================================
``farmhand.core``        ``core/``       frames, tokens, job model, payload, uploads,
                                         connectors, the host-adapter contract
``farmhand.api``         ``api/``        seed-style Python APIs (Conductor, Tractor,
                                         GridMarkets) over the core
``farmhand.farm``        ``farm/``       the local farm service
``farmhand.cli``         ``cli/``        the ``farmhand`` command
``farmhand.shared_ui``   ``shared_ui/``  Qt submitter widgets (through qtpy)
``farmhand.plugins``     ``plugins/``    thin host adapters
``farmhand.startup``     ``startup/``    files the hosts load at start-up
=======================  ==============  ============================================
"""

from farmhand._version import __version__

__all__ = ["__version__"]
