"""Write notebooks/01_why_autodiff.ipynb from the cells below and run it, so that the committed
notebook carries its outputs (without timings, which would change at every run):

    env -u MPLBACKEND python notebooks/_build/make_01_why_autodiff.py

Cells whose numbers the text states start with ``# NBVAL_CHECK_OUTPUT``: nbval compares them.
The two tape tables are not compared as a whole (their HTML styling belongs to the tables, not
to this tutorial); their numbers are checked in plain cells next to them.
"""

from __future__ import annotations

from common import write

CHECK = "# NBVAL_CHECK_OUTPUT\n"

CELLS: list[tuple[str, str]] = [
    ("md", r"""
# 1 · Why automatic differentiation?

**What this notebook teaches**

- what a gradient is, and how to check one with a finite difference;
- the chain rule on $d = (a + b)\cdot c$, by hand and by the engine;
- why the engine *adds* chains: in $d = (a + b)\cdot(a\cdot c)$ the variable $a$ reaches $d$
  along two paths, and $\partial d/\partial a$ is the sum of both;
- the **tape**: the list of operations the engine records (the forward primal trace), and the
  reverse sweep over it (the reverse adjoint trace);
- `ag.grad`, which turns a function into its derivative.

**What it assumes**: Python, a little NumPy, and the derivative of $x^2$ from school.
No calculus beyond that: the chain rule is explained here.

We use $a = 2$, $b = -3$, $c = 10$ throughout, as the other tutorials do, so the numbers can be
compared from one notebook to the next.
"""),
    ("code", """
import numpy as np

import autograd_nb as ag
"""),
    ("md", r"""
## 1. What is a gradient?

The derivative $f'(x)$ says how fast $f$ changes when $x$ moves a little:
$f(x + h) \approx f(x) + f'(x)\,h$ for small $h$. Take $f(x) = x^3 - 2x$. From the rules
you learnt at school, $f'(x) = 3x^2 - 2$, so at $x = 2$ the slope is $3\cdot 4 - 2 = 10$.

A **finite difference** measures the same slope numerically, without any rules: nudge $x$ by a
small $h$ on each side and divide the change in $f$ by the change in $x$.
"""),
    ("code", CHECK + """
def f(x):
    return x**3 - 2 * x

x, h = 2.0, 1e-6
by_rule = 3 * x**2 - 2
finite_difference = (f(x + h) - f(x - h)) / (2 * h)
print(f"rule: {by_rule:.6f}   finite difference: {finite_difference:.6f}")
"""),
    ("md", r"""
A function of several inputs has one such slope per input: the **partial derivatives**.
Written side by side they form the **gradient**, $\nabla g = (\partial g/\partial x,\ \partial g/\partial y)$:
the direction in which $g$ climbs fastest. For $g(x, y) = x^2 y + y$ at $(3, 2)$:
$\partial g/\partial x = 2xy = 12$ and $\partial g/\partial y = x^2 + 1 = 10$.

A finite difference gives the gradient too, one input at a time:
"""),
    ("code", CHECK + """
def g(x, y):
    return x**2 * y + y

x, y, h = 3.0, 2.0, 1e-6
dg_dx = (g(x + h, y) - g(x - h, y)) / (2 * h)
dg_dy = (g(x, y + h) - g(x, y - h)) / (2 * h)
print(f"gradient by finite differences: ({dg_dx:.6f}, {dg_dy:.6f})")
"""),
    ("md", r"""
So why not always use finite differences? Two reasons:

1. **Cost.** One finite difference per input. A small neural network has thousands of inputs
   (its weights); a large one, billions. Automatic differentiation gives *all* partial
   derivatives for about the cost of one extra evaluation of the function.
2. **Accuracy.** A finite difference is an approximation: $h$ too large and the curvature spoils
   it, $h$ too small and rounding errors do. Automatic differentiation is exact up to
   floating-point rounding, because it applies the rules of calculus, not a numerical estimate.

Watch the accuracy problem as $h$ shrinks (the exact answer is 10):
"""),
    ("code", CHECK + """
for h in [1e-1, 1e-4, 1e-8, 1e-12]:
    error = (f(2.0 + h) - f(2.0 - h)) / (2 * h) - 10
    print(f"h = {h:.0e}   error = {abs(error):.1e}")
"""),
    ("md", r"""
Automatic differentiation (*autodiff*) avoids both problems. It breaks a computation into
small steps whose derivatives it knows, and combines them with the **chain rule**.

## 2. The chain rule on $d = (a + b)\cdot c$

Give the intermediate result a name, $e = a + b$, so that $d = e \cdot c$. Each step has simple
**local derivatives**:

| step | local derivatives | at $a = 2,\ b = -3,\ c = 10$ |
| --- | --- | --- |
| $e = a + b$ | $\partial e/\partial a = 1$, $\partial e/\partial b = 1$ | $1$, $1$ |
| $d = e\cdot c$ | $\partial d/\partial e = c$, $\partial d/\partial c = e$ | $10$, $-1$ |

The **chain rule** says: to get how $d$ depends on $a$, multiply the local derivatives along the
chain from $a$ to $d$:

$$\frac{\partial d}{\partial a} = \frac{\partial d}{\partial e}\cdot\frac{\partial e}{\partial a} = c \cdot 1 = 10,
\qquad
\frac{\partial d}{\partial b} = c \cdot 1 = 10,
\qquad
\frac{\partial d}{\partial c} = e = a + b = -1.$$

By hand, in Python:
"""),
    ("code", CHECK + """
a, b, c = 2.0, -3.0, 10.0
e = a + b
d = e * c
dd_de, dd_dc = c, e          # local derivatives of d = e * c
de_da, de_db = 1.0, 1.0      # local derivatives of e = a + b
print("d =", d)
print("by hand:", dd_de * de_da, dd_de * de_db, dd_dc)
"""),
    ("md", r"""
Now the engine. `ag.tensor(..., requires_grad=True)` makes a tensor whose gradient we want;
every operation on it is recorded; `d.backward()` runs the **reverse sweep**, which applies the
chain rule from $d$ back to the inputs and stores each $\partial d/\partial x$ in `x.grad`.
"""),
    ("code", CHECK + """
a = ag.tensor(2.0, requires_grad=True, name="a")
b = ag.tensor(-3.0, requires_grad=True, name="b")
c = ag.tensor(10.0, requires_grad=True, name="c")

d = (a + b) * c
d.backward()
print("d =", d.item())
print("engine:", a.grad, b.grad, c.grad)
"""),
    ("md", r"""
The same three numbers, 10, 10 and −1. The engine did what we did by hand: it knows the local
derivatives of `+` and `*`, and multiplies them along the chain.

## 3. Two chains: $d = (a + b)\cdot(a\cdot c)$

Now $a$ appears twice. Name the steps $h = a + b$ and $i = a \cdot c$, so $d = h\cdot i$.
There are **two chains** from $a$ to $d$: one through $h$ and one through $i$.

| chain | product of local derivatives | value |
| --- | --- | --- |
| $a \to h \to d$ | $\dfrac{\partial d}{\partial h}\cdot\dfrac{\partial h}{\partial a} = i \cdot 1 = a\cdot c$ | $20$ |
| $a \to i \to d$ | $\dfrac{\partial d}{\partial i}\cdot\dfrac{\partial i}{\partial a} = h \cdot c = (a + b)\cdot c$ | $-10$ |

The multivariable chain rule says: when a variable reaches the output along several chains,
**add the chains**.

$$\frac{\partial d}{\partial a} = c\,(a + b) + a\,c = -10 + 20 = 10,
\qquad
\frac{\partial d}{\partial b} = a\,c = 20,
\qquad
\frac{\partial d}{\partial c} = (a + b)\,a = -2.$$

By hand:
"""),
    ("code", CHECK + """
a, b, c = 2.0, -3.0, 10.0
h, i = a + b, a * c
through_h = i * 1.0          # dd/dh * dh/da
through_i = h * c            # dd/di * di/da
print("chain through h:", through_h, "  chain through i:", through_i)
print("dd/da =", through_h + through_i, "  dd/db =", i * 1.0, "  dd/dc =", h * a)
"""),
    ("md", r"""
And by the engine, on fresh tensors. (Fresh, because gradients **accumulate**, as in PyTorch:
another `backward()` would add to the `.grad` already there. `t.zero_grad()` clears it;
exercise 3 below explores this.)
"""),
    ("code", CHECK + """
a = ag.tensor(2.0, requires_grad=True, name="a")
b = ag.tensor(-3.0, requires_grad=True, name="b")
c = ag.tensor(10.0, requires_grad=True, name="c")

d = (a + b) * (a * c)
d.backward()
print("d =", d.item())
print("engine:", a.grad, b.grad, c.grad)
"""),
    ("md", r"""
$\partial d/\partial a = 10$: the engine found both chains and added them. Had it followed only
one, it would have answered 20 or −10.

The engine can draw what it did. Each box is a value with its gradient; each arrow carries the
local derivative of one step. Two arrows leave $a$: those are the two chains.
(*2 · The graph and the tape* reads such pictures in detail.)
"""),
    ("code", """
from autograd_nb import viz

viz.draw(d)
"""),
    ("md", r"""
A finite difference agrees with the sum:
"""),
    ("code", CHECK + """
def d_of(a, b, c):
    return (a + b) * (a * c)

h = 1e-6
print(f"{(d_of(2 + h, -3, 10) - d_of(2 - h, -3, 10)) / (2 * h):.6f}")
"""),
    ("md", r"""
`ag.gradcheck` does such checks for you, for every input at once: it compares the engine's
gradients with central finite differences and returns `True`, or raises an error naming the
input and the element that disagree.
"""),
    ("code", CHECK + """
ag.gradcheck(lambda a, b, c: (a + b) * (a * c), 2.0, -3.0, 10.0)
"""),
    ("md", r"""
## 4. The tape

How does the engine know which chains exist? While the forward computation runs, every
operation is **recorded on a tape**: which operation, on which inputs, giving which output.
That list is called a *Wengert list*. Inside `with ag.Tape() as tape:` you can see it. In a
notebook it displays as the **forward primal trace** (naming the intermediate tensors makes the
table easier to read):
"""),
    ("code", """
a = ag.tensor(2.0, requires_grad=True, name="a")
b = ag.tensor(-3.0, requires_grad=True, name="b")
c = ag.tensor(10.0, requires_grad=True, name="c")

with ag.Tape() as tape:
    h = a + b
    h.name = "h"
    i = a * c
    i.name = "i"
    d = h * i
    d.name = "d"

tape
"""),
    ("md", r"""
The reverse sweep walks this tape **backwards**. It starts from $\bar d = \partial d/\partial d = 1$
(the *seed*) and, for each operation, passes the output's **adjoint** $\bar v = \partial d/\partial v$
on to the inputs, multiplied by the local derivative. When a variable receives several terms
they are added: that is the sum over chains. `tape.adjoint_table(d)` shows each step of the
engine's real sweep, the **reverse adjoint trace**:
"""),
    ("code", """
tape.adjoint_table(d)
"""),
    ("md", r"""
Read the rows for $\bar a$ (here picked out of the table's text form): the first term ($-10$,
through $i$) and the second ($20$, through $h$) arrive at different moments of the sweep, and
the running sum ends at $10$.
"""),
    ("code", CHECK + """
for row in repr(tape.adjoint_table(d)).splitlines():
    if "/∂a" in row:          # the chain terms that arrive at a
        print(row)
"""),
    ("md", r"""
$\bar a$ is complete only once both chains have arrived. This is why the tape's *order*
matters: $a$ was recorded before $h$ and $i$, so walking the tape backwards reaches $a$ only
after every operation that used it, and every adjoint is complete before it is passed on.

The tape is a plain Python list of records, each with `.index`, `.op`, `.inputs` and `.output`:
"""),
    ("code", CHECK + """
print(len(tape), "records")
for record in tape:
    inputs = [x.name for x in record.inputs]
    print(record.index, record.op, inputs, "->", record.output.name, "=", record.output.item())
"""),
    ("md", r"""
And `tape.gradient(target, sources)` runs the reverse sweep over it, returning the gradients
without touching `.grad`:
"""),
    ("code", CHECK + """
tape.gradient(d, [a, b, c])
"""),
    ("md", r"""
## 5. `ag.grad`: the derivative as a function

Writing `requires_grad=True` and calling `backward()` is how training loops work. For
mathematics it is often handier to transform a *function* into its derivative, as in JAX:
`ag.grad(f)` is a new function that returns $f'(x)$. Here is our first example again, now
exact, with no $h$:
"""),
    ("code", CHECK + """
df = ag.grad(f)          # f(x) = x**3 - 2x from section 1
df(2.0)
"""),
    ("md", r"""
With `argnums` it differentiates with respect to several arguments and returns a tuple: the
whole gradient of the two-chain example in one call.
"""),
    ("code", CHECK + """
def two_chains(a, b, c):
    return (a + b) * (a * c)

ag.grad(two_chains, argnums=(0, 1, 2))(2.0, -3.0, 10.0)
"""),
    ("md", r"""
`ag.grad` nests, because the reverse sweep is itself made of recorded operations:
$f''(x) = 6x$, so $f''(2) = 12$. And `ag.value_and_grad` gives $f(x)$ and $f'(x)$ in one pass.
"""),
    ("code", CHECK + """
print("f''(2) =", ag.grad(ag.grad(f))(2.0))
print("(f(2), f'(2)) =", ag.value_and_grad(f)(2.0))
"""),
    ("md", r"""
## Summary

- A **gradient** collects the partial derivatives of a function; a **finite difference**
  estimates one partial at a time, approximately.
- The **chain rule** multiplies local derivatives along a chain; when a variable reaches the
  output along several chains, the chains are **added**.
- The engine records each operation on a **tape** (forward primal trace) and walks it backwards
  (reverse adjoint trace), adding every chain's contribution: exact gradients for all inputs at
  once.
- `x.grad` after `backward()`, `tape.gradient(...)`, and `ag.grad(f)` are three ways to ask
  for the same numbers.

## Exercises

**1.** Let $d = a\cdot b + b\cdot c$ with $a = 2$, $b = -3$, $c = 10$. How many chains lead from
$b$ to $d$? Compute $\partial d/\partial b$ by hand, then check it with the engine.

<details>
<summary>Solution</summary>

Two chains, one through $a\cdot b$ (local derivative $a$) and one through $b\cdot c$ (local
derivative $c$), so $\partial d/\partial b = a + c = 12$.

```python
a = ag.tensor(2.0, requires_grad=True)
b = ag.tensor(-3.0, requires_grad=True)
c = ag.tensor(10.0, requires_grad=True)
d = a * b + b * c
d.backward()
b.grad        # tensor(12.)
```
</details>

**2.** For $p(x) = x \cdot x \cdot x$, how many chains reach $p$ from $x$? Use `ag.grad` to find
$p'(2)$ and explain the number with the chain rule.

<details>
<summary>Solution</summary>

$x$ is used three times, so three chains reach $p$. Each contributes the product of the other two
factors, $x^2 = 4$, and the sum is $3x^2 = 12$.

```python
ag.grad(lambda x: x * x * x)(2.0)     # array(12.)
```
</details>

**3.** Run the two-chain example, then call `d.backward()` a second time. What happens? What
does `d.backward(retain_graph=True)` followed by another `d.backward()` leave in `a.grad`, and
why?

<details>
<summary>Solution</summary>

The first sweep releases the values it saved, so a second `backward()` raises an error that
tells you to pass `retain_graph=True`. With `retain_graph=True` on the first call, the second
sweep runs and **adds** to `.grad` (gradients accumulate), so `a.grad` is `10 + 10 = 20`. Call
`a.zero_grad()` between sweeps to start from zero.

```python
a = ag.tensor(2.0, requires_grad=True)
b = ag.tensor(-3.0, requires_grad=True)
c = ag.tensor(10.0, requires_grad=True)
d = (a + b) * (a * c)
d.backward(retain_graph=True)
d.backward()
a.grad        # tensor(20.)
```
</details>

**4.** In section 1 the finite-difference error grew again when $h$ became very small. Why?

<details>
<summary>Solution</summary>

$f(x + h)$ and $f(x - h)$ are nearly equal, and each carries a rounding error of about
$10^{-16}$ relative to $f(x)$. Subtracting them keeps the rounding error but loses the
significant digits, and dividing by a tiny $2h$ magnifies what is left. For $h = 10^{-12}$ the
rounding error, about $10^{-16}\cdot|f(x)| / 10^{-12}$, dominates. Automatic differentiation
never subtracts nearly equal numbers this way, so it has no $h$ to tune.
</details>

---

**Next:** [2 · The graph and the tape](02_the_graph_and_the_tape.ipynb) draws this same tape as
a graph: each value in its box, the local derivative on each arrow, and after `backward()` each
gradient, read side by side with the tables.
"""),
]


if __name__ == "__main__":
    write(CELLS, "01_why_autodiff.ipynb")
