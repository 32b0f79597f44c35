"""Command line: ``python -m autograd_nb demo [--out DIR]`` trains a small network on the moons.

The demo fits MLP(2, [16, 16], 1) with Adam to ``make_moons(300, noise=0.1)``, shows a progress
bar and prints the training accuracy. With ``--out DIR`` it also writes the loss curve, the
decision boundary, the graph of the loss on one sample and that graph's backward pass (an
offline page) into DIR (``write_pictures`` is the one place that does so).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

__all__ = ["main", "demo", "write_pictures"]


def demo(out: Path | None = None, steps: int = 300, seed: int = 0,
         progress: bool = True) -> float:
    """Train the demo network and return its training accuracy (pictures into ``out``)."""
    from . import data, nn, optim

    X, y = data.make_moons(300, noise=0.1, seed=seed)
    model = nn.MLP(2, [16, 16], 1, activation="tanh", rng=seed)
    optimizer = optim.Adam(model.parameters(), lr=0.01)
    history = nn.fit(model, nn.binary_cross_entropy_with_logits, X, y.reshape(-1, 1),
                     optimizer, steps=steps, metrics={"accuracy": nn.accuracy},
                     progress=progress, desc="moons")
    accuracy = nn.accuracy(model(X), y)
    stopped = " (interrupted)" if history.interrupted else ""
    final = f"final loss {history.loss[-1]:.4f}, " if history.loss else ""
    print(f"MLP(2, [16, 16], 1) on make_moons(300, noise=0.1): {len(history)} steps{stopped}, "
          f"{final}training accuracy {accuracy:.1%}")
    if out is not None:
        out.mkdir(parents=True, exist_ok=True)
        written = write_pictures(model, X, y, history, out,
                                 loss_fn=nn.binary_cross_entropy_with_logits,
                                 targets=y.reshape(-1, 1))
        if written:
            for path in written:
                print(f"wrote {path}")
        else:
            print(f"no pictures written into {out}: the visual layer needs matplotlib")
    return accuracy


def write_pictures(model, X, y, history, out: Path, **options) -> list[Path]:
    """Write the demo's pictures (loss curve, decision boundary, graph, backward pass) into
    ``out``; ``options`` go to ``viz.pictures.write_pictures``.

    They come from the visual layer (``autograd_nb.viz.pictures``); when it cannot be imported
    (matplotlib missing) nothing is written.
    """
    try:
        from .viz.pictures import write_pictures as write
    except ImportError:
        return []
    written = write(model, X, y, history, out, **options) or {}
    return [Path(p) for p in (written.values() if isinstance(written, dict) else written)]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m autograd_nb",
                                     description="autograd_nb from the command line")
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser("demo", help="train an MLP on the moons and report its accuracy")
    run.add_argument("--out", type=Path, default=None, help="directory for the pictures")
    run.add_argument("--steps", type=int, default=300, help="optimizer steps (default 300)")
    run.add_argument("--seed", type=int, default=0, help="seed of the data and the weights")
    run.add_argument("--no-progress", action="store_true", help="hide the progress bar")
    args = parser.parse_args(argv)
    demo(args.out, steps=args.steps, seed=args.seed, progress=not args.no_progress)
    return 0


if __name__ == "__main__":
    sys.exit(main())
