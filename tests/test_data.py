"""data: the toy sets (shapes, dtypes, seeds, geometry), minibatches, splits and the digits."""

from __future__ import annotations

import sys

import numpy as np
import pytest

from autograd_nb import data

MAKERS = [data.make_moons, data.make_circles, data.make_spirals, data.make_xor]


@pytest.mark.parametrize("make", MAKERS)
def test_shapes_dtypes_and_seeds(make):
    X, y = make(101, noise=0.1, seed=7)
    assert X.shape == (101, 2) and X.dtype == np.float64
    assert y.shape == (101,) and y.dtype == np.int64
    assert set(np.unique(y)) == {0, 1}
    assert abs(np.sum(y == 0) - np.sum(y == 1)) <= 50  # both classes present in quantity
    X2, y2 = make(101, noise=0.1, seed=7)
    assert np.array_equal(X, X2) and np.array_equal(y, y2)
    X3, _ = make(101, noise=0.1, seed=8)
    assert not np.array_equal(X, X3)


@pytest.mark.parametrize("make", MAKERS)
def test_bad_arguments(make):
    with pytest.raises(ValueError, match="n_samples"):
        make(0)
    with pytest.raises(ValueError, match="noise"):
        make(10, noise=-1)


def test_moons_without_noise_lie_on_the_two_arcs():
    X, y = data.make_moons(200, seed=0)
    upper = X[y == 0]
    lower = X[y == 1]
    np.testing.assert_allclose(np.hypot(upper[:, 0], upper[:, 1]), 1)
    np.testing.assert_allclose(np.hypot(lower[:, 0] - 1, lower[:, 1] - 0.5), 1)
    assert np.all(upper[:, 1] >= 0) and np.all(lower[:, 1] <= 0.5)
    assert np.sum(y == 0) == 100


def test_circles_radii():
    X, y = data.make_circles(100, seed=0, factor=0.3)
    r = np.hypot(X[:, 0], X[:, 1])
    np.testing.assert_allclose(r[y == 0], 1)
    np.testing.assert_allclose(r[y == 1], 0.3)


def test_spirals_with_three_classes():
    X, y = data.make_spirals(300, noise=0.0, seed=0, n_classes=3)
    assert np.bincount(y).tolist() == [100, 100, 100]
    assert np.all(np.hypot(X[:, 0], X[:, 1]) <= 1 + 1e-12)


def test_xor_labels_are_opposite_signs():
    X, y = data.make_xor(200, seed=0)
    np.testing.assert_array_equal(y, (X[:, 0] * X[:, 1] < 0).astype(int))


def test_batches_cover_each_row_once(rng):
    X = np.arange(20).reshape(10, 2)
    y = np.arange(10)
    parts = list(data.batches(X, y, 4, seed=1))
    assert [len(b) for b, _ in parts] == [4, 4, 2]
    rows = np.concatenate([b for _, b in parts])
    assert sorted(rows.tolist()) == list(range(10)) and rows.tolist() != list(range(10))
    for xb, yb in parts:
        np.testing.assert_array_equal(xb[:, 0] // 2, yb)  # rows stay paired
    again = np.concatenate([b for _, b in data.batches(X, y, 4, seed=1)])
    np.testing.assert_array_equal(rows, again)
    plain = [b.tolist() for _, b in data.batches(X, y, 4, shuffle=False, drop_last=True)]
    assert plain == [[0, 1, 2, 3], [4, 5, 6, 7]]
    with pytest.raises(ValueError, match="one target per sample"):
        list(data.batches(X, y[:5], 4))


def test_train_test_split():
    X = np.arange(40).reshape(20, 2)
    y = np.arange(20)
    X_train, X_test, y_train, y_test = data.train_test_split(X, y, test_size=0.25, seed=0)
    assert len(X_test) == 5 and len(X_train) == 15
    assert sorted(np.concatenate([y_train, y_test]).tolist()) == list(range(20))
    np.testing.assert_array_equal(X_test[:, 0] // 2, y_test)


def test_load_digits():
    X, y = data.load_digits()
    assert X.shape == (1797, 64) and X.dtype == np.float64
    assert y.shape == (1797,) and y.dtype == np.int64
    assert X.min() == 0 and X.max() == 1 and set(np.unique(y)) == set(range(10))


def test_load_digits_without_scikit_learn_says_how_to_install(monkeypatch):
    monkeypatch.setitem(sys.modules, "sklearn.datasets", None)  # import now fails
    with pytest.raises(ImportError, match=r"pip install 'autograd_nb\[digits\]'"):
        data.load_digits()
