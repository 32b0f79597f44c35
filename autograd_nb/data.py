"""Small data sets for notebooks, made locally and seeded, plus a minibatch iterator.

The 2-D classification sets (moons, circles, spirals, xor, gaussians) return ``X`` float64 of
shape (n, 2) and ``y`` int64 of shape (n,); the 2-D regression sets (plane, bumps) return a
float64 target ``y`` of shape (n,). They are TensorFlow Playground's data sets, made locally
and seeded. ``load_digits`` borrows scikit-learn's 8×8 digits when installed.
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np

from .errors import ShapeError
from .tensor import as_values, real_number, whole_number

__all__ = [
    "make_moons", "make_circles", "make_spirals", "make_xor", "make_gaussians",
    "make_plane", "make_bumps",
    "batches", "train_test_split", "load_digits",
]


def _check(name: str, n_samples: int, noise: float, seed=None) -> None:
    whole_number(n_samples, f"{name}: n_samples", low=1)
    real_number(noise, f"{name}: noise (the std of Gaussian noise)", low=0)
    _check_seed(name, seed)


def _check_seed(name: str, seed) -> None:
    if seed is None or isinstance(seed, np.random.Generator):
        return
    whole_number(seed, f"{name}: seed", low=0)


def _xy(name: str, X, y) -> tuple[np.ndarray, np.ndarray]:
    """``X`` and ``y`` as arrays of numbers with one target per sample."""
    X = as_values(X, f"{name}: X")
    y = as_values(y, f"{name}: y")
    if X.ndim == 0 or y.ndim == 0:
        raise ShapeError(f"{name}: X (shape {X.shape}) and y (shape {y.shape}) need one row "
                         f"per sample, not a single number")
    if len(X) != len(y):
        raise ShapeError(
            f"{name}: X has {len(X)} rows (shape {X.shape}) but y has {len(y)} "
            f"(shape {y.shape}); give one target per sample"
        )
    return X, y


def _finish(rng, X: np.ndarray, y: np.ndarray, noise: float) -> tuple[np.ndarray, np.ndarray]:
    """Add Gaussian noise of std ``noise`` and shuffle the samples."""
    X = X + rng.normal(scale=noise, size=X.shape) if noise else X
    order = rng.permutation(len(y))
    return X[order].astype(np.float64), y[order].astype(np.int64)


def make_moons(n_samples: int = 100, noise: float = 0.0,
               seed: int | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Two interleaving half circles: class 0 on (cos t, sin t), class 1 on
    (1 − cos t, ½ − sin t), t ∈ [0, π]; Gaussian ``noise`` of that std is added."""
    _check("make_moons", n_samples, noise, seed)
    rng = np.random.default_rng(seed)
    n_out = n_samples // 2
    n_in = n_samples - n_out
    t_out = np.linspace(0, np.pi, n_out)
    t_in = np.linspace(0, np.pi, n_in)
    X = np.concatenate([
        np.stack([np.cos(t_out), np.sin(t_out)], axis=1),
        np.stack([1 - np.cos(t_in), 0.5 - np.sin(t_in)], axis=1),
    ])
    y = np.concatenate([np.zeros(n_out), np.ones(n_in)])
    return _finish(rng, X, y, noise)


def make_circles(n_samples: int = 100, noise: float = 0.0, seed: int | None = None,
                 factor: float = 0.5) -> tuple[np.ndarray, np.ndarray]:
    """Two concentric circles: class 0 of radius 1, class 1 of radius ``factor`` (< 1)."""
    _check("make_circles", n_samples, noise, seed)
    factor = real_number(factor, "make_circles: factor", low=0, high=1, low_open=True,
                         high_open=True)
    rng = np.random.default_rng(seed)
    n_out = n_samples // 2
    n_in = n_samples - n_out
    t_out = np.linspace(0, 2 * np.pi, n_out, endpoint=False)
    t_in = np.linspace(0, 2 * np.pi, n_in, endpoint=False)
    X = np.concatenate([
        np.stack([np.cos(t_out), np.sin(t_out)], axis=1),
        factor * np.stack([np.cos(t_in), np.sin(t_in)], axis=1),
    ])
    y = np.concatenate([np.zeros(n_out), np.ones(n_in)])
    return _finish(rng, X, y, noise)


def make_spirals(n_samples: int = 100, noise: float = 0.0, seed: int | None = None,
                 n_classes: int = 2, turns: float = 1.0) -> tuple[np.ndarray, np.ndarray]:
    """``n_classes`` interleaved spiral arms: arm k at radius r ∈ [0, 1] has angle
    2πk/n_classes + 2π·turns·r."""
    _check("make_spirals", n_samples, noise, seed)
    whole_number(n_classes, "make_spirals: n_classes", low=2)
    turns = real_number(turns, "make_spirals: turns")
    rng = np.random.default_rng(seed)
    sizes = [n_samples // n_classes + (k < n_samples % n_classes) for k in range(n_classes)]
    parts, labels = [], []
    for k, m in enumerate(sizes):
        r = np.linspace(0.05, 1, m)
        angle = 2 * np.pi * k / n_classes + 2 * np.pi * turns * r
        parts.append(np.stack([r * np.cos(angle), r * np.sin(angle)], axis=1))
        labels.append(np.full(m, k))
    return _finish(rng, np.concatenate(parts), np.concatenate(labels), noise)


def make_xor(n_samples: int = 100, noise: float = 0.0,
             seed: int | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Points uniform in [−1, 1]²; class 1 where the two coordinates have opposite signs
    (the label is taken before the noise is added)."""
    _check("make_xor", n_samples, noise, seed)
    rng = np.random.default_rng(seed)
    X = rng.uniform(-1, 1, size=(n_samples, 2))
    y = (X[:, 0] * X[:, 1] < 0).astype(np.int64)
    return _finish(rng, X, y, noise)


def make_gaussians(n_samples: int = 100, noise: float = 0.0, seed: int | None = None,
                   spread: float = 0.35) -> tuple[np.ndarray, np.ndarray]:
    """Two Gaussian clusters (``make_blobs``-style): class 0 around (−1, −1), class 1 around
    (1, 1), each of std ``spread``; Gaussian ``noise`` of that std is added on top."""
    _check("make_gaussians", n_samples, noise, seed)
    spread = real_number(spread, "make_gaussians: spread (the std of each cluster)", low=0)
    rng = np.random.default_rng(seed)
    n_neg = n_samples // 2
    y = np.concatenate([np.zeros(n_neg), np.ones(n_samples - n_neg)])
    centres = np.where(y[:, None] == 1, 1.0, -1.0) * np.ones((n_samples, 2))
    X = centres + rng.normal(scale=spread, size=(n_samples, 2))
    return _finish(rng, X, y, noise)


def _regression(rng, X: np.ndarray, target: np.ndarray,
                noise: float) -> tuple[np.ndarray, np.ndarray]:
    """Noise on the target (not the inputs: a regression set is a surface), then shuffle."""
    y = target + rng.normal(scale=noise, size=target.shape) if noise else target
    order = rng.permutation(len(y))
    return X[order].astype(np.float64), y[order].astype(np.float64)


def make_plane(n_samples: int = 100, noise: float = 0.0,
               seed: int | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Regression: points uniform in [−1, 1]², target y = (x₁ + x₂)/2 ∈ [−1, 1] plus Gaussian
    ``noise`` of that std (one linear neuron can fit it)."""
    _check("make_plane", n_samples, noise, seed)
    rng = np.random.default_rng(seed)
    X = rng.uniform(-1, 1, size=(n_samples, 2))
    return _regression(rng, X, X.sum(axis=1) / 2, noise)


# Centre (x₁, x₂) and sign of each bump of ``make_bumps``: a fixed landscape, so that every
# seed draws samples of the same surface.
_BUMPS = np.array([[-0.5, 0.5, 1.0], [0.5, 0.5, -1.0], [-0.5, -0.5, -1.0], [0.5, -0.5, 1.0],
                   [0.0, 0.0, 0.5]])


def make_bumps(n_samples: int = 100, noise: float = 0.0,
               seed: int | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Regression: points uniform in [−1, 1]², target a sum of Gaussian bumps of width 0.3,
    y = Σₖ sₖ·exp(−|x − cₖ|²/(2·0.3²)) with signs sₖ = ±1 (TensorFlow Playground's "multi
    gaussian"), plus Gaussian ``noise`` of that std."""
    _check("make_bumps", n_samples, noise, seed)
    rng = np.random.default_rng(seed)
    X = rng.uniform(-1, 1, size=(n_samples, 2))
    squared = ((X[:, None, :] - _BUMPS[None, :, :2]) ** 2).sum(axis=2)
    target = (_BUMPS[:, 2] * np.exp(-squared / (2 * 0.3 ** 2))).sum(axis=1)
    return _regression(rng, X, target, noise)


def batches(X, y, batch_size: int, shuffle: bool = True,
            seed: int | np.random.Generator | None = None,
            drop_last: bool = False) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    """One pass (epoch) over ``(X, y)`` in minibatches of ``batch_size`` rows.

    Shuffled with ``seed`` when ``shuffle``; the last, smaller batch is kept unless
    ``drop_last``.
    """
    X, y = _xy("batches", X, y)
    whole_number(batch_size, "batches: batch_size", low=1)
    _check_seed("batches", seed)
    n = len(X)
    order = np.random.default_rng(seed).permutation(n) if shuffle else np.arange(n)
    stop = n - n % batch_size if drop_last else n
    for start in range(0, stop, batch_size):
        index = order[start:start + batch_size]
        yield X[index], y[index]


def train_test_split(X, y, test_size: float = 0.25,
                     seed: int | None = None) -> tuple[np.ndarray, ...]:
    """Shuffle and split into ``(X_train, X_test, y_train, y_test)``; ``test_size`` is the
    held-out fraction."""
    X, y = _xy("train_test_split", X, y)
    test_size = real_number(test_size, "train_test_split: test_size", low=0, high=1,
                            low_open=True, high_open=True)
    _check_seed("train_test_split", seed)
    if len(X) < 2:
        raise ValueError(f"train_test_split: X has {len(X)} samples; splitting needs at "
                         f"least 2 (one to train on, one to test)")
    order = np.random.default_rng(seed).permutation(len(X))
    n_test = max(1, round(test_size * len(X)))
    test, train = order[:n_test], order[n_test:]
    return X[train], X[test], y[train], y[test]


def load_digits(scale: bool = True) -> tuple[np.ndarray, np.ndarray]:
    """The 8×8 handwritten digits (1,797 images, 10 classes) from scikit-learn.

    Returns ``X`` float64 of shape (1797, 64), pixel values scaled from 0..16 to [0, 1] when
    ``scale``, and ``y`` int64 of shape (1797,). Needs the optional extra ``digits``.
    """
    try:
        from sklearn.datasets import load_digits as _sklearn_digits
    except ImportError as err:
        raise ImportError(
            "load_digits: the digits come from scikit-learn, which is not installed; "
            "install it with: pip install 'autograd_nb[digits]'"
        ) from err
    bunch = _sklearn_digits()
    X = np.asarray(bunch.data, dtype=np.float64)
    return (X / 16.0 if scale else X), np.asarray(bunch.target, dtype=np.int64)
