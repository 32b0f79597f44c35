"""Write notebooks/02_the_graph_and_the_tape.ipynb from the cells below and run it, so that
the committed notebook carries its outputs:

    env -u MPLBACKEND python notebooks/_build/make_02_the_graph_and_the_tape.py

Cells that draw start with ``# NBVAL_CHECK_OUTPUT``: the pictures are deterministic SVG, so
nbval compares them (and the tables beside them) byte for byte. Run this again after changing
how pictures or tables look.
"""

from __future__ import annotations

from common import write

CHECK = "# NBVAL_CHECK_OUTPUT\n"

CELLS: list[tuple[str, str]] = [
    ("md", r"""
# 2 · The graph and the tape

**What this notebook teaches**

- every operation run inside `with ag.Tape()` is written down, in order, on the **tape**
  (a Wengert list); the **graph** is that same list drawn as boxes and arrows;
- before `backward()` the picture holds the forward pass: each value, and on each arrow the
  **local derivative** $\partial\,\text{out}/\partial\,\text{in}$ of one operation;
- after `backward()` every box also shows its **gradient** $\partial d/\partial\,\text{box}$:
  the products of local derivatives along the paths to $d$, added up where paths meet;
- the tables (forward primal trace, reverse adjoint trace) use the same names as the picture,
  so you can read them side by side.

**What it assumes**: notebook 1: the chain rule on $d = (a + b)\cdot c$, the two chains of
$d = (a + b)\cdot(a\cdot c)$, and the tape as a table. Here are the same examples, drawn.

The pictures are drawn by `autograd_nb` itself (no Graphviz), the same way every run.
"""),
    ("code", """
import autograd_nb as ag
from autograd_nb.viz import draw
from autograd_nb.viz.draw import side_by_side
"""),
    ("md", r"""
## 1. $d = (a + b)\cdot c$ before `backward()`

Three inputs (blue, left), two operations, the output $d$ (green, right). Each box reads like a
line of the program: `e = a + b`, `d = e · c`, with the value computed on the way forward.

**Look at the arrows:** each carries the local derivative of one operation with respect to one
input. For $d = e\cdot c$: $\partial d/\partial e = c = 10$ and $\partial d/\partial c = e = -1$.
For $e = a + b$ both are $1$. On the right, the tape as a table: one row per recorded
operation, with the same names `e` and `d`.
"""),
    ("code", CHECK + """
with ag.Tape() as tape1:
    a = ag.tensor(2.0, requires_grad=True, name="a")
    b = ag.tensor(-3.0, requires_grad=True, name="b")
    c = ag.tensor(10.0, requires_grad=True, name="c")
    e = a + b
    e.name = "e"
    d = e * c
    d.name = "d"

side_by_side(draw(d, title="d = (a + b)·c, forward pass"), tape1)
"""),
    ("md", r"""
## 2. The same graph after `backward()`

`d.backward()` walks the tape backwards. Now each box has an orange **grad** line:
$\partial d/\partial\,\text{box}$.

**Look at** $a$: its gradient is the product of the local derivatives on the path
$a \to e \to d$: $\partial d/\partial a = \partial d/\partial e\cdot\partial e/\partial a = 10\cdot 1 = 10$.
The reverse adjoint trace on the right lists the sweep's steps in the order the engine ran them:
each row multiplies the gradient arriving at a box by the local derivative on one arrow.
"""),
    ("code", CHECK + """
d.backward()
side_by_side(draw(d, title="d = (a + b)·c, after backward()"), tape1.adjoint_table(d))
"""),
    ("md", r"""
## 3. Two chains: $d = (a + b)\cdot(a\cdot c)$, before `backward()`

Now $a$ is used twice: **two arrows leave $a$**, one into `e = a + b` and one into
`v2 = a · c` (an operation without a name gets `v1`, `v2`, … in tape order).
The local derivatives: $\partial v2/\partial a = c = 10$, $\partial d/\partial e = v2 = 20$,
$\partial d/\partial v2 = e = -1$.
"""),
    ("code", CHECK + """
with ag.Tape() as tape2:
    a = ag.tensor(2.0, requires_grad=True, name="a")
    b = ag.tensor(-3.0, requires_grad=True, name="b")
    c = ag.tensor(10.0, requires_grad=True, name="c")
    e = a + b
    e.name = "e"
    d = e * (a * c)
    d.name = "d"

side_by_side(draw(d, title="d = (a + b)·(a·c), forward pass"), tape2)
"""),
    ("md", r"""
## 4. After `backward()`: the two chains add up

**Look at** $a$'s gradient, $10$. It is the **sum** over the two paths from $a$ to $d$:

- through `e`: $\partial d/\partial e\cdot\partial e/\partial a = 20\cdot 1 = 20$,
- through `v2`: $\partial d/\partial v2\cdot\partial v2/\partial a = (-1)\cdot 10 = -10$,

so $\partial d/\partial a = 20 - 10 = 10$. In the adjoint table, `ā` gets two rows: "term 1"
($-10$) and "term 2" ($+20$), and its running sum ends at $10$.
"""),
    ("code", CHECK + """
d.backward()
side_by_side(draw(d, title="d = (a + b)·(a·c), after backward()"), tape2.adjoint_table(d))
"""),
    ("md", r"""
## 5. The tape is a list

The picture and the tables are read from the tape's records. Each has an index, the name of
the operation, its inputs and its output, in the order they ran. (Tensors without a name print
as `·` here; the picture and the tables call them `v1`, `v2`, … in tape order.)
"""),
    ("code", CHECK + """
for record in tape2:
    inputs = ", ".join(t.name or "·" for t in record.inputs)
    print(record.index, record.op, f"({inputs})", "->", record.output.name or "·",
          record.output.item())
"""),
    ("md", r"""
## 6. Big graphs stay readable

A loop makes long graphs: 200 steps of `x = tanh(w·x + 0.1)` record 600 operations. `draw`
collapses a chain of single steps into one box marked `×N` (violet; green here, because the
chain ends with the output) and **says what it collapsed** under the picture (`max_nodes`
sets how many boxes are allowed).
`picture.save("graph.svg")` or `picture.save("graph.png")` writes any picture to a file.
"""),
    ("code", CHECK + """
x = ag.tensor(0.5, requires_grad=True, name="x")
w = ag.tensor(0.9, requires_grad=True, name="w")
y = x
for _ in range(200):
    y = ag.tanh(w * y + 0.1)
y.name = "y"
y.backward()
draw(y, max_nodes=30, title="200 steps of x = tanh(w·x + 0.1)")
"""),
    ("md", r"""
## Summary

- `draw(t)` pictures the graph that produced `t` (or `draw(tape)`, all of a tape): inputs on
  the left, the output on the right, each box a line of the program with its value.
- Arrows carry **local derivatives**; after `backward()` boxes carry **gradients**, which are
  sums over paths of products of the local derivatives.
- The tape tables name everything as the picture does: the forward primal trace lists the
  boxes, the reverse adjoint trace lists the arrows in the order the sweep used them.

## Exercises

**1.** Before running it, sketch the graph of $d = a\cdot b + b\cdot c$ with $a = 2$, $b = -3$,
$c = 10$: how many records does the tape hold, how many arrows leave $b$, and what local
derivative does each arrow carry? Which gradient does $b$ get after `backward()`? Then draw it.

<details>
<summary>Solution</summary>

Three records: two products and a sum (`len(tape)` is 3). Two arrows leave $b$: into
`v1 = a · b` carrying $\partial v1/\partial b = a = 2$, and into `v2 = b · c` carrying
$\partial v2/\partial b = c = 10$. Both products enter the sum with local derivative 1, so
$\partial d/\partial b = 1\cdot 2 + 1\cdot 10 = 12$: two paths, added.

```python
with ag.Tape() as tape:
    a = ag.tensor(2.0, requires_grad=True, name="a")
    b = ag.tensor(-3.0, requires_grad=True, name="b")
    c = ag.tensor(10.0, requires_grad=True, name="c")
    d = a * b + b * c
    d.name = "d"
d.backward()
print(len(tape), b.grad)       # 3 tensor(12.)
draw(d)
```
</details>

**2.** Draw $d = (a + b)\cdot c + 3$ where `c = ag.tensor(10.0)` is created *without*
`requires_grad=True`. How do `c` and `3` look in the picture? Do they get a gradient?

<details>
<summary>Solution</summary>

Both are **constants**: grey dashed boxes, with no local derivative on their arrows and no
`grad` line. Nothing asked for their gradient, so the sweep never computes it (`c.grad` stays
`None`). The inputs $a$ and $b$ still get $\partial d/\partial a = \partial d/\partial b = c = 10$.

```python
a = ag.tensor(2.0, requires_grad=True, name="a")
b = ag.tensor(-3.0, requires_grad=True, name="b")
c = ag.tensor(10.0, name="c")
d = (a + b) * c + 3
d.name = "d"
d.backward()
print(a.grad, c.grad)          # tensor(10.) None
draw(d)
```
</details>

**3.** How many records does this tape hold, and what is $\partial y/\partial x$ at $x = 1.1$?
Answer first, then check with `len(tape)` and `tape.gradient`.

```python
with ag.Tape() as tape:
    x = ag.tensor(1.1, requires_grad=True, name="x")
    y = x
    for _ in range(4):
        y = y * y
```

<details>
<summary>Solution</summary>

Four records, one per `y * y`: the loop runs on the tape as four multiplications, not as a
loop. Each squares the previous value, so $y = x^{16}$ and
$\partial y/\partial x = 16\,x^{15} \approx 66.836$. In the graph each product receives the
*same* input twice (two arrows from one box), and its local derivatives add up: $2y$.

```python
len(tape), tape.gradient(y, [x])      # (4, [tensor(66.83597071)])
```
</details>

---

**Next:** [3 · Watching the chain rule](03_watching_the_chain_rule.ipynb) plays the reverse
sweep step by step on these pictures.
"""),
]


if __name__ == "__main__":
    write(CELLS, "02_the_graph_and_the_tape.ipynb")
