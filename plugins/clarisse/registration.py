"""Registering the FarmhandJob class with Clarisse (what the startup script calls).

Once registered, FarmhandJob is in Clarisse's Create menu and in the New menu of a context's
right-click menu, like any class. Registering again (the startup script run a second time from
the script editor) leaves the registered class alone. Nothing here raises into Clarisse.
"""

import ix

from farmhand.core.host import call_guarded
from farmhand.plugins.clarisse.job_node import CLASS_NAME


def is_registered() -> bool:
    return ix.application.get_factory().get_classes().get(CLASS_NAME) is not None


def _register() -> bool:
    if is_registered():
        ix.log_info("Farmhand: the {} class is already registered".format(CLASS_NAME))
        return False
    from farmhand.plugins.clarisse.job_class import FarmhandJobEngine

    ix.api.ModuleScriptedClass.register_scripted_class(
        ix.application, CLASS_NAME, FarmhandJobEngine()
    )
    if not is_registered():
        ix.log_error("Farmhand: Clarisse did not register the {} class".format(CLASS_NAME))
        return False
    ix.log_info(
        "Farmhand: {} registered (Create > {}, or New > {})".format(
            CLASS_NAME, CLASS_NAME, CLASS_NAME
        )
    )
    return True


def register() -> bool:
    """Register FarmhandJob; True when this call registered it."""
    return bool(call_guarded("Farmhand: registering " + CLASS_NAME, _register, show=ix.log_error))
