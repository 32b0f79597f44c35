"""Write notebooks/06_forward_vs_reverse.ipynb from the cells below and run it, so that the
committed notebook carries its outputs (without timings, which would change at every run):

    env -u MPLBACKEND python notebooks/_build/make_06_forward_vs_reverse.py

Cells whose numbers, tables or pictures the text states start with ``# NBVAL_CHECK_OUTPUT``:
nbval compares them. The costs are counted (passes, operations), never timed, so they are the
same at every run; the one cell that times starts with ``# NBVAL_IGNORE_OUTPUT`` and the text
quotes none of its numbers. Cells that display a player start with ``# NBVAL_IGNORE_OUTPUT``:
a widget view holds model ids.
"""

from __future__ import annotations

from common import write

CHECK = "# NBVAL_CHECK_OUTPUT\n"
IGNORE = "# NBVAL_IGNORE_OUTPUT\n"

CELLS: list[tuple[str, str]] = [
    ("md", r"""
# 6 · Forward mode and reverse mode

**What this notebook teaches**

- the **Jacobian** $J$ of a function $f:\mathbb{R}^n\to\mathbb{R}^m$, the $m\times n$ table of
  every $\partial y_i/\partial x_j$, and the two questions automatic differentiation can ask
  it in one pass:
  **forward mode** (`ag.jvp`) gives $J\,v$, with $v = e_j$ one *column*;
  **reverse mode** (`ag.vjp`, `backward()`) gives $u^\top J$, with $u = e_i$ one *row*;
- a Jacobian built both ways, column by column and row by row, and checked equal;
- the same small graph walked in both directions, in pictures from the engine;
- the **cost** of each, counted by the engine as $n$ and $m$ grow: passes and operations;
- why deep learning uses reverse mode (one loss, millions of parameters), and where forward
  mode wins (few inputs, many outputs).

**What it assumes**: notebooks 1–3: the chain rule and its sums over chains, the tape and the
reverse sweep, and the forward-mode player at the end of notebook 3. The cost section speaks of
a network's parameters; notebooks 4 and 5 train such networks, but nothing here needs them.

Every number below is computed by the engine; the costs are *counted* (how many passes, how many
operations ran), so they are the same at every run.
"""),
    ("code", """
import numpy as np

import autograd_nb as ag
from autograd_nb import viz

rng = np.random.default_rng(0)
np.set_printoptions(precision=4, suppress=True)
"""),
    ("md", r"""
## 1. One Jacobian, two questions

Take a function with $n = 3$ inputs and $m = 2$ outputs:

$$f(x) = \begin{pmatrix} x_1 x_2 + \sin x_3 \\ x_1 e^{x_3} \end{pmatrix},
\qquad
J = \begin{pmatrix}
\partial y_1/\partial x_1 & \partial y_1/\partial x_2 & \partial y_1/\partial x_3 \\
\partial y_2/\partial x_1 & \partial y_2/\partial x_2 & \partial y_2/\partial x_3
\end{pmatrix}
= \begin{pmatrix} x_2 & x_1 & \cos x_3 \\ e^{x_3} & 0 & x_1 e^{x_3} \end{pmatrix}.$$

At $x = (1, 2, 0.5)$ that is $\begin{pmatrix} 2 & 1 & 0.8776 \\ 1.6487 & 0 & 1.6487\end{pmatrix}$.
(In the code, Python counts from 0: `x[0]` is $x_1$.)

**Forward mode** pushes a direction $v$ in the *input* space through $f$ and returns
$J\,v$: how the outputs move when the inputs move along $v$. With $v = e_1 = (1, 0, 0)$ that is
the first **column** of $J$, $\partial y/\partial x_1$.
"""),
    ("code", CHECK + """
def f(x):
    return ag.stack([x[0] * x[1] + ag.sin(x[2]), x[0] * ag.exp(x[2])])


x = np.array([1.0, 2.0, 0.5])
y, column = ag.jvp(f, (x,), (np.array([1.0, 0.0, 0.0]),))
print("f(x)           =", y)
print("J·e1 (column 1) =", column)
"""),
    ("md", r"""
**Reverse mode** pulls a weighting $u$ of the *outputs* back through $f$ and returns
$u^\top J$: how much each input matters to the combination $u^\top y$. With
$u = e_1 = (1, 0)$ that is the first **row** of $J$, the gradient of $y_1$. `ag.vjp(f, x)`
records $f$ once and returns a function that runs one reverse sweep per call:
"""),
    ("code", CHECK + """
y, pullback = ag.vjp(f, x)
print("e1ᵀ·J (row 1) =", pullback(np.array([1.0, 0.0])))
print("e2ᵀ·J (row 2) =", pullback(np.array([0.0, 1.0])))
"""),
    ("md", r"""
`backward()` is the same thing: `y.backward(u)` is one reverse sweep seeded with $u$, and for
a loss ($m = 1$, $u = 1$) its one row is the whole gradient.

Neither mode ever builds $J$: each pass computes one product with it. Any $v$ works, not only
the basis vectors; the result is the directional derivative along $v$:
"""),
    ("code", CHECK + """
v = np.array([0.5, -1.0, 2.0])
_, Jv = ag.jvp(f, (x,), (v,))
J = ag.jacobian(f)(x)
print("jvp:       ", Jv)
print("J @ v:     ", J @ v)
"""),
    ("md", r"""
## 2. A Jacobian built both ways

Stacking the answers gives the whole matrix: $n$ forward passes with the basis tangents
$e_1, \dots, e_n$ give the columns; $m$ reverse sweeps with the seeds $e_1, \dots, e_m$ give
the rows. (`ag.jacobian` is the second way: one reverse sweep per output.)
"""),
    ("code", CHECK + """
def jacobian_by_columns(f, x):
    \"\"\"n forward passes: column j is J·e_j.\"\"\"
    basis = np.eye(x.size)
    return np.stack([ag.jvp(f, (x,), (e,))[1] for e in basis], axis=1)


def jacobian_by_rows(f, x):
    \"\"\"One recording, then m reverse sweeps: row i is e_iᵀ·J.\"\"\"
    y, pullback = ag.vjp(f, x)
    return np.stack([pullback(e) for e in np.eye(y.size)])


by_columns = jacobian_by_columns(f, x)
by_rows = jacobian_by_rows(f, x)
print("columns from 3 forward passes:", by_columns, sep="\\n")
print("rows from 2 reverse sweeps:", by_rows, sep="\\n")
print("equal:", np.allclose(by_columns, by_rows), "  equal to ag.jacobian:",
      np.allclose(by_rows, ag.jacobian(f)(x)))
"""),
    ("md", r"""
The same check on a bigger function, $f(x) = W_2\tanh(W_1 x)$ with $n = 6$ inputs, $m = 4$
outputs and random weights, compared with a finite difference too:
"""),
    ("code", CHECK + """
W1 = rng.normal(size=(5, 6))
W2 = rng.normal(size=(4, 5))


def layer(x):
    return W2 @ ag.tanh(W1 @ x)


x6 = rng.normal(size=6)
J_forward = jacobian_by_columns(layer, x6)
J_reverse = jacobian_by_rows(layer, x6)
h = 1e-6
J_numeric = np.stack([(np.asarray(layer(x6 + h * e)) - np.asarray(layer(x6 - h * e))) / (2 * h)
                      for e in np.eye(6)], axis=1)
print("shape", J_forward.shape,
      "| forward = reverse:", np.allclose(J_forward, J_reverse),
      "| = finite differences:", np.allclose(J_forward, J_numeric, atol=1e-6))
"""),
    ("md", r"""
## 3. Both directions on one graph

Back to the course's example, $d = (a + b)\cdot(a\cdot c)$ at $a = 2$, $b = -3$, $c = 10$:
three inputs, one output, so $J$ is one row, $(\partial d/\partial a,\ \partial d/\partial b,\
\partial d/\partial c) = (10, 20, -2)$.

**Forward mode** needs **three passes**, one per input: the tangent $da = 1$ (and
$db = dc = 0$) flows from the left and arrives at $d$ as $\partial d/\partial a$; then
$db = 1$; then $dc = 1$. **Reverse mode** needs **one sweep**: the seed
$\partial d/\partial d = 1$ flows from the right and arrives at every input at once.
**Compare** the local derivatives on the edges: they are the same numbers in all four pictures;
only the direction in which they are multiplied changes.
"""),
    ("code", """
def two_chains(a, b, c):
    h = a + b
    h.name = "h"
    i = a * c
    i.name = "i"
    d = h * i
    d.name = "d"
    return d


a = ag.tensor(2.0, requires_grad=True, name="a")
b = ag.tensor(-3.0, requires_grad=True, name="b")
c = ag.tensor(10.0, requires_grad=True, name="c")

forward_passes = [
    viz.ForwardPlayer(two_chains, (a, b, c), tuple(e), title=f"forward pass {k + 1}: d{name} = 1")
    for k, (name, e) in enumerate(zip("abc", np.eye(3)))
]
reverse_sweep = viz.BackwardPlayer(two_chains(a, b, c), title="the one reverse sweep")
"""),
    ("code", CHECK + """
from IPython.display import HTML


def row_of(players):
    \"\"\"The last frame of each player, side by side (plain SVG: no kernel needed).\"\"\"
    return HTML('<div style="display:flex;flex-wrap:wrap;gap:8px">'
                + "".join(p.final_svg() for p in players) + "</div>")


row_of([*forward_passes, reverse_sweep])
"""),
    ("md", r"""
The numbers at $d$ in the three forward pictures, and at $a$, $b$, $c$ in the reverse one:
"""),
    ("code", CHECK + """
def value_at(player, label):
    \"\"\"The tangent (forward) or gradient (reverse) the player's last frame shows at a box.\"\"\"
    recording = player.recording
    node = next(n.id for n in recording.graph.nodes if n.label == label)
    return recording.final_values[node]


for name, player in zip("abc", forward_passes):
    tangent = value_at(player, "d")
    gradient = value_at(reverse_sweep, name)
    print(f"∂d/∂{name}: forward pass d{name} = 1 gives {tangent.item():5.1f};"
          f"  the reverse sweep gives {gradient.item():5.1f}")
"""),
    ("md", r"""
Now the mirror image: **one input, three outputs**, $y = (\sin x, \cos x, e^x)$ at $x = 0.5$.
$J$ is one column. One forward pass carries $dx = 1$ to all three outputs at once; reverse mode
needs a sweep per output, each seeded with one output's weight ($u = e_1$, $e_2$, $e_3$).
"""),
    ("code", """
def spread(x):
    s = ag.sin(x)
    s.name = "s"
    c = ag.cos(x)
    c.name = "c"
    ex = ag.exp(x)
    ex.name = "ex"
    y = ag.stack([s, c, ex])
    y.name = "y"
    return y


x_in = ag.tensor(0.5, requires_grad=True, name="x")
one_pass = viz.ForwardPlayer(spread, (x_in,), (1.0,), title="the one forward pass")
three_sweeps = [viz.BackwardPlayer(spread(x_in), grad=u, title=f"reverse sweep {i + 1}: u = e{i + 1}")
                for i, u in enumerate(np.eye(3))]
"""),
    ("code", CHECK + """
row_of([one_pass, *three_sweeps])
"""),
    ("md", r"""
The forward pass's tangent at `y` is the whole column (the picture shows a vector by its size
and norm; here are its numbers), and each sweep's gradient at `x` is one entry of it:
"""),
    ("code", CHECK + """
print("one forward pass: dy =", value_at(one_pass, "y"))
for i, sweep in enumerate(three_sweeps):
    print(f"reverse sweep {i + 1}: x̄ = {value_at(sweep, 'x').item():.4f}")
"""),
    ("md", r"""
Both players are widgets: press ▶ to watch the tangents flow left to right, and the gradients
right to left.
"""),
    ("code", IGNORE + """
forward_passes[0]
"""),
    ("code", IGNORE + """
reverse_sweep
"""),
    ("md", r"""
## 4. What each costs, counted

To count work deterministically, we watch the engine run:

- a **forward pass** runs $f$ once in forward mode, as `ag.jvp` does (`record_forward`), and
  reports every operation that computes a tangent;
- a **reverse sweep** is the engine's sweep with an observer (`record_sweep`: no `.grad` is
  written), which reports each operation it visits; the function is recorded once on an
  `ag.Tape()`, whose length is the number of operations in $f$.

The two helpers below return the same numbers as `ag.jvp` and `ag.vjp`, plus their counts.
"""),
    ("code", CHECK + """
from autograd_nb.backward import record_sweep
from autograd_nb.forward import record_forward


def forward_pass(f, x, v):
    \"\"\"J·v as ag.jvp computes it, and how many operations computed a tangent.\"\"\"
    out, steps = record_forward(f, (x,), (v,))
    ops = [s for s in steps if s.kind == "op"]
    return ops[-1].tangent, len(ops)


def record(f, x):
    \"\"\"f's output, recorded once on a tape, and the tape (one record per operation).\"\"\"
    with ag.Tape() as tape:
        xt = ag.tensor(x, requires_grad=True)
        out = f(xt)
    return out, tape


def reverse_sweep_counted(out, u):
    \"\"\"uᵀ·J by one reverse sweep, and how many operations the sweep visited.\"\"\"
    steps = record_sweep(out, u)
    row = next(s.grad for s in steps if s.kind == "leaf")
    return row, sum(s.kind == "visit" for s in steps)


tangent, n_forward = forward_pass(layer, x6, np.eye(6)[0])
out, tape = record(layer, x6)
row, n_reverse = reverse_sweep_counted(out, np.eye(4)[0])
print("f = W2 @ tanh(W1 @ x) runs", len(tape), "operations:", [r.op for r in tape])
print("one forward pass computes", n_forward, "tangents; one reverse sweep visits",
      n_reverse, "operations")
print("same numbers as ag.jvp / ag.vjp:",
      np.allclose(tangent, ag.jvp(layer, (x6,), (np.eye(6)[0],))[1]),
      np.allclose(row, ag.vjp(layer, x6)[1](np.eye(4)[0])))
"""),
    ("md", r"""
One pass of either mode costs about as much as $f$ itself: one derivative step per operation
(each step is a product with a local derivative, so a small constant factor more arithmetic).
That is the "cheap gradient" principle. What differs is **how many passes** a whole Jacobian
needs: $n$ in forward mode, $m$ in reverse mode.

Now let $n$ and $m$ grow, with $f(x) = W_2\tanh(W_1 x)$, $W_1$ of shape $16\times n$ and $W_2$
of shape $m\times 16$, and build the full Jacobian both ways, counting as we go:
"""),
    ("code", CHECK + """
def make_layer(n, m, hidden=16, rng=rng):
    W1 = rng.normal(size=(hidden, n)) / np.sqrt(n)
    W2 = rng.normal(size=(m, hidden)) / np.sqrt(hidden)
    return lambda x: W2 @ ag.tanh(W1 @ x)


def jacobian_forward_counted(f, x):
    columns, steps = [], 0
    for e in np.eye(x.size):
        column, k = forward_pass(f, x, e)
        columns.append(np.ravel(column))
        steps += k
    return np.stack(columns, axis=1), len(columns), steps


def jacobian_reverse_counted(f, x):
    out, tape = record(f, x)
    rows, steps = [], 0
    for u in np.eye(out.size):
        row, k = reverse_sweep_counted(out, u.reshape(out.shape))
        rows.append(row)
        steps += k
    return np.stack(rows), len(rows), len(tape), steps


sizes = [(1, 1000), (10, 100), (100, 100), (100, 10), (1000, 1)]
print(f"{'n':>5} {'m':>5} │ {'forward passes':>14} {'tangent steps':>13} │"
      f" {'reverse sweeps':>14} {'recorded':>8} {'adjoint steps':>13} │ equal")
for n, m in sizes:
    g = make_layer(n, m)
    xn = rng.normal(size=n)
    J_f, passes, f_steps = jacobian_forward_counted(g, xn)
    J_r, sweeps, recorded, r_steps = jacobian_reverse_counted(g, xn)
    print(f"{n:5d} {m:5d} │ {passes:14d} {f_steps:13d} │ {sweeps:14d} {recorded:8d} {r_steps:13d}"
          f" │ {np.allclose(J_f, J_r)}")
"""),
    ("md", r"""
Read the table by rows. With one input and a thousand outputs, forward mode needs one pass and
reverse mode a thousand sweeps; with a thousand inputs and one output it is the other way
round. Where $n = m$ they tie. Each pass or sweep here is 3 derivative steps, so the work is
$3n$ steps forward and $3m$ backward: **forward mode costs in proportion to the number of
inputs, reverse mode to the number of outputs.** (Reverse mode also records $f$ once, the
`recorded` column, and must keep the values its sweeps will need until they are done. Forward
mode records nothing: each operation needs only its inputs' values and tangents, at the moment
it runs.)

Clocks say the same, though not to the step. The timings below change from run to run and from
machine to machine, which is why the table above counts instead: compare the two columns of one
row, not the numbers themselves.
"""),
    ("code", IGNORE + """
import time

clock_rng = np.random.default_rng(1)   # its own numbers: the cells below do not depend on this one
print(f"{'n':>5} {'m':>5} │ {'forward (jvp per column)':>24} │ {'reverse (ag.jacobian)':>21}")
for n, m in sizes:
    g = make_layer(n, m, rng=clock_rng)
    xn = clock_rng.normal(size=n)
    start = time.perf_counter()
    jacobian_by_columns(g, xn)
    forward_seconds = time.perf_counter() - start
    start = time.perf_counter()
    ag.jacobian(g)(xn)
    reverse_seconds = time.perf_counter() - start
    print(f"{n:5d} {m:5d} │ {forward_seconds * 1e3:21.1f} ms │ {reverse_seconds * 1e3:18.1f} ms")
"""),
    ("md", r"""
## 5. Why deep learning uses reverse mode

Training a network means following the gradient of **one** number, the loss, with respect to
**all** the parameters. Here is a small network written as a function of one parameter
vector $\theta$: 10 inputs, 32 hidden units, one output, a mean squared error over 64 examples.
"""),
    ("code", CHECK + """
X = rng.normal(size=(64, 10))
target = (X[:, 0] * X[:, 1] > 0).astype(float)
shapes = [(10, 32), (32,), (32, 1), (1,)]
P = sum(int(np.prod(s)) for s in shapes)


def loss(theta):
    parts, start = [], 0
    for s in shapes:                     # cut theta into W1, b1, W2, b2
        size = int(np.prod(s))
        parts.append(theta[start:start + size].reshape(*s))
        start += size
    W1, b1, W2, b2 = parts
    hidden = ag.tanh(X @ W1 + b1)
    prediction = ag.sigmoid((hidden @ W2 + b2).reshape(-1))
    return ag.mean((prediction - target) ** 2)


theta = rng.normal(size=P) * 0.3
print("parameters n =", P, "  outputs m = 1   loss =", round(float(np.asarray(loss(theta))), 4))
"""),
    ("md", r"""
$J$ is one row of $n = 385$ numbers: the gradient. Reverse mode gets it in **one** sweep.
Forward mode gets one *directional* derivative per pass, $\nabla L\cdot v$, so it needs
385 passes, one per basis tangent. Both give the same gradient:
"""),
    ("code", CHECK + """
gradient, sweeps, recorded, adjoint_steps = jacobian_reverse_counted(loss, theta)
gradient_fwd, passes, tangent_steps = jacobian_forward_counted(loss, theta)
print(f"reverse: {sweeps} sweep,   {adjoint_steps:6d} adjoint steps (after recording "
      f"{recorded} operations)")
print(f"forward: {passes} passes, {tangent_steps:6d} tangent steps")
print("gradient", gradient.shape, "| same both ways:", np.allclose(gradient, gradient_fwd))

v = rng.normal(size=P)
_, directional = ag.jvp(loss, (theta,), (v,))
print("one forward pass gives ∇L·v:", np.allclose(directional, gradient[0] @ v))
"""),
    ("md", r"""
The ratio is the number of parameters. Networks in practice have millions to billions of
parameters and one loss: forward mode would need millions of passes for *one* training step,
reverse mode needs one sweep (about the cost of evaluating the loss again). That is why
`loss.backward()` is the heart of every training loop, and why reverse mode's price, keeping
the forward values on the tape until the sweep is done, is worth paying.

## 6. Where forward mode wins

Few inputs, many outputs: the **sensitivity** of a long result to a few parameters. A damped
oscillation sampled at 400 times, $x(t) = e^{-\gamma t}\cos(\omega t)$, depends on two
parameters $\theta = (\gamma, \omega)$. Its Jacobian is $400\times 2$: how every point of the
curve moves with each parameter. Forward mode needs 2 passes; reverse mode 400 sweeps.
"""),
    ("code", CHECK + """
t = np.linspace(0.0, 10.0, 400)


def oscillation(theta):
    return ag.exp(-theta[0] * t) * ag.cos(theta[1] * t)


theta2 = np.array([0.3, 2.0])
J_fwd, passes, tangent_steps = jacobian_forward_counted(oscillation, theta2)
J_rev, sweeps, recorded, adjoint_steps = jacobian_reverse_counted(oscillation, theta2)
print("Jacobian", J_fwd.shape)
print(f"forward: {passes:3d} passes, {tangent_steps:5d} tangent steps")
print(f"reverse: {sweeps:3d} sweeps, {adjoint_steps:5d} adjoint steps")
print("equal:", np.allclose(J_fwd, J_rev))
"""),
    ("md", r"""
The two columns, drawn: where the curve is most sensitive to the damping $\gamma$ and to the
frequency $\omega$.
"""),
    ("code", """
import matplotlib.pyplot as plt

fig, ax = plt.subplots(figsize=(8, 3), layout="constrained")
ax.plot(t, np.asarray(oscillation(theta2)), color="black", label="x(t)")
ax.plot(t, J_fwd[:, 0], label="∂x/∂γ (forward pass 1)")
ax.plot(t, J_fwd[:, 1], label="∂x/∂ω (forward pass 2)")
ax.set_xlabel("t")
ax.legend(loc="center left", bbox_to_anchor=(1.01, 0.5), fontsize=8)
plt.show()
"""),
    ("md", r"""
Forward mode also needs no tape: nothing has to be kept for a later sweep, which matters when
memory is short. And it is the natural way to ask for one directional derivative $J v$ without
building $J$.

## Summary

| | forward mode (`ag.jvp`) | reverse mode (`ag.vjp`, `backward()`) |
| --- | --- | --- |
| one pass gives | $J\,v$: a column for $v = e_j$ | $u^\top J$: a row for $u = e_i$ |
| direction | inputs → outputs, with the values | outputs → inputs, after the values |
| whole Jacobian | $n$ passes | $m$ sweeps (plus one recording) |
| memory | no tape: nothing kept for later | the tape: the values the sweep will need |
| wins when | few inputs, many outputs | few outputs, many inputs: a loss |

Both multiply the same local derivatives; they differ only in the order, and the order decides
the cost.

Next: open the engine and build a tape yourself in
[7 · Build your own](07_build_your_own.ipynb).

## Exercises

**1.** $f(x) = x^2$ elementwise, for $x \in \mathbb{R}^{1000}$. Its Jacobian is $1000\times 1000$.
How many passes does *either* mode need to get all its nonzero entries? Check with `ag.jvp`.

<details>
<summary>Solution</summary>

One. $J$ is diagonal ($2x_i$ on the diagonal), so $J\cdot(1, 1, \dots, 1)$ is exactly the
diagonal: one forward pass with the all-ones tangent. (One reverse sweep with $u$ all ones gives
the same numbers, $u^\top J$.) Knowing which entries are zero lets you pack many columns into one
pass; this is how sparse Jacobians are computed.

```python
x = np.linspace(-1, 1, 1000)
_, diagonal = ag.jvp(lambda x: x**2, (x,), (np.ones(1000),))
np.allclose(diagonal, 2 * x)     # True
```
</details>

**2.** For $g:\mathbb{R}^{50}\to\mathbb{R}^{20}$, $g(x) = W\tanh(x)$ with $W$ of shape
$20\times 50$, which mode needs fewer passes for the whole Jacobian? Use the helpers of
section 4 to count, and check that both give the same matrix.

<details>
<summary>Solution</summary>

Reverse mode: 20 sweeps against 50 forward passes.

```python
W = rng.normal(size=(20, 50))
g = lambda x: W @ ag.tanh(x)
x = rng.normal(size=50)
J_f, passes, f_steps = jacobian_forward_counted(g, x)
J_r, sweeps, recorded, r_steps = jacobian_reverse_counted(g, x)
passes, sweeps, np.allclose(J_f, J_r)      # (50, 20, True)
```
</details>

**3.** Without building $J$, compute the directional derivative of the loss of section 5 along
$v = $ `np.ones(P)` in two ways, with one forward pass and with one reverse sweep. Which needed
the vector $v$ before the pass started?

<details>
<summary>Solution</summary>

```python
v = np.ones(P)
_, forward = ag.jvp(loss, (theta,), (v,))
_, pullback = ag.vjp(loss, theta)
reverse = pullback(1.0) @ v
np.allclose(forward, reverse)      # True
```

Forward mode needs $v$ up front: it is the tangent carried along with the values. Reverse mode
computes the whole gradient first and takes the dot product with $v$ afterwards, so one sweep
serves every direction.
</details>

**4.** Using the table of section 4, estimate how many derivative steps each mode needs for the
whole Jacobian of `make_layer(300, 30)`. Then count them.

<details>
<summary>Solution</summary>

3 steps per pass: forward $3\cdot 300 = 900$ tangent steps, reverse $3\cdot 30 = 90$ adjoint
steps (after one recording of 3 operations).

```python
g = make_layer(300, 30)
x = rng.normal(size=300)
jacobian_forward_counted(g, x)[2], jacobian_reverse_counted(g, x)[3]    # (900, 90)
```
</details>
"""),
]


if __name__ == "__main__":
    write(CELLS, "06_forward_vs_reverse.ipynb")
