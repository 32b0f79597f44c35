"""Write notebooks/03_watching_the_chain_rule.ipynb from the cells below and run it, so that the
committed notebook carries its outputs (without timings, which would change at every run):

    env -u MPLBACKEND python notebooks/_build/make_03_watching_the_chain_rule.py

Cells whose numbers the text states start with ``# NBVAL_CHECK_OUTPUT``: nbval compares them.
Cells that display a player start with ``# NBVAL_IGNORE_OUTPUT``: a widget view holds model ids.
"""

from __future__ import annotations

from common import write

CHECK = "# NBVAL_CHECK_OUTPUT\n"
IGNORE = "# NBVAL_IGNORE_OUTPUT\n"

CELLS: list[tuple[str, str]] = [
    ("md", r"""
# 3 · Watching the chain rule

**What this notebook teaches**

- the reverse sweep of the engine, step by step, on the graph it walks: which node it takes,
  which local derivative it multiplies by, and which running sum it adds the product to;
- the two chains of $a$ in $d = (a + b)\cdot(a\cdot c)$ arriving one after the other and being
  *summed*;
- a small neuron $\tanh(w\cdot x + b)$, first with numbers, then with vectors;
- forward mode on the same graph: tangents carried from one input to the output.

**What it assumes**: notebook 1 (the chain rule and the two chains) and notebook 2 (reading the
graph: values in the boxes, local derivatives on the arrows, gradients after `backward()`).

Every frame below is one step of the engine's *own* reverse sweep, recorded through its
observer: nothing here re-implements backpropagation. Run the cells, then press ▶ (play) or
drag the slider. Without a running kernel (a static page), each player shows the final graph
with every gradient and the whole trace instead.
"""),
    ("code", """
import numpy as np

import autograd_nb as ag
from autograd_nb import viz
"""),
    ("md", r"""
## 1. One chain: $d = (a + b)\cdot c$

With $a = 2$, $b = -3$, $c = 10$: $e = a + b = -1$ and $d = e\cdot c = -10$.

**What to watch**

- the **amber ring** is the node the sweep is processing; the **amber edge** is the chain term
  being sent back along that edge;
- the number on each edge is the *local* derivative $\partial\,\text{out}/\partial\,\text{in}$;
- the red `grad` line of each box is its running sum $\partial d/\partial v$ so far, and the
  purple `+= …` line is what this step adds to it;
- on the right: the step as an equation with its numbers, and the adjoint trace with the
  current row marked.
"""),
    ("code", IGNORE + """
a = ag.tensor(2.0, requires_grad=True, name="a")
b = ag.tensor(-3.0, requires_grad=True, name="b")
c = ag.tensor(10.0, requires_grad=True, name="c")
e = a + b
e.name = "e"
d = e * c
d.name = "d"

one_chain = viz.BackwardPlayer(d)
one_chain
"""),
    ("md", r"""
The same steps as text. The sweep starts from the seed $\partial d/\partial d = 1$; every other
line is *upstream gradient × local derivative*:
"""),
    ("code", CHECK + """
for frame in one_chain.frames:
    print(f"{frame.index + 1:2d}  {frame.kind:5s}  {frame.equation}")
"""),
    ("md", r"""
## 2. Two chains: $d = (a + b)\cdot(a\cdot c)$

Now $a$ reaches $d$ along two paths, through $h = a + b$ and through $i = a\cdot c$. The sweep
takes the nodes in reverse tape order, so the chain through $i$ arrives first
($\partial d/\partial i\cdot\partial i/\partial a = (-1)\cdot 10 = -10$), and the chain through
$h$ later ($20\cdot 1 = 20$). **Watch the box of $a$**: its running sum is $-10$ after the first
chain and $10$ after the second. Only once every chain is in does the sweep move on.
"""),
    ("code", IGNORE + """
def two_chains(a, b, c):
    h = a + b
    h.name = "h"
    i = a * c
    i.name = "i"
    d = h * i
    d.name = "d"
    return d


d = two_chains(a, b, c)
player = viz.BackwardPlayer(d)
player
"""),
    ("md", r"""
The steps that write into $a$'s running sum, and the engine's own `a.grad` afterwards:
"""),
    ("code", CHECK + """
a_id = next(n.id for n in player.recording.graph.nodes if n.label == "a")
for frame in player.frames:
    if frame.kind == "edge" and frame.nodes[1] == a_id:
        print(f"step {frame.index + 1}: {frame.note}")
        print(f"         {frame.equation}")

d.backward()
print("engine: a.grad =", a.grad.item())
"""),
    ("md", r"""
The player is a widget: its state can be read and moved from code too (`player.step`,
`player.go(k)`, `player.step_forward()`, `player.equation`, `player.highlighted_nodes`).

`player.save("sweep.html")` writes **one** HTML file with every frame and a few lines of
JavaScript: it plays offline, in any browser, without Python (send it to a student, put it in
slides). Here it goes to a temporary folder:
"""),
    ("code", CHECK + """
import tempfile
from pathlib import Path

path = player.save(Path(tempfile.mkdtemp()) / "two_chains.html")
page = path.read_text(encoding="utf-8")
print(path.name, "holds", page.count('class="agnb-frame"'), "frames;",
      "loads nothing from the network:", "http" not in page)
"""),
    ("md", r"""
## 3. A neuron: $o = \tanh(w_1 x_1 + w_2 x_2 + b)$

The neuron of every first course on backpropagation, with inputs $x = (2, 0)$, weights
$w = (-3, 1)$ and bias $b = 6.8814$, chosen so that $n = w\cdot x + b \approx 0.8814$ and
$o = \tanh(n) \approx 0.7071$. **Watch** the local derivative of $\tanh$,
$1 - o^2 = 0.5$, halve the gradient on its way back; the sum node passes it on unchanged to each
of its inputs (local derivative 1); each product sends back the *other* factor.
"""),
    ("code", IGNORE + """
x1 = ag.tensor(2.0, name="x1")
x2 = ag.tensor(0.0, name="x2")
w1 = ag.tensor(-3.0, requires_grad=True, name="w1")
w2 = ag.tensor(1.0, requires_grad=True, name="w2")
bias = ag.tensor(6.881373587019543, requires_grad=True, name="b")
n = x1 * w1 + x2 * w2 + bias
n.name = "n"
o = ag.tanh(n)
o.name = "o"

neuron = viz.BackwardPlayer(o)
neuron
"""),
    ("code", CHECK + """
o.backward()
for t in (w1, w2, bias):
    print(f"∂o/∂{t.name} = {t.grad.item():.4f}")
"""),
    ("md", r"""
The same neuron with vectors, $o = \tanh(w\cdot x + b)$ for $x, w \in \mathbb{R}^3$. Tensor
frames show each term by its shape and norm, `[3 ‖0.5‖]`; the values themselves are in the
**values** panel under the trace. The dot product's local derivative is not one number per
element, so its edge says `vjp(…)`: the engine applies the rule $\bar w = \bar s\, x$ instead.
"""),
    ("code", IGNORE + """
xv = ag.tensor([1.0, -2.0, 0.5], name="x")
wv = ag.tensor([0.3, 0.1, -0.4], requires_grad=True, name="w")
bv = ag.tensor(0.2, requires_grad=True, name="b")
s = ag.dot(wv, xv) + bv
s.name = "s"
ov = ag.tanh(s)
ov.name = "o"

vector_neuron = viz.BackwardPlayer(ov)
vector_neuron.go(-1)
vector_neuron
"""),
    ("md", r"""
## 4. Forward mode on the same graph

Forward mode (`ag.jvp`) walks the *same* graph the other way: it gives every input a tangent
(here $da = 1$, $db = dc = 0$: the direction "move $a$") and carries it forward, each node
adding *local derivative × input tangent* over its inputs:
$dh = \partial h/\partial a\, da + \partial h/\partial b\, db$. At the output,
$dd = \partial d/\partial a$.

**Compare** the two players: the local derivatives on the edges are the same numbers. Reverse
mode multiplies them from the output back and gets $\partial d/\partial a$,
$\partial d/\partial b$ and $\partial d/\partial c$ in one sweep; forward mode multiplies them
from one input forward and gets the derivative with respect to that input only.
"""),
    ("code", IGNORE + """
forward = viz.ForwardPlayer(two_chains, (a, b, c), (1.0, 0.0, 0.0))
forward
"""),
    ("code", IGNORE + """
reverse = viz.BackwardPlayer(two_chains(a, b, c), title="reverse mode from d")
reverse
"""),
    ("md", r"""
The last frames side by side, as plain SVG (this view needs no kernel): tangents $dv$ on the
left, gradients $\partial d/\partial v$ on the right.
"""),
    ("code", """
from IPython.display import HTML

HTML('<div style="display:flex;flex-wrap:wrap;gap:8px">'
     f'{forward.final_svg()}{reverse.final_svg()}</div>')
"""),
    ("md", r"""
One forward pass per input, one reverse sweep for all of them:
"""),
    ("code", CHECK + """
sweep_grads = reverse.recording.final_values
graph = reverse.recording.graph
for k, name in enumerate("abc"):
    direction = [0.0, 0.0, 0.0]
    direction[k] = 1.0
    _, tangent = ag.jvp(two_chains, (a, b, c), direction)
    node = next(n.id for n in graph.nodes if n.label == name)
    print(f"∂d/∂{name}: forward pass {k + 1} gives {tangent.item():5.1f};"
          f" the one reverse sweep gives {sweep_grads[node].item():5.1f}")
"""),
    ("md", r"""
**Which to use?** Reverse mode costs one sweep per *output*, forward mode one pass per
*input*. A loss has one output and many inputs (the weights), hence backpropagation. Forward
mode wins for few inputs and many outputs, and needs no tape: nothing has to be kept for a
later sweep. Notebook 6 counts these costs as the inputs and outputs grow.

## Summary

- The reverse sweep takes the nodes in reverse tape order; at each one it sends
  *upstream gradient × local derivative* along every incoming edge, and adds it to that input's
  running sum.
- A node is passed on only once every chain through it has arrived: the sum over chains of
  notebook 1, watched as it happens.
- The players show the engine's own sweep; `.frames` holds the same steps as data, and
  `.save("sweep.html")` writes them to a page that plays without Python.
- Forward mode multiplies the same local derivatives in the other direction, one input
  direction per pass.

## Exercises

**1.** The player of section 1, $d = (a + b)\cdot c$, has 9 steps: per operation one visit and
one step per input, then one per leaf. How many steps does the player of section 2,
$d = (a + b)\cdot(a\cdot c)$, have? Predict, then check with `len(player.frames)`.

<details>
<summary>Solution</summary>

12: three operations ($h$, $i$, $d$), each with one visit and two inputs, make $3\cdot 3 = 9$
steps, and the three leaves $a$, $b$, $c$ add one step each. $a$ receives two edge steps
(one per chain) but still only one leaf step, once its sum is complete.

```python
len(player.frames)                           # 12
[frame.kind for frame in player.frames]      # 'visit', 'edge', 'edge', ... 'leaf' ×3
```
</details>

**2.** In the neuron of section 3, set the bias to $b = 6$, so that $n = 0$. Predict
$\partial o/\partial w_1$, $\partial o/\partial w_2$ and $\partial o/\partial b$, then check them
by playing the sweep. What changes if you replace `ag.tanh` by `ag.relu` and set $b = 0$?

<details>
<summary>Solution</summary>

$\tanh'(0) = 1 - \tanh(0)^2 = 1$, so the gradient reaches $n$ undiminished:
$\partial o/\partial w_1 = x_1 = 2$, $\partial o/\partial w_2 = x_2 = 0$,
$\partial o/\partial b = 1$.

With `relu` and $b = 0$, $n = -6 < 0$: the local derivative of ReLU there is 0, so every chain
is multiplied by 0 and all three gradients are 0. The player shows only zeros flowing back
past the ReLU: a "dead" neuron, which gradient descent cannot move.

```python
bias = ag.tensor(6.0, requires_grad=True, name="b")
o = ag.tanh(x1 * w1 + x2 * w2 + bias)
viz.BackwardPlayer(o)

bias = ag.tensor(0.0, requires_grad=True, name="b")
o = ag.relu(x1 * w1 + x2 * w2 + bias)
viz.BackwardPlayer(o)
```
</details>

**3.** Which tangent $(da, db, dc)$ makes *one* forward pass through `two_chains` give
$\partial d/\partial a + \partial d/\partial b$? Check with `ag.jvp` and watch it with
`viz.ForwardPlayer`.

<details>
<summary>Solution</summary>

$(1, 1, 0)$: a forward pass is linear in its tangent, so it gives
$\partial d/\partial a\cdot 1 + \partial d/\partial b\cdot 1 + \partial d/\partial c\cdot 0
= 10 + 20 = 30$: the derivative along the direction "move $a$ and $b$ together".

```python
_, tangent = ag.jvp(two_chains, (a, b, c), (1.0, 1.0, 0.0))
tangent                                      # tensor(30.)
viz.ForwardPlayer(two_chains, (a, b, c), (1.0, 1.0, 0.0))
```
</details>

---

**Next:** [4 · Gradient descent, watched](04_gradient_descent.ipynb) uses these gradients: a
small step against the gradient, repeated, and the path it takes down a surface.
"""),
]


if __name__ == "__main__":
    write(CELLS, "03_watching_the_chain_rule.ipynb")
