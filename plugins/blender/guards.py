"""The add-on's one guard for the functions Blender calls into, built on the hosts' shared
``farmhand.core.host.callbacks`` (``report_error``: log it, show it, never raise).

Blender prints an exception escaping a draw function on every redraw and leaves the panel,
menu or row half-drawn; it stops a timer or an application handler that raised; an add-on
whose ``register`` raised is left half-registered. So every callback catches its own errors,
and what differs between kinds is only where the artist sees them:

- operators (``execute``, ``invoke``): the operator's error report (the status bar, or the
  ``RuntimeError`` Blender raises to a calling script), and the operator is cancelled;
- draw functions (panels, the Render menu's entry, the job list's rows, popups): a label with
  the error in the layout being drawn; logged once per distinct message, as a broken draw
  fails again on every redraw;
- timers, handlers, ``register``/``unregister``: ``guarded`` from the core with the add-on's
  ``messages.show_error`` (the console, and a popup when there is a window).
"""

import functools
import logging
from typing import Any, Callable, Set, TypeVar

from farmhand.core.host import describe_error, guarded, report_error

log = logging.getLogger("farmhand.blender")

F = TypeVar("F", bound=Callable[..., Any])
CANCELLED = {"CANCELLED"}

# Messages of failed draws logged already (a draw fails again on every redraw); forgotten
# past a few hundred so a long session cannot grow it without bound.
_LOGGED_DRAW_FAILURES: Set[str] = set()
_MAX_LOGGED = 256


# Blender checks the number of arguments of a registered class's functions (``execute`` must
# take two, ``invoke`` three...): each wrapper below has its callback's exact signature.


def _operator_call(method: Callable[..., Any], self: Any, *arguments: Any) -> Any:
    def show(message: str) -> None:
        self.report({"ERROR"}, message)

    return guarded(self.bl_label, show, set(CANCELLED))(method)(self, *arguments)


def operator_execute(method: F) -> F:
    """For an operator's ``execute``: an error is reported as the operator's error (named by
    its ``bl_label``) and the operator returns ``{'CANCELLED'}``."""

    @functools.wraps(method)
    def execute(self: Any, context: Any) -> Any:
        return _operator_call(method, self, context)

    return execute  # type: ignore[return-value]


def operator_invoke(method: F) -> F:
    """For an operator's ``invoke``, as ``operator_execute``."""

    @functools.wraps(method)
    def invoke(self: Any, context: Any, event: Any) -> Any:
        return _operator_call(method, self, context, event)

    return invoke  # type: ignore[return-value]


def draw_function(what: str) -> Callable[[F], F]:
    """For ``draw(self, context)`` (a panel's or menu's, a function appended to a Blender
    menu, a popup's): an error is drawn as a label in ``self.layout`` and logged once."""

    def decorate(draw_method: F) -> F:
        @functools.wraps(draw_method)
        def draw(self: Any, context: Any) -> None:
            try:
                draw_method(self, context)
            except Exception as error:  # noqa: BLE001 - a draw function must not raise
                draw_failure(what, error, self.layout)

        return draw  # type: ignore[return-value]

    return decorate


def list_row(what: str) -> Callable[[F], F]:
    """For a ``UIList``'s ``draw_item``: an error is drawn as a label in the row's layout and
    logged once."""

    def decorate(draw_row: F) -> F:
        @functools.wraps(draw_row)
        def draw_item(  # type: ignore[no-untyped-def]
            self,
            context,
            layout,
            data,
            item,
            icon,
            active_data,
            active_property,
            index=0,
            flt_flag=0,
        ) -> None:
            try:
                draw_row(
                    self,
                    context,
                    layout,
                    data,
                    item,
                    icon,
                    active_data,
                    active_property,
                    index,
                    flt_flag,
                )
            except Exception as error:  # noqa: BLE001 - a draw function must not raise
                draw_failure(what, error, layout)

        return draw_item  # type: ignore[return-value]

    return decorate


def draw_failure(what: str, error: BaseException, layout: Any) -> None:
    """Log ``error`` (the first time its message is seen) and draw it in ``layout``; never
    raises, even when the layout cannot draw (that is logged)."""
    message = describe_error(what, error)
    if message not in _LOGGED_DRAW_FAILURES:
        if len(_LOGGED_DRAW_FAILURES) >= _MAX_LOGGED:
            _LOGGED_DRAW_FAILURES.clear()
        _LOGGED_DRAW_FAILURES.add(message)
        report_error(what, error)
    try:
        layout.label(text=message, icon="ERROR")
    except Exception:  # noqa: BLE001 - showing must not raise either
        log.exception("could not draw the error in Blender's layout: %s", message)
