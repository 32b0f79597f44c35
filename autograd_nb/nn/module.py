"""``Module``: the base class of layers and networks, which finds its parameters by itself.

Every leaf ``Tensor`` reachable from a module's attributes — directly, inside lists, tuples
and dicts, or inside sub-modules — is a parameter, named by the path that reaches it
(``layers.0.weight``). Keep constants as NumPy arrays so they are not trained; a computed tensor
kept on a module (say, the last activation, for a picture) is not a parameter.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterator, Mapping

import numpy as np

from ..errors import ShapeError
from ..grad_mode import no_grad
from ..scopes import close_scope, open_scope
from ..tensor import Tensor, as_values, got

__all__ = ["Module"]


class Module:
    """A piece of a network: parameters (tensors) plus a ``forward`` computation.

    Subclasses set their tensors and sub-modules as attributes in ``__init__`` and define
    ``forward``; calling the module calls ``forward``.
    """

    training: bool = True

    def forward(self, *args, **kwargs):
        raise NotImplementedError(
            f"{type(self).__name__}.forward is not defined; subclasses of nn.Module define "
            f"forward(self, x) returning the output tensor"
        )

    def __call__(self, *args, **kwargs):
        """Run ``forward``. The first call names every parameter below; every call marks
        its output with the records it made (``scopes.py``), so pictures can draw the call
        as one box."""
        if not self.__dict__.get("_labelled"):
            self.label_parameters()
        start = open_scope()
        out = self.forward(*args, **kwargs)
        close_scope(out, start, self, self.__dict__.get("_path") or type(self).__name__)
        return out

    def label_parameters(self) -> None:
        """Name every parameter by its dotted path (``layers.0.weight``), the label that
        drawings and tape tables show, and every module by its path (``layers.0``); done at
        the first call of the outermost module."""
        for name, p in self.named_parameters():
            p.name = name
        for path, module in self.named_modules():
            module.__dict__["_labelled"] = True
            module.__dict__["_path"] = path

    def own_parameters(self) -> Iterator[Tensor]:
        """The parameters held by this module itself, not by its sub-modules."""
        for name, value in self._named_members():
            for _, item in _flatten(name, value):
                if isinstance(item, Tensor) and item.is_leaf:
                    yield item

    # ------------------------------------------------------------------------- the tree
    def _named_members(self) -> Iterator[tuple[str, object]]:
        """(name, value) of this module's own attributes, in definition order.

        Subclasses that hold their children differently (``Sequential``) override this.
        """
        for name, value in vars(self).items():
            if name not in ("training", "_labelled", "_path"):
                yield name, value

    def named_children(self) -> Iterator[tuple[str, Module]]:
        """The direct sub-modules with their names (list items as ``name.i``)."""
        for name, value in self._named_members():
            for path, item in _flatten(name, value):
                if isinstance(item, Module):
                    yield path, item

    def children(self) -> Iterator[Module]:
        for _, child in self.named_children():
            yield child

    def named_modules(self, prefix: str = "") -> Iterator[tuple[str, Module]]:
        """This module and every module below it, each once, with its dotted path."""
        seen: set[int] = set()
        stack = [(prefix, self)]
        while stack:
            path, module = stack.pop()
            if id(module) in seen:
                continue
            seen.add(id(module))
            yield path, module
            kids = [(_join(path, name), child) for name, child in module.named_children()]
            stack.extend(reversed(kids))

    def modules(self) -> Iterator[Module]:
        for _, module in self.named_modules():
            yield module

    def named_parameters(self, prefix: str = "") -> Iterator[tuple[str, Tensor]]:
        """Every parameter once (a shared tensor under its first name), with dotted names."""
        seen: set[int] = set()
        for path, module in self.named_modules(prefix):
            for name, value in module._named_members():
                for sub, item in _flatten(name, value):
                    if isinstance(item, Tensor) and item.is_leaf and id(item) not in seen:
                        seen.add(id(item))
                        yield _join(path, sub), item

    def parameters(self) -> Iterator[Tensor]:
        """Every parameter once, in the order ``named_parameters`` gives."""
        for _, p in self.named_parameters():
            yield p

    # ------------------------------------------------------------------------- training
    def zero_grad(self) -> None:
        """Forget every parameter's gradient (``.grad`` becomes ``None``)."""
        for p in self.parameters():
            p.zero_grad()

    def train(self, mode: bool = True) -> Module:
        """Set ``training`` on this module and every sub-module; returns the module."""
        for module in self.modules():
            module.training = bool(mode)
        return self

    def eval(self) -> Module:
        """``train(False)``: evaluation mode."""
        return self.train(False)

    # ------------------------------------------------------------------------- state
    def state_dict(self) -> OrderedDict[str, np.ndarray]:
        """A copy of every parameter's values, by dotted name (a snapshot, not a view)."""
        return OrderedDict((name, p.data.copy()) for name, p in self.named_parameters())

    def load_state_dict(self, state: Mapping[str, object], strict: bool = True) -> Module:
        """Copy ``state``'s arrays into the parameters of the same names, in place.

        Everything is checked first — names (all of them when ``strict``) and shapes — so a
        mismatch raises, naming the parameter, and leaves the module unchanged. Values are
        converted to each parameter's dtype; the parameter tensors and arrays stay the same
        objects (an optimizer holding them keeps working).
        """
        if not isinstance(state, Mapping):
            raise TypeError(f"load_state_dict into {type(self).__name__}: state must be a "
                            f"mapping of names to arrays (model.state_dict()), got {got(state)}")
        params = OrderedDict(self.named_parameters())
        missing = [name for name in params if name not in state]
        unexpected = [name for name in state if name not in params]
        if strict and (missing or unexpected):
            parts = []
            if missing:
                parts.append(f"missing parameters {missing}")
            if unexpected:
                parts.append(f"unexpected names {unexpected}")
            raise KeyError(_Message(
                f"load_state_dict into {type(self).__name__}: {' and '.join(parts)}; the state "
                f"must come from a model built the same way (its names are {list(params)}), "
                f"or pass strict=False to load only the names that match"
            ))
        updates = []
        for name, p in params.items():
            if name not in state:
                continue
            value = state[name]
            value = as_values(value, f"load_state_dict into {type(self).__name__}: "
                                     f"parameter '{name}'", complex_ok=True)
            if value.shape != p.shape:
                raise ShapeError(
                    f"load_state_dict into {type(self).__name__}: parameter '{name}' has shape "
                    f"{p.shape} but the state gives shape {value.shape}; build the model with "
                    f"the same layer sizes as the one that was saved"
                )
            if not np.can_cast(value.dtype, p.dtype, casting="same_kind"):
                raise TypeError(
                    f"load_state_dict into {type(self).__name__}: parameter '{name}' is "
                    f"{p.dtype} but the state gives {value.dtype} values; give floats"
                )
            if not p.data.flags.writeable:
                raise ValueError(
                    f"load_state_dict into {type(self).__name__}: parameter '{name}' is "
                    f"read-only, so it cannot be loaded in place; nothing was loaded"
                )
            updates.append((p, value))
        with no_grad():
            for p, value in updates:
                p[...] = value  # in place: the same array, and graphs that saved it notice
        return self

    # ------------------------------------------------------------------------- display
    def extra_repr(self) -> str:
        """The text inside this module's parentheses in ``repr`` (e.g. the layer sizes)."""
        return ""

    def __repr__(self) -> str:
        kids = list(self.named_children())
        head = f"{type(self).__name__}({self.extra_repr()}"
        if not kids:
            return head + ")"
        lines = [head]
        for name, child in kids:
            text = repr(child).replace("\n", "\n  ")
            lines.append(f"  ({name}): {text}")
        return "\n".join(lines) + "\n)"


class _Message(str):
    """A KeyError message that prints as text (KeyError would show its repr, with quotes)."""

    def __repr__(self) -> str:
        return str(self)


def _join(prefix: str, name: str) -> str:
    return f"{prefix}.{name}" if prefix else name


def _flatten(name: str, value) -> Iterator[tuple[str, object]]:
    """(path, item) for ``value`` and whatever lists, tuples and dicts hold inside it."""
    if isinstance(value, (list, tuple)):
        for i, item in enumerate(value):
            yield from _flatten(f"{name}.{i}", item)
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _flatten(f"{name}.{key}", item)
    elif isinstance(value, (Module, Tensor)):
        yield name, value
