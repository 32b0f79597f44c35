"""ag.save / ag.load: .npz round trips without pickle, and mismatches that change nothing."""

from __future__ import annotations

import zipfile

import numpy as np
import pytest

import autograd_nb as ag
from autograd_nb import nn


def test_round_trip_into_a_fresh_model(rng, tmp_path):
    model = nn.MLP(2, [8, 8], 1, rng=rng)
    path = tmp_path / "model.npz"
    assert ag.save(model, path) == path
    other = nn.MLP(2, [8, 8], 1, rng=rng)
    arrays = [p.data for p in other.parameters()]
    assert ag.load(other, path) is other
    for (name, p), q in zip(model.named_parameters(), other.parameters()):
        np.testing.assert_array_equal(p.data, q.data, err_msg=name)
    assert all(a is p.data for a, p in zip(arrays, other.parameters()))  # loaded in place
    x = rng.standard_normal((4, 2))
    np.testing.assert_array_equal(model(x).data, other(x).data)


def test_file_is_plain_npz_named_by_parameter(rng, tmp_path):
    path = tmp_path / "weights"  # no suffix: written exactly there, nothing appended
    ag.save(nn.MLP(2, [3], 1, rng=rng), path)
    assert path.exists() and not (tmp_path / "weights.npz").exists()
    with zipfile.ZipFile(path) as archive:
        assert sorted(archive.namelist()) == sorted(
            f"layers.{i}.{k}.npy" for i in (0, 2) for k in ("weight", "bias"))
    with np.load(path, allow_pickle=False) as arrays:
        assert arrays["layers.0.weight"].shape == (3, 2)


def test_float32_is_kept(rng, tmp_path):
    model = nn.Linear(3, 2, rng=rng, dtype=np.float32)
    ag.save(model, tmp_path / "m.npz")
    with np.load(tmp_path / "m.npz") as arrays:
        assert arrays["weight"].dtype == np.float32
    other = nn.Linear(3, 2, rng=rng, dtype=np.float32)
    ag.load(other, tmp_path / "m.npz")
    assert other.weight.dtype == np.float32
    np.testing.assert_array_equal(other.weight.data, model.weight.data)


def test_shape_mismatch_names_parameter_and_leaves_module_untouched(rng, tmp_path):
    ag.save(nn.MLP(2, [8], 1, rng=rng), tmp_path / "small.npz")
    model = nn.MLP(2, [9], 1, rng=rng)
    before = model.state_dict()
    with pytest.raises(ag.ShapeError, match=r"small.npz.*'layers.0.weight' has shape \(9, 2\)"):
        ag.load(model, tmp_path / "small.npz")
    for name, value in model.state_dict().items():
        np.testing.assert_array_equal(value, before[name])


def test_name_mismatch_names_parameter_and_leaves_module_untouched(rng, tmp_path):
    ag.save(nn.MLP(2, [8], 1, rng=rng), tmp_path / "mlp.npz")
    model = nn.Sequential(nn.Linear(2, 8, rng=rng), nn.Tanh(), nn.Linear(8, 1, rng=rng))
    before = model.state_dict()
    with pytest.raises(KeyError, match=r"missing parameters \['0.weight'"):
        ag.load(model, tmp_path / "mlp.npz")
    for name, value in model.state_dict().items():
        np.testing.assert_array_equal(value, before[name])


def test_pickled_content_is_refused(tmp_path):
    path = tmp_path / "evil.npz"
    np.savez(path, **{"weight": np.array([{"a": 1}], dtype=object)})
    with pytest.raises(ValueError, match="pickle"):
        ag.load(nn.Linear(1, 1, rng=0), path)
