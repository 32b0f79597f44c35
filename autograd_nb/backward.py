"""The reverse sweep: walk the recorded nodes from the output back to the leaves.

Nodes are taken in decreasing tape order (a heap keyed by ``Node.index``), so every chain that
reaches a node has been added into its gradient before that gradient is passed on: the
"sum over all paths" of the chain rule. The loop is iterative (a chain of a million operations
is fine) and each gradient is dropped as soon as it has been passed on.

An optional observer is told each step as plain data (``SweepStep``); pictures of the sweep are
recordings of this loop, not a second implementation of it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from heapq import heappop, heappush

import numpy as np

from .errors import AutogradError, InplaceError, ReleasedGraphError, ShapeError
from .grad_mode import set_grad_enabled, state
from .node import Node, current_epoch, written_since
from .primitives.registry import unbroadcast
from .primitives.shaping import astype
from .tensor import Tensor

__all__ = ["sweep", "SweepStep", "seed_for", "record_sweep"]


@dataclass(frozen=True)
class SweepStep:
    """One step of the reverse sweep, as an observer sees it.

    Attributes
    ----------
    kind : str
        ``"visit"``: the sweep takes node ``node``'s total gradient ``grad``;
        ``"edge"``: it sends ``contribution = grad · local`` along the edge to input ``input``
        of that node (the node ``parent``), whose running sum becomes ``total``, made of
        ``terms`` chain terms so far;
        ``"leaf"``: leaf ``node``'s gradient ``grad`` is final.
    node, parent : int
        tape indexes (``Node.index``) of the nodes involved.
    local : numpy.ndarray or None
        ∂node/∂parent per element where that is a diagonal (elementwise ops) or a scalar;
        ``None`` otherwise.
    """

    kind: str
    node: int
    op: str
    grad: np.ndarray
    input: int | None = None
    parent: int | None = None
    local: np.ndarray | None = None
    contribution: np.ndarray | None = None
    total: np.ndarray | None = None
    terms: int = 0


def seed_for(output: Tensor, grad, create_graph: bool, caller: str):
    """The gradient the sweep starts from: ``grad``, or 1 for a one-element output."""
    if grad is None:
        if output.data.size != 1:
            raise AutogradError(
                f"{caller}: the output has shape {output.shape}, not a single number, so the "
                f"gradient to start from is ambiguous; pass grad= (an array of shape "
                f"{output.shape}, e.g. ag.ones_like(y)) or reduce first (y.sum().backward())"
            )
        seed = np.array(1, dtype=output.data.dtype).reshape(output.shape)
    else:
        seed = grad if isinstance(grad, Tensor) and create_graph else np.asarray(
            grad.data if isinstance(grad, Tensor) else grad, dtype=output.dtype)
        if seed.shape != output.shape:
            raise ShapeError(
                f"{caller}: grad has shape {tuple(seed.shape)} but the output has shape "
                f"{output.shape}; pass a gradient of the output's shape"
            )
    return Tensor._wrap(seed, None) if create_graph and not isinstance(seed, Tensor) else seed


def sweep(
    root: Node,
    seed,
    *,
    retain_graph: bool = False,
    create_graph: bool = False,
    accumulate: bool = True,
    sources: dict | None = None,
    observer: Callable[[SweepStep], None] | None = None,
) -> dict:
    """Propagate ``seed`` (d target / d root) backwards from ``root``.

    With ``accumulate`` the leaves' ``.grad`` receive their gradients; ``sources`` (nodes) have
    theirs returned in a dict. Nothing is written until the sweep has succeeded, so a failed
    sweep leaves every ``.grad`` as it was. Saved values are released afterwards unless
    ``retain_graph``; with ``create_graph`` the sweep's own operations are recorded.
    """
    if create_graph:  # the recorded sweep refers to the saved values: keep them (as PyTorch)
        with set_grad_enabled(True):
            return _sweep(root, seed, True, True, accumulate, sources, observer)
    return _sweep(root, seed, retain_graph, False, accumulate, sources, observer)


def record_sweep(output: Tensor, grad=None, caller: str = "record_sweep") -> list[SweepStep]:
    """The steps of the reverse sweep from ``output``, as plain data, for tables and pictures.

    The sweep runs once with ``retain_graph=True`` and ``accumulate=False``: no ``.grad`` is
    written and the graph can still be swept (or ``backward()`` called) afterwards. ``caller``
    names the function the user called, in error messages.
    """
    if output._node is None:
        raise AutogradError(
            f"{caller}: the output (shape {output.shape}) does not depend on any tensor "
            f"that requires grad; create the inputs with requires_grad=True"
        )
    steps: list[SweepStep] = []
    sweep(output._node, seed_for(output, grad, False, caller), retain_graph=True,
          accumulate=False, observer=steps.append)
    return steps


def _sweep(root, seed, retain_graph, create_graph, accumulate, sources, observer) -> dict:
    grads = {}  # operation node -> its gradient so far (dropped once passed on)
    leaf_grads = {}  # leaves need no ordering: their sums are kept aside
    heap = []  # (-index, node): the largest tape index comes out first
    if root.prim is None:
        leaf_grads[root] = seed
    else:
        grads[root] = seed
        heap.append((-root.index, root))
    terms = {} if observer else None  # chain terms summed into each node so far
    done = []  # operation nodes processed, released at the end
    retained = []
    found = {}
    epoch = current_epoch()
    anomaly = state.anomaly
    while heap:
        node = heappop(heap)[1]
        g = grads.pop(node)
        prim = node.prim
        args = node.args
        if node.released:
            raise ReleasedGraphError(
                f"backward through '{prim.name}' (node {node.index}, shape {node.value.shape}) a "
                f"second time: its saved values were released after the first backward; pass "
                f"retain_graph=True to the first backward() to sweep the graph again"
            )
        if node.epoch != epoch:
            _check_unchanged(node)
        if node.inspected:
            retained.append((node, g))
        if sources is not None and node in sources:
            found[node] = g
        ans = node.value
        saved = node.saved
        if create_graph:  # rules recompute from tensors, so that their work is recorded
            g, ans, args = _as_tensors(node, g)
            saved = None
        if observer:
            observer(SweepStep("visit", node.index, prim.name, _array(g)))
        vjps = prim.vjps
        # a primitive with any number of inputs (stack, concatenate) gives every input's share
        # in one call: asked input by input, its sweep would cost O(n²)
        together = prim.vjp_together
        shares = None if together is None else together(g, ans, *args)
        i = -1
        for parent in node.parents:
            i += 1
            if parent is None:
                continue
            try:
                rule = vjps[i]
            except IndexError:
                rule = None
            if rule is None:
                prim.vjp(i)  # raises MissingRuleError naming the primitive and the input
            if shares is not None:
                c = shares[i]
            elif saved is None:
                c = rule(g, ans, *args)
            else:
                c = rule(g, ans, *args, saved=saved)
            try:
                fits = c.shape == args[i].shape
            except AttributeError:  # the rule returned None, a tuple, a plain number
                fits = False
            if not fits:
                c = _to_input_shape(prim, i, c, args[i])
            if anomaly:
                _check_finite_backward(prim, i, c)
            if parent.prim is None:
                total = leaf_grads.get(parent)
                leaf_grads[parent] = c if total is None else total + c
            elif parent in grads:
                grads[parent] = grads[parent] + c
            else:
                grads[parent] = c
                heappush(heap, (-parent.index, parent))
            if observer:
                terms[parent] = terms.get(parent, 0) + 1
                total = leaf_grads[parent] if parent.prim is None else grads[parent]
                observer(_edge_step(node, i, parent, g, ans, args, rule, c, total, terms[parent]))
        done.append(node)
    if observer or sources:
        for leaf in sorted(leaf_grads, key=_tape_order, reverse=True):
            g = leaf_grads[leaf]
            if observer:
                observer(SweepStep("leaf", leaf.index, "leaf", _array(g)))
            if sources is not None and leaf in sources:
                found[leaf] = g
    handed = {id(seed)}  # arrays given out as a .grad (and the caller's seed): never shared
    if accumulate:
        for leaf, g in leaf_grads.items():
            _accumulate(leaf, g, create_graph, handed)
    for node, g in retained:
        node.grad = g if isinstance(g, Tensor) else Tensor._wrap(_owned(g, g.dtype, handed), None)
    if not retain_graph:
        for node in done:
            node.saved = None
            if not node.inspected:  # a Tape's nodes can be swept again, for its tables
                node.released = True
    return found


def _to_input_shape(prim, i: int, c, x):
    """A rule's result summed back to its input's shape (broadcasting undone), or an error
    naming the primitive, the input and both shapes: never a gradient of another shape."""
    if isinstance(c, np.generic):
        c = np.asarray(c)
    if not isinstance(c, (np.ndarray, Tensor)):
        raise TypeError(
            f"the VJP rule of '{prim.name}' for its input {i} returned {type(c).__name__}, not "
            f"an array; it must return g · ∂ans/∂input as an array of the input's shape "
            f"{x.shape} (or of the broadcast shape)"
        )
    fitted = unbroadcast(c, x.shape) if c.ndim >= x.ndim else c
    if fitted.shape != x.shape:
        raise ShapeError(
            f"the VJP rule of '{prim.name}' for its input {i} returned shape {c.shape}, but "
            f"that input has shape {x.shape}; the rule must return g · ∂ans/∂input in the "
            f"input's shape (or the broadcast shape, which the sweep sums back)"
        )
    return fitted


def _tape_order(node: Node) -> int:
    return node.index


def _accumulate(node: Node, g, create_graph: bool, handed: set) -> None:
    """Add ``g`` into a leaf's ``.grad``."""
    tensor = node.tensor_ref()
    dtype = g.dtype if tensor is None else tensor.data.dtype
    old = node.grad
    if create_graph:
        g = g if g.dtype == dtype else astype(g, dtype)  # recorded, so it stays differentiable
        node.grad = g if old is None else old + g
    elif old is None:
        node.grad = Tensor._wrap(_owned(g, dtype, handed), None)
    else:  # a new array in the same Tensor: a gradient array another leaf shares stays intact
        total = old.data + g
        old.data = total if total.dtype == dtype else total.astype(dtype)


def _owned(g, dtype, handed: set) -> np.ndarray:
    """``g`` as a writable ndarray of ``dtype`` that no other ``.grad`` nor the caller's seed
    shares (rules may return scalars, views, or one array for two inputs, as ``add`` does)."""
    key = id(g)
    if (type(g) is not np.ndarray or g.base is not None or g.dtype != dtype
            or key in handed or not g.flags.writeable):
        g = np.array(g, dtype=dtype)
        key = id(g)
    handed.add(key)
    return g


def _as_tensors(node: Node, g):
    """The gradient, output and inputs of ``node`` as tensors wired into the graph, so the rule's
    operations are recorded (``create_graph=True``)."""
    if not isinstance(g, Tensor):
        g = Tensor._wrap(np.asarray(g), None)
    ans = Tensor._wrap(node.value, node)
    n = len(node.parents)
    args = tuple(
        Tensor._wrap(a, p) if p is not None else a
        for a, p in zip(node.args[:n], node.parents)
    ) + node.args[n:]
    return g, ans, args


def _check_unchanged(node: Node) -> None:
    """Raise if an input this node saved, or its own output, was changed in place since."""
    saved = node.args[: len(node.parents)]
    for position, a in enumerate(saved):
        if written_since(a, node.epoch):
            raise InplaceError(
                f"backward through '{node.prim.name}': its input {position} (shape {a.shape}) "
                f"was changed in place after '{node.prim.name}' saved it (through it, a view of "
                f"it such as t[i] or t.reshape(...), or t.detach()), so the gradient would use "
                f"the wrong value; run backward() before changing it (e.g. before "
                f"optimizer.step()), or compute a new tensor instead of modifying it"
            )
    if written_since(node.value, node.epoch):
        raise InplaceError(
            f"backward through '{node.prim.name}': its output (shape {node.value.shape}) was "
            f"changed in place after '{node.prim.name}' computed it, so the gradient would use "
            f"the wrong value; compute a new tensor (h = h * 2) instead of changing it in place"
        )


def _check_finite_backward(prim, i: int, c) -> None:
    values = _array(c)
    if np.issubdtype(values.dtype, np.inexact) and not np.all(np.isfinite(values)):
        bad = "NaN" if np.isnan(values).any() else "inf"
        raise FloatingPointError(
            f"detect_anomaly: the backward of '{prim.name}' produced {bad} in the gradient of "
            f"its input {i} (shape {values.shape}); look at the values reaching '{prim.name}' "
            f"in the forward pass (e.g. sqrt or log at 0)"
        )


def _array(x) -> np.ndarray:
    return np.asarray(x.data if isinstance(x, Tensor) else x)


def _edge_step(node, i, parent, g, ans, args, rule, c, total, terms) -> SweepStep:
    """Describe one edge of the sweep; the local derivative is computed only here, for observers."""
    local = None
    g_values = _array(g)
    if node.prim.elementwise or (g_values.size == 1 and np.size(args[i]) == 1):
        with set_grad_enabled(False):
            plain = tuple(_array(a) if isinstance(a, Tensor) else a for a in args)
            local = _array(rule(np.ones_like(g_values), _array(ans), *plain))
    return SweepStep("edge", node.index, node.prim.name, g_values, i, parent.index, local,
                     _array(c), _array(total), terms)
