"""Thread-local switches of the engine: gradient recording, anomaly detection, active tapes.

Every operation reads two of them: ``grad_enabled`` (record a node?) and ``hooks`` (is a tape,
anomaly detection or a forward-mode trace listening?). ``transforms`` counts the function
transformations evaluating their function in this thread.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import ContextDecorator, contextmanager

__all__ = ["no_grad", "enable_grad", "set_grad_enabled", "is_grad_enabled", "detect_anomaly"]

class _State(threading.local):
    """Per-thread switches; class attributes are each new thread's defaults."""

    grad_enabled: bool = True
    anomaly: bool = False
    tapes: tuple = ()
    forward: tuple = ()  # active forward-mode traces, outermost first (see forward.py)
    hooks: bool = False  # anomaly or tapes or forward
    transforms: int = 0  # grad/jvp/... calls evaluating their function (nesting depth)

    def refresh(self) -> None:
        self.hooks = bool(self.anomaly or self.tapes or self.forward)


state = _State()


def is_grad_enabled() -> bool:
    """True when operations on tensors that require gradients are being recorded."""
    return state.grad_enabled


class set_grad_enabled(ContextDecorator):
    """Turn gradient recording on or off inside the block (this thread only); also a decorator.

    A class rather than a generator: optimizers enter it every step, and this is cheaper.
    """

    def __init__(self, enabled: bool) -> None:
        self.enabled = bool(enabled)
        self.previous = True

    def _recreate_cm(self) -> set_grad_enabled:  # each decorated call gets its own
        return type(self)(self.enabled)

    def __enter__(self) -> None:
        self.previous = state.grad_enabled
        state.grad_enabled = self.enabled
        state.refresh()

    def __exit__(self, *exc) -> None:
        state.grad_enabled = self.previous
        state.refresh()


def no_grad():
    """Context manager: operations inside are not recorded (this thread only), as ``torch.no_grad``."""
    return set_grad_enabled(False)


def enable_grad():
    """Context manager: turn recording back on inside a ``no_grad`` block (this thread only)."""
    return set_grad_enabled(True)


@contextmanager
def detect_anomaly() -> Iterator[None]:
    """Raise ``FloatingPointError`` at the first operation, forward or backward, making NaN or inf.

    The error names the operation and the shapes of its inputs. It makes every operation
    slower, so use it to find a problem, not while training.
    """
    previous = state.anomaly
    state.anomaly = True
    state.refresh()
    try:
        yield
    finally:
        state.anomaly = previous
        state.refresh()


@contextmanager
def forward_traces(traces: tuple) -> Iterator[None]:
    """Only ``traces`` listen inside the block: a forward-mode rule runs under the levels
    outside its own, so that they (and only they) differentiate what the rule computes."""
    previous = state.forward
    state.forward = traces
    state.refresh()
    try:
        yield
    finally:
        state.forward = previous
        state.refresh()


@contextmanager
def transforming() -> Iterator[None]:
    """A transformation evaluates its function inside this block (``state.transforms``)."""
    state.transforms += 1
    try:
        yield
    finally:
        state.transforms -= 1


@contextmanager
def pushed(attribute: str, item: object) -> Iterator[None]:
    """Push ``item`` onto the tuple ``state.<attribute>`` for the duration of the block."""
    previous = getattr(state, attribute)
    setattr(state, attribute, previous + (item,))
    state.refresh()
    try:
        yield
    finally:
        setattr(state, attribute, previous)
        state.refresh()
