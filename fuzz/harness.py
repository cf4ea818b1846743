"""What every fuzz target shares: the contract it checks and how it runs under atheris.

The contract: an input either parses or raises one of Farmhand's typed errors
(``FarmhandError``), never another exception, and never takes long. A target's
``test_one_input(data)`` raises ``ContractError`` (or lets a foreign exception escape), which
atheris reports as a crash with the input saved, so every finding is a file that a regression
test can hold on to.
"""

import contextlib
import sys
import time
import types
from typing import Any, Callable, Iterator, Optional, Tuple, Type

from farmhand.core.errors import FarmhandError

# An input that takes longer than this is a finding too (a hang in the making): parsers work
# on progressions and bounded sizes, so even the largest inputs the fuzzer makes (a few KB)
# take milliseconds. Generous, because the machine is shared.
SLOW_INPUT_SECONDS = 2.0


class ContractError(AssertionError):
    """A parser broke the contract: a foreign exception, a bad message or a broken round trip."""


@contextlib.contextmanager
def typed_errors_only(
    what: str, text: Any, allowed: Tuple[Type[BaseException], ...] = (FarmhandError,)
) -> Iterator[None]:
    """Let ``allowed`` errors pass (the parser refused the input properly), turn anything else
    into ``ContractError`` naming the input, and refuse inputs that take too long."""
    started = time.perf_counter()
    try:
        yield
    except allowed as error:
        if not str(error).strip():
            raise ContractError(
                "{} refused {!r} with an empty message".format(what, text)
            ) from error
    except ContractError:
        raise
    except Exception as error:
        raise ContractError(
            "{} raised {}: {} for input {!r}".format(what, type(error).__name__, error, text)
        ) from error
    elapsed = time.perf_counter() - started
    if elapsed > SLOW_INPUT_SECONDS:
        raise ContractError("{} took {:.1f} s for input {!r}".format(what, elapsed, text))


def check(condition: bool, message: str) -> None:
    if not condition:
        raise ContractError(message)


def text_of(data: bytes) -> str:
    """The fuzz input as text: UTF-8 when it is, else Latin-1 (every byte one character), so
    mutations of the committed corpus (UTF-8 text) stay text and raw bytes still reach the
    parser."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def _functions(namespace: Any, module: str) -> Iterator[Any]:
    for value in list(vars(namespace).values()):
        if isinstance(value, (staticmethod, classmethod)):
            value = value.__func__
        elif isinstance(value, property):
            yield from (f for f in (value.fget, value.fset) if f is not None)
            continue
        if isinstance(value, types.FunctionType) and value.__module__ == module:
            yield value
        elif isinstance(value, type) and value.__module__ == module:
            yield from _functions(value, module)


def instrument_farmhand(atheris: Any) -> int:
    """Add coverage instrumentation to every function of every loaded ``farmhand`` module
    (``instrument_func`` rewrites the code object in place); returns how many."""
    count = 0
    for name, module in sorted(sys.modules.items()):
        if module is None or not (name == "farmhand" or name.startswith("farmhand.")):
            continue
        for function in _functions(module, name):
            try:
                atheris.instrument_func(function)
                count += 1
            except Exception:  # noqa: BLE001 - a function atheris cannot rewrite: uncovered
                pass
    return count


def main(test_one_input: Callable[[bytes], None], argv: Optional[list] = None) -> None:
    """Run one target under atheris with libFuzzer's arguments (``-max_total_time=10 corpus``).

    Farmhand's own functions are instrumented first, so the fuzzer is guided by coverage of
    Farmhand's code (not of the standard library's, which would only slow it down).
    """
    import atheris  # only the fuzz runs need it; the regression tests replay inputs without

    instrument_farmhand(atheris)
    atheris.Setup(list(sys.argv if argv is None else argv), test_one_input)
    atheris.Fuzz()
