"""``save`` / ``load``: a module's parameters as a NumPy ``.npz`` file, one array per dotted name.

No pickle is written or read (``allow_pickle=False``), so loading a file never runs code.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np

from .tensor import got

__all__ = ["save", "load"]


def _check_module(module, who: str) -> None:
    from .nn.module import Module

    if not isinstance(module, Module):
        raise TypeError(f"{who}: module must be an nn.Module (a model whose parameters are "
                        f"saved), got {got(module)}")


def _check_path(path, who: str) -> Path:
    if not isinstance(path, (str, os.PathLike)):
        raise TypeError(f"{who}: path must be a file name (str or pathlib.Path), got {got(path)}")
    return Path(path)


def save(module, path: str | os.PathLike) -> Path:
    """Write ``module.state_dict()`` to ``path`` (an ``.npz`` file, written exactly there)."""
    _check_module(module, "save")
    path = _check_path(path, "save")
    state = module.state_dict()
    with open(path, "wb") as f:  # a file object: np.savez would otherwise append ".npz"
        np.savez(f, **state)
    return path


def load(module, path: str | os.PathLike):
    """Read parameters saved by ``save`` into ``module`` in place and return the module.

    The file must hold exactly the module's parameter names with the same shapes; otherwise
    the error names the parameter and the module is left unchanged (everything is checked
    before anything is written).
    """
    _check_module(module, "load")
    path = _check_path(path, "load")
    try:
        archive = np.load(path, allow_pickle=False)
    except ValueError:  # a pickle, or not a NumPy file at all
        raise ValueError(f"load {path}: not an .npz archive of arrays (NumPy cannot read it "
                         f"without pickle, which ag.load never uses); give a file written by "
                         f"ag.save(model, path)") from None
    if not isinstance(archive, np.lib.npyio.NpzFile):
        raise ValueError(
            f"load {path}: this is a .npy file (one array of shape {np.shape(archive)}), not an "
            f".npz archive of named parameters; write it with ag.save(model, path)"
        )
    try:
        with archive:
            state = {name: archive[name] for name in archive.files}
    except ValueError as err:  # an entry holding pickled objects
        raise ValueError(f"load {path}: an entry cannot be read without pickle ({err}); "
                         f"ag.save writes plain arrays only") from None
    try:
        return module.load_state_dict(state)
    except (KeyError, ValueError, TypeError) as err:  # same error, message names the file
        if err.args and isinstance(err.args[0], str):
            err.args = (type(err.args[0])(f"load {path}: {err.args[0]}"), *err.args[1:])
        raise
