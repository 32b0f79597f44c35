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

from ..errors import ShapeError
from ..grad_mode import no_grad
from ..tensor import as_values, got, whole_number
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
    pred = as_values(pred, "accuracy: pred")
    y = as_values(y, "accuracy: y")
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
    _check_arguments(model, loss_fn, optimizer, steps, batch_size, metrics, seed)
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
                del pred, loss  # this step's graph goes now, not during the next forward
    except KeyboardInterrupt:
        history.interrupted = True
    finally:
        if bar is not None:
            bar.close()
        model.train(was_training)
    return history


def _check_arguments(model, loss_fn, optimizer, steps, batch_size, metrics, seed) -> None:
    """Everything ``fit`` is given, checked before the first step."""
    if not isinstance(model, Module):
        raise TypeError(f"fit: model must be an nn.Module, got {got(model)}")
    if not callable(loss_fn):
        raise TypeError(f"fit: loss_fn must be a function loss_fn(pred, y) such as "
                        f"nn.mse_loss, got {got(loss_fn)}")
    if not (callable(getattr(optimizer, "step", None))
            and callable(getattr(optimizer, "zero_grad", None))):
        raise TypeError(f"fit: optimizer must have step() and zero_grad() (e.g. "
                        f"optim.SGD(model.parameters(), lr=0.1)), got {got(optimizer)}")
    whole_number(steps, "fit: steps", low=0)
    if batch_size is not None:
        whole_number(batch_size, "fit: batch_size", low=1)
    if seed is not None:
        whole_number(seed, "fit: seed", low=0)
    if metrics is not None:
        if not isinstance(metrics, dict):
            raise TypeError(f"fit: metrics must be a dict of name: fn(pred, y), got "
                            f"{got(metrics)}")
        for name, fn in metrics.items():
            if not callable(fn):
                raise TypeError(f"fit: metrics[{name!r}] must be a function fn(pred, y) -> "
                                f"float, got {got(fn)}")


def _prepare(model: Module, X, y) -> tuple[np.ndarray, np.ndarray]:
    """The data as arrays, features in the model's dtype (so float32 models stay float32)."""
    X = as_values(X, "fit: X")
    y = as_values(y, "fit: y")
    if X.ndim == 0 or y.ndim == 0:
        raise ShapeError(f"fit: X (shape {X.shape}) and y (shape {y.shape}) need one row "
                         f"per sample, not a single number")
    if len(X) != len(y):
        raise ShapeError(
            f"fit: X has {len(X)} samples (shape {X.shape}) but y has {len(y)} (shape "
            f"{y.shape}); give one target per sample"
        )
    if len(X) == 0:
        raise ValueError(f"fit: X has no samples (shape {X.shape}); the loss of no data is "
                         f"NaN, so there is nothing to train on")
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
