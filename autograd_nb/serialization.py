"""``save`` / ``load``: a module's parameters as a NumPy ``.npz`` file, one array per dotted name.

No pickle is written or read (``allow_pickle=False``), so loading a file never runs code.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np

__all__ = ["save", "load"]


def save(module, path: str | os.PathLike) -> Path:
    """Write ``module.state_dict()`` to ``path`` (an ``.npz`` file, written exactly there)."""
    path = Path(path)
    state = module.state_dict()
    with open(path, "wb") as f:  # a file object: np.savez would otherwise append ".npz"
        np.savez(f, **state)
    return path


def load(module, path: str | os.PathLike):
    """Read parameters saved by ``save`` into ``module`` in place and return the module.

    The file must hold exactly the module's parameter names with the same shapes; otherwise
    the error names the parameter and the module is left unchanged.
    """
    path = Path(path)
    with np.load(path, allow_pickle=False) as archive:
        state = {name: archive[name] for name in archive.files}
    try:
        return module.load_state_dict(state)
    except (KeyError, ValueError, TypeError) as err:  # same error, message names the file
        if err.args and isinstance(err.args[0], str):
            err.args = (type(err.args[0])(f"load {path}: {err.args[0]}"), *err.args[1:])
        raise
