"""What every notebook builder shares: cells in, an executed notebook with stable outputs out.

A builder lists its cells as ``("md" | "code", source)`` pairs and calls ``write(CELLS, name)``;
the notebook is run on a fresh kernel and written next to this folder, without timings, with
each stream's pieces joined (so outputs do not depend on how the kernel flushed its prints) and
with saved widget state only for the widgets the notebook shows.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

NOTEBOOKS = Path(__file__).resolve().parents[1]


def build(cells: list[tuple[str, str]]) -> nbformat.NotebookNode:
    nb = new_notebook()
    nb.metadata["kernelspec"] = {"display_name": "Python 3", "language": "python",
                                 "name": "python3"}
    nb.metadata["language_info"] = {"name": "python"}
    for kind, source in cells:
        text = source.strip("\n")
        nb.cells.append(new_markdown_cell(text) if kind == "md" else new_code_cell(text))
    for n, cell in enumerate(nb.cells):
        cell["id"] = f"cell-{n:02d}"
    return nb


def coalesce_streams(outputs: list) -> list:
    """Join consecutive pieces of the same stream, as a notebook front end shows them."""
    joined: list = []
    for out in outputs:
        if (out.output_type == "stream" and joined and joined[-1].output_type == "stream"
                and joined[-1].name == out.name):
            joined[-1].text += out.text
        else:
            joined.append(out)
    return joined


def keep_shown_widgets(nb: nbformat.NotebookNode) -> None:
    """Keep the saved state of the widgets the notebook shows (and the models they use):
    players built only for their pictures would otherwise store every frame a second time."""
    state = nb.metadata.get("widgets", {}).get("application/vnd.jupyter.widget-state+json")
    if not state:
        return
    models = state["state"]
    todo = [out.data["application/vnd.jupyter.widget-view+json"]["model_id"]
            for cell in nb.cells if cell.cell_type == "code" for out in cell.outputs
            if "application/vnd.jupyter.widget-view+json" in out.get("data", {})]
    keep: set[str] = set()
    while todo:
        model = todo.pop()
        if model in keep or model not in models:
            continue
        keep.add(model)
        todo += re.findall(r"IPY_MODEL_([0-9a-f]{32})", json.dumps(models[model]))
    state["state"] = {k: v for k, v in models.items() if k in keep}


def write(cells: list[tuple[str, str]], name: str) -> Path:
    """Build the notebook ``name`` from ``cells``, run it on a fresh kernel and write it."""
    path = NOTEBOOKS / name
    nb = build(cells)
    NotebookClient(nb, timeout=120, kernel_name="python3", record_timing=False,
                   resources={"metadata": {"path": str(path.parent)}}).execute()
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = coalesce_streams(cell.outputs)
    keep_shown_widgets(nb)
    nbformat.write(nb, path)
    print("wrote", path)
    return path
