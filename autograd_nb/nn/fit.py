"""``fit``: the training loop of the notebooks, with a progress bar, callbacks and a clean stop.

Each step is forward, loss, backward, optimizer step. Callbacks are called as
``callback(step, loss, **metrics)`` — the signature of a live plot's ``update`` — so pictures
plug in directly. Ctrl-C (a kernel interrupt) ends training between steps: the parameters are
never left half-updated, and the history so far is returned.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

import numpy as np

from ..grad_mode import no_grad
from ..tensor import Tensor
from .module import Module

__all__ = ["fit", "History", "accuracy"]

Metric = Callable[[np.ndarray, np.ndarray], float]


@dataclass
class History:
    """What ``fit`` recorded: ``loss[i]`` and ``metrics[name][i]`` after step ``steps[i]``.

    ``interrupted`` is True when training was stopped early (Ctrl-C / kernel interrupt).
    """

    steps: list[int] = field(default_factory=list)
    loss: list[float] = field(default_factory=list)
    metrics: dict[str, list[float]] = field(default_factory=dict)
    interrupted: bool = False

    def record(self, step: int, loss: float, metrics: dict[str, float]) -> None:
        self.steps.append(step)
        self.loss.append(loss)
        for name, value in metrics.items():
            self.metrics.setdefault(name, []).append(value)

    def __len__(self) -> int:
        return len(self.steps)

    def __repr__(self) -> str:
        if not self.steps:
            return "History(no steps)"
        last = [f"loss={self.loss[-1]:.4g}"]
        last += [f"{name}={values[-1]:.4g}" for name, values in self.metrics.items()]
        stop = ", interrupted" if self.interrupted else ""
        return f"History({len(self)} steps{stop}; last: {', '.join(last)})"


def accuracy(pred, y) -> float:
    """Fraction of correct predictions: argmax over classes for (N, C) outputs with C > 1,
    else the sign of a single logit (class 1 when the logit is > 0)."""
    pred = np.asarray(pred.data if isinstance(pred, Tensor) else pred)
    y = np.asarray(y.data if isinstance(y, Tensor) else y)
    if pred.ndim == 2 and pred.shape[1] > 1:
        guess = pred.argmax(axis=1)
    else:
        guess = (pred > 0).reshape(y.shape)
    return float(np.mean(guess == y))


def fit(
    model: Module,
    loss_fn: Callable,
    X,
    y,
    optimizer,
    steps: int = 100,
    batch_size: int | None = None,
    callbacks: Iterable | Callable | None = None,
    metrics: dict[str, Metric] | None = None,
    progress: bool = True,
    seed: int | None = None,
    desc: str = "training",
) -> History:
    """Train ``model`` for ``steps`` optimizer steps and return the ``History``.

    Each step: ``loss = loss_fn(model(X_batch), y_batch)``, backward, ``optimizer.step()``.
    ``batch_size=None`` uses all the data every step; otherwise minibatches are drawn epoch
    after epoch, shuffled with ``seed``. ``metrics`` maps names to ``fn(pred, y) -> float``,
    evaluated on each step's batch predictions (e.g. ``{"accuracy": nn.accuracy}``).
    ``callbacks`` (callables, or objects with an ``update`` method such as a live loss plot)
    are called after each step as ``callback(step, loss, **metrics)``. The progress bar
    (``tqdm.auto``) shows the loss. Ctrl-C stops between steps and returns the history so far.
    """
    if steps < 0:
        raise ValueError(f"fit: steps={steps} must be >= 0")
    X, y = _prepare(model, X, y)
    hooks = _as_callbacks(callbacks)
    metrics = dict(metrics or {})
    source = _batches(X, y, batch_size, seed)
    history = History()
    was_training = model.training
    model.train()
    bar = _progress_bar(steps, desc, progress)
    guard = _InterruptGuard()
    try:
        with guard:
            for step in range(1, steps + 1):
                xb, yb = next(source)
                pred = model(xb)
                loss = loss_fn(pred, yb)
                optimizer.zero_grad()
                loss.backward()
                guard.holding = True  # Ctrl-C waits until the step is done and recorded
                try:
                    optimizer.step()
                    value = float(loss.item())
                    with no_grad():
                        scores = {name: float(fn(pred.data, yb)) for name, fn in metrics.items()}
                    history.record(step, value, scores)
                    if bar is not None:
                        bar.set_postfix(loss=f"{value:.4g}", refresh=False)
                        bar.update(1)
                finally:
                    guard.holding = False
                if guard.pending:
                    raise KeyboardInterrupt
                for hook in hooks:
                    hook(step, value, **scores)
    except KeyboardInterrupt:
        history.interrupted = True
    finally:
        if bar is not None:
            bar.close()
        model.train(was_training)
    return history


def _prepare(model: Module, X, y) -> tuple[np.ndarray, np.ndarray]:
    """The data as arrays, features in the model's dtype (so float32 models stay float32)."""
    X = np.asarray(X.data if isinstance(X, Tensor) else X)
    y = np.asarray(y.data if isinstance(y, Tensor) else y)
    if len(X) != len(y):
        raise ValueError(
            f"fit: X has {len(X)} samples (shape {X.shape}) but y has {len(y)} (shape "
            f"{y.shape}); give one target per sample"
        )
    dtype = next((p.dtype for p in model.parameters()), np.dtype(np.float64))
    X = X.astype(dtype, copy=False)
    if y.dtype.kind == "f":
        y = y.astype(dtype, copy=False)
    return X, y


def _batches(X, y, batch_size: int | None, seed: int | None) -> Iterator[tuple]:
    """Endless batches: the whole data set, or shuffled minibatches epoch after epoch."""
    from ..data import batches

    if batch_size is None or batch_size >= len(X):
        while True:
            yield X, y
    rng = np.random.default_rng(seed)
    while True:
        yield from batches(X, y, batch_size, shuffle=True, seed=rng)


def _as_callbacks(callbacks) -> list[Callable]:
    if callbacks is None:
        return []
    if callable(callbacks) or hasattr(callbacks, "update"):
        callbacks = [callbacks]
    hooks = []
    for c in callbacks:
        if hasattr(c, "update") and callable(c.update):
            hooks.append(c.update)
        elif callable(c):
            hooks.append(c)
        else:
            raise TypeError(
                f"fit: callback {c!r} is neither callable nor has an update method; give "
                f"functions callback(step, loss, **metrics) or objects such as viz.LossPlot()"
            )
    return hooks


def _progress_bar(steps: int, desc: str, progress: bool):
    if not progress:
        return None
    from tqdm.auto import tqdm

    return tqdm(total=steps, desc=desc, unit="step")


class _InterruptGuard:
    """Turns Ctrl-C into KeyboardInterrupt at once, except while ``holding``: then it is
    remembered in ``pending`` for the loop to act on (so an update is never cut in half).

    Only the main thread receives signals; elsewhere the guard does nothing.
    """

    def __init__(self) -> None:
        self.holding = False
        self.pending = False
        self.previous = None

    def __enter__(self) -> _InterruptGuard:
        if threading.current_thread() is threading.main_thread():
            self.previous = signal.signal(signal.SIGINT, self._handle)
        return self

    def __exit__(self, *exc) -> None:
        if self.previous is not None:
            signal.signal(signal.SIGINT, self.previous)
            self.previous = None

    def _handle(self, signum, frame) -> None:
        if self.holding:
            self.pending = True
        else:
            raise KeyboardInterrupt
