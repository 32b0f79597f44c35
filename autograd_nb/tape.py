"""``Tape``: the Wengert list of the operations run inside a ``with`` block.

Each record is one operation: its position on the tape, the primitive's name, its input
tensors and its output tensor. In a notebook the tape shows as the forward primal trace;
``adjoint_table(target)`` shows the reverse adjoint trace of the same records.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from .backward import seed_for, sweep
from .errors import AutogradError
from .grad_mode import pushed
from .node import Node
from .tensor import Tensor, got, need_tensor, zeros_like

__all__ = ["Tape", "Record"]


@dataclass(frozen=True)
class Record:
    """One operation on the tape: ``output = op(*inputs)``."""

    index: int
    op: str
    inputs: tuple
    output: Tensor
    node: Node = field(repr=False, compare=False)


class Tape:
    """Records every differentiable operation run inside ``with ag.Tape() as tape:``.

    Recorded nodes keep their gradients and saved values after a backward pass, so the graph,
    the tables and ``gradient`` can be read and re-run afterwards.
    """

    def __init__(self) -> None:
        self.records: list[Record] = []
        self._context = None

    def __enter__(self) -> Tape:
        self._context = pushed("tapes", self)
        self._context.__enter__()
        return self

    def __exit__(self, *exc) -> None:
        self._context.__exit__(*exc)
        self._context = None

    def _record(self, node: Node, inputs: tuple, output: Tensor) -> None:
        node.inspected = True
        self.records.append(Record(len(self.records), node.prim.name, inputs, output, node))

    def __len__(self) -> int:
        return len(self.records)

    def __iter__(self) -> Iterator[Record]:
        return iter(self.records)

    def __getitem__(self, i):
        return self.records[i]

    def gradient(self, target: Tensor, sources: Sequence[Tensor]) -> list[Tensor]:
        """d target / d source for each source (zeros where the target does not depend on it).

        ``sources`` is a list or tuple of tensors, and a list comes back (one tensor alone is
        refused: it would be taken row by row).

        ``.grad`` is left untouched; the tape can be asked again.
        """
        need_tensor(target, "tape.gradient: target",
                    "pass the tensor computed inside the `with ag.Tape()` block")
        if isinstance(sources, Tensor) or not isinstance(sources, (list, tuple)):
            raise TypeError(
                f"tape.gradient: sources must be a list (or tuple) of tensors, got "
                f"{got(sources)}; write tape.gradient(y, [x]) and take the first result "
                f"(a tensor would be taken row by row)"
            )
        for i, s in enumerate(sources):
            need_tensor(s, f"tape.gradient: sources[{i}]")
        if target._node is None:
            raise AutogradError(
                "tape.gradient: the target does not depend on any tensor that requires grad; "
                "create the sources with requires_grad=True before running the computation"
            )
        wanted = {}
        for s in sources:
            if s._node is None:
                raise AutogradError(
                    f"tape.gradient: source of shape {s.shape} does not require grad; create it "
                    f"with ag.tensor(..., requires_grad=True)"
                )
            wanted[s._node] = s
        found = sweep(target._node, seed_for(target, None, False, "tape.gradient"),
                      retain_graph=True, accumulate=False, sources=wanted)
        return [
            Tensor(found[s._node], dtype=s.dtype) if s._node in found else zeros_like(s)
            for s in sources
        ]

    def adjoint_table(self, target: Tensor):
        """The reverse adjoint trace from ``target``: each step of the sweep as a table row."""
        from .tables import adjoint_table

        need_tensor(target, "tape.adjoint_table: target",
                    "pass the tensor computed inside the `with ag.Tape()` block")
        if target._node is None:
            raise AutogradError(
                "tape.adjoint_table: the target does not depend on any tensor that requires "
                "grad, so there is no sweep to show; create the inputs with requires_grad=True"
            )
        return adjoint_table(target, self)

    def _repr_html_(self) -> str:
        from .tables import primal_table

        return primal_table(self)._repr_html_()

    def __repr__(self) -> str:
        from .tables import primal_table

        return repr(primal_table(self))
