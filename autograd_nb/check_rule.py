"""``check_rule``: check a primitive's derivative rules, one input at a time, for a learner.

``ag.gradcheck`` checks a whole function and stops at the first wrong number. ``check_rule``
looks at one primitive's rules and says, for each input, what is right and what is wrong:

- does the VJP rule give the same Jacobian as central finite differences of the forward
  (and if not, which element is worst, and by how much)?
- does the JVP rule?
- do the two rules agree with each other?

It calls the rules the way the sweep does (``rule(g, ans, *args)`` with one-hot ``g``, one
output element at a time; ``rule(t, ans, *args)`` with one-hot ``t``), and accepts what the
engine accepts: a VJP result of the output's shape is summed back to the input's shape
(``unbroadcast``), a JVP result is broadcast to the output's shape. A rule that returns
``None``, a tuple, an array of the wrong shape, or raises, is reported, never raised: the
report names the primitive, the input, the rule and the shape expected.
"""

from __future__ import annotations

import html
import inspect
from dataclasses import dataclass, field

import numpy as np

from .gradcheck import numerical_jacobian
from .primitives.registry import REGISTRY, Composite, Primitive, unbroadcast
from .tensor import Tensor

__all__ = ["check_rule", "RuleReport", "InputCheck", "Finding"]

_MARK = {"ok": "✓", "skipped": "·", "wrong": "✗", "missing": "✗", "error": "✗"}


@dataclass(frozen=True)
class Finding:
    """One verdict on one rule of one input.

    Attributes
    ----------
    status : str
        ``"ok"``; ``"skipped"`` (nothing to check, not a mistake); ``"wrong"`` (the numbers
        disagree); ``"missing"`` (no rule, but the output depends on the input); ``"error"``
        (the rule raised, or returned ``None``, a tuple or the wrong shape).
    message : str
        what was found, in a sentence.
    worst : float or None
        the largest ``|difference|`` between the two Jacobians compared.
    """

    status: str
    message: str
    worst: float | None = None

    @property
    def ok(self) -> bool:
        return self.status in ("ok", "skipped")


@dataclass(frozen=True)
class InputCheck:
    """The three findings for input ``index`` (named ``name``, of shape ``shape``)."""

    index: int
    name: str
    shape: tuple
    vjp: Finding
    jvp: Finding
    agree: Finding

    @property
    def ok(self) -> bool:
        return self.vjp.ok and self.jvp.ok and self.agree.ok


@dataclass(frozen=True)
class RuleReport:
    """What ``check_rule`` found: ``.ok``, ``.problems``, and one ``InputCheck`` per input.

    Displays as a table in a notebook; ``print(report)`` gives the same as text.
    """

    primitive: str
    output_shape: tuple
    inputs: tuple[InputCheck, ...]
    notes: tuple[str, ...] = field(default=())
    general: tuple[str, ...] = field(default=())  # problems that belong to no single input

    @property
    def ok(self) -> bool:
        """True when no rule is wrong, missing or broken."""
        return not self.general and all(c.ok for c in self.inputs)

    @property
    def problems(self) -> list[str]:
        """Every problem found, one sentence each."""
        out = list(self.general)
        for c in self.inputs:
            for kind, finding in (("VJP", c.vjp), ("JVP", c.jvp), ("VJP vs JVP", c.agree)):
                if not finding.ok:
                    out.append(f"input {c.index} ({c.name}), {kind}: {finding.message}")
        return out

    def _headline(self) -> str:
        n = len(self.problems)
        verdict = "all rules check out ✓" if self.ok else \
            f"{n} problem{'s' if n != 1 else ''} ✗"
        count = len(self.inputs)
        return (f"check_rule({self.primitive}): {count} input{'s' if count != 1 else ''}, "
                f"output shape {self.output_shape}: {verdict}")

    def __repr__(self) -> str:
        lines = [self._headline()]
        lines += [f"  ✗ {p}" for p in self.general]
        for c in self.inputs:
            lines.append(f"input {c.index} ({c.name}), shape {c.shape}")
            for kind, finding in (("VJP", c.vjp), ("JVP", c.jvp), ("VJP vs JVP", c.agree)):
                lines.append(f"  {kind:<11} {_MARK[finding.status]} {finding.message}")
        lines += [f"note: {n}" for n in self.notes]
        return "\n".join(lines)

    __str__ = __repr__

    def _repr_html_(self) -> str:
        colour = {"ok": "#1e7b34", "skipped": "#666", "wrong": "#b3261e", "missing": "#b3261e",
                  "error": "#b3261e"}
        rows = []
        for p in self.general:
            rows.append(f"<tr><td colspan='3' style='color:#b3261e'>✗ {html.escape(p)}</td></tr>")
        for c in self.inputs:
            for k, (kind, finding) in enumerate(
                    (("VJP", c.vjp), ("JVP", c.jvp), ("VJP vs JVP", c.agree))):
                head = (f"<td rowspan='3' style='text-align:left'>input {c.index} "
                        f"(<code>{html.escape(c.name)}</code>)<br>shape {c.shape}</td>"
                        if k == 0 else "")
                rows.append(
                    f"<tr>{head}<td style='text-align:left'>{kind}</td>"
                    f"<td style='text-align:left;color:{colour[finding.status]}'>"
                    f"{_MARK[finding.status]} {html.escape(finding.message)}</td></tr>")
        notes = "".join(f"<p style='margin:2px 0'>note: {html.escape(n)}</p>" for n in self.notes)
        return (f"<div><p><b>{html.escape(self._headline())}</b></p>"
                f"<table>{''.join(rows)}</table>{notes}</div>")


def check_rule(prim: Primitive, *inputs, eps: float = 1e-6, atol: float = 1e-5,
               rtol: float = 1e-3, seed: int = 0) -> RuleReport:
    """Check the VJP and JVP rules of ``prim`` at ``inputs`` against finite differences.

    For each input x, with J = ∂ans/∂x measured by central differences
    (f(x + eps·e) - f(x - eps·e)) / 2eps: row k of the VJP rule's Jacobian is
    ``vjp(e_k, ans, *args)``, column j of the JVP rule's is ``jvp(e_j, ans, *args)``; an entry
    is wrong when ``|rule - numeric| > atol + rtol·|numeric|`` (``gradcheck``'s test). The two
    rules are also compared with each other.

    Parameters
    ----------
    prim : Primitive
        made with ``@ag.primitive``, its rules given with ``ag.defvjp`` / ``ag.defjvp``; or
        one of the engine's, by its ``ag.`` function (``ag.tanh``) or its name (``"tanh"``).
    *inputs
        example arguments, as the forward takes them (arrays, numbers; parameters such as
        ``axis`` after the inputs when the primitive has ``nin``). Numbers and integer arrays
        are copied to float64; bool arrays are not differentiated. With no inputs, for an
        elementwise primitive of one input: a (2, 3) array drawn with
        ``np.random.default_rng(seed)``, magnitudes uniform in [0.1, 2] with random signs (no
        element at 0, where relu and abs have a kink); where the forward is not finite on
        those, the first of: uniform in [0.1, 2] (log, sqrt), magnitudes in [0.1, 0.9] with
        random signs (arcsin), uniform in [1.1, 2] (arccosh). Parameters not given take the
        forward's defaults.

    Returns
    -------
    RuleReport
        ``.ok``, ``.problems`` and one ``InputCheck`` per input; it displays as a table. A
        wrong or broken rule is reported, not raised.
    """
    prim = _primitive(prim)
    notes = []
    if not inputs:
        inputs, drawn = _draw(prim, seed)
        notes.append(drawn)
    inputs = _with_defaults(prim, inputs)
    n = len(inputs) if prim.nin is None else prim.nin
    args = [_as_value(a) for a in inputs[:n]] + list(inputs[n:])
    names = _input_names(prim, n)
    ans, saved = _forward(prim, args, names)
    differentiable = [i for i in range(n) if np.issubdtype(args[i].dtype, np.floating)]

    def f(*xs):
        full = list(args)
        for i, x in zip(differentiable, xs):
            full[i] = x.data
        return np.asarray(prim.forward(*full), dtype=np.float64)

    leaves = [Tensor(args[i].copy()) for i in differentiable]
    numeric = dict(zip(differentiable, numerical_jacobian(f, leaves, eps)))
    general = []
    registered_vjps, registered_jvps = _count(prim.vjps), _count(prim.jvps)
    if not registered_vjps and not registered_jvps:
        general.append(f"'{prim.name}' has no rules: register them with "
                       f"ag.defvjp({prim.name}, ...) and ag.defjvp({prim.name}, ...)")
    elif not registered_jvps:
        notes.append(f"'{prim.name}' has no JVP rules (ag.defjvp), so forward mode (ag.jvp) "
                     f"through it raises MissingRuleError; only the VJP rules were checked")
    elif not registered_vjps:
        notes.append(f"'{prim.name}' has no VJP rules (ag.defvjp), so backward() through it "
                     f"raises MissingRuleError; only the JVP rules were checked")
    for kind, count in (("VJP", registered_vjps), ("JVP", registered_jvps)):
        if count is not None and count > n:
            notes.append(f"{count} {kind} rules are registered for {n} input"
                         f"{'s' if n != 1 else ''}: the extra ones are never called")

    ctx = _Context(prim, args, ans, saved, names, atol, rtol)
    checks = []
    for i in range(n):
        if i not in differentiable:
            skip = Finding("skipped", f"not differentiated ({args[i].dtype} values)")
            checks.append(InputCheck(i, names[i], args[i].shape, skip, skip, skip))
            continue
        vjp_jac, vjp = ctx.reverse(i, numeric[i], bool(registered_vjps))
        jvp_jac, jvp = ctx.forward(i, numeric[i], bool(registered_jvps))
        agree = ctx.compare(i, vjp_jac, jvp_jac)
        checks.append(InputCheck(i, names[i], args[i].shape, vjp, jvp, agree))
    return RuleReport(prim.name, tuple(np.shape(ans)), tuple(checks), tuple(notes),
                      tuple(general))


class _Context:
    """The primitive, its arguments and output, shared by the checks of each input."""

    def __init__(self, prim, args, ans, saved, names, atol, rtol) -> None:
        self.prim, self.args, self.ans, self.saved = prim, args, ans, saved
        self.names, self.atol, self.rtol = names, atol, rtol
        self.out_shape = np.shape(ans)

    def _call(self, rule, seed):
        if self.saved is None:
            return rule(seed, self.ans, *self.args)
        return rule(seed, self.ans, *self.args, saved=self.saved)

    def _who(self, kind: str, i: int, rule) -> str:
        return (f"the {kind} rule{_rule_name(rule)} of '{self.prim.name}' for input {i} "
                f"({self.names[i]})")

    def reverse(self, i: int, numeric: np.ndarray, any_registered: bool):
        """(the VJP rule's Jacobian or None, the finding)."""
        rule = _rule_at(self.prim.vjps, i)
        if rule is None:
            return None, self._no_rule("VJP", "defvjp", i, numeric, any_registered)
        shape = self.args[i].shape
        rows = []
        for k in range(int(np.prod(self.out_shape, dtype=int))):
            g = np.zeros(self.out_shape)
            g.flat[k] = 1.0
            who = self._who("VJP", i, rule)
            try:
                c = self._call(rule, g)
            except Exception as err:  # a learner's rule: report it, do not raise
                return None, Finding("error", f"{who} raised {type(err).__name__}: {err}")
            c, problem = _vjp_result(c, who, f"input {i} ({self.names[i]})", shape,
                                     self.out_shape)
            if problem:
                return None, Finding("error", problem)
            rows.append(c.ravel())
        jac = np.stack(rows) if rows else np.zeros((0, int(np.prod(shape, dtype=int))))
        return jac, self._against(jac, numeric, i, "the VJP rule", "finite differences")

    def forward(self, i: int, numeric: np.ndarray, any_registered: bool):
        """(the JVP rule's Jacobian or None, the finding)."""
        rule = _rule_at(self.prim.jvps, i)
        if rule is None:
            return None, self._no_rule("JVP", "defjvp", i, numeric, any_registered)
        shape = self.args[i].shape
        columns = []
        for j in range(int(np.prod(shape, dtype=int))):
            t = np.zeros(shape)
            t.flat[j] = 1.0
            who = self._who("JVP", i, rule)
            try:
                c = self._call(rule, t)
            except Exception as err:  # a learner's rule: report it, do not raise
                return None, Finding("error", f"{who} raised {type(err).__name__}: {err}")
            c, problem = _jvp_result(c, who, shape, self.out_shape)
            if problem:
                return None, Finding("error", problem)
            columns.append(c.ravel())
        size = int(np.prod(self.out_shape, dtype=int))
        jac = np.stack(columns, axis=1) if columns else np.zeros((size, 0))
        return jac, self._against(jac, numeric, i, "the JVP rule", "finite differences")

    def compare(self, i: int, vjp_jac, jvp_jac) -> Finding:
        if vjp_jac is None or jvp_jac is None:
            return Finding("skipped", "not compared: needs both rules")
        found = self._against(vjp_jac, jvp_jac, i, "the VJP rule", "the JVP rule")
        if found.ok:
            return Finding("ok", "the two rules agree", found.worst)
        return Finding("wrong", "they disagree" + found.message[len("wrong"):], found.worst)

    def _no_rule(self, kind, register, i, numeric, any_registered) -> Finding:
        if not any_registered:
            return Finding("skipped", f"no {kind} rules registered")
        if not np.any(numeric):
            return Finding("skipped", f"no {kind} rule, and the output does not depend on "
                                      f"this input (finite differences give 0)")
        return Finding("missing", (
            f"'{self.prim.name}' has no {kind} rule for input {i} ({self.names[i]}), but the "
            f"output depends on it; give one rule per input: "
            f"ag.{register}({self.prim.name}, {', '.join(f'rule_{n}' for n in self.names)})"))

    def _against(self, rule_jac, numeric, i, rule_says, other_says) -> Finding:
        if rule_jac.size == 0:
            return Finding("ok", "nothing to compare (an empty array)", 0.0)
        known = np.isfinite(numeric)  # not at the edge of the forward's domain
        diff = np.where(known, np.abs(rule_jac - numeric), 0.0)
        excess = diff - (self.atol + self.rtol * np.abs(np.where(known, numeric, 0.0)))
        excess = np.where(np.isfinite(rule_jac) | ~known, excess, np.inf)
        worst = float(np.max(diff))
        unknown = "" if known.all() else (
            f"; {int((~known).sum())} entries not compared ({other_says} give NaN or inf "
            f"there)")
        if not np.any(excess > 0):
            return Finding("ok", f"matches {other_says}{unknown}", worst)
        k, j = np.unravel_index(int(np.argmax(excess)), excess.shape)
        where = (f"∂ans{_index(k, self.out_shape)}/∂{self.names[i]}"
                 f"{_index(j, self.args[i].shape)}")
        wrong = sum(int(e > 0) for e in excess.ravel())
        return Finding("wrong", (
            f"wrong at {where}: {rule_says} gives {rule_jac[k, j]:.6g} but {other_says} give"
            f"{'s' if other_says.startswith('the') else ''} {numeric[k, j]:.6g} "
            f"(|difference| {diff[k, j]:.3g}; {wrong} of {excess.size} entries off)"
            f"{unknown}"), worst)


def _vjp_result(c, who: str, label: str, shape: tuple, out_shape: tuple):
    """The rule's result as the input's gradient, or a sentence saying what is wrong with it."""
    c, problem = _array_result(c, who, shape)
    if problem:
        return None, problem
    if c.shape != shape:
        fits = False
        try:
            fits = np.broadcast_shapes(c.shape, shape) == c.shape and \
                unbroadcast(c, shape).shape == shape
        except (ValueError, IndexError):
            pass
        if not fits:
            return None, (f"{who} returned shape {c.shape}, but {label} has shape "
                          f"{shape}: return an array of shape {shape} (or of the "
                          f"output's shape {out_shape}, which the engine sums back to {shape})")
        c = unbroadcast(c, shape)
    return c, None


def _jvp_result(c, who: str, shape: tuple, out_shape: tuple):
    c, problem = _array_result(c, who, out_shape)
    if problem:
        return None, problem
    if c.shape != out_shape:
        try:
            c = np.broadcast_to(c, out_shape)
        except ValueError:
            return None, (f"{who} returned shape {c.shape}, but the output has shape "
                          f"{out_shape}: a JVP rule returns ∂ans/∂x · t, of the output's shape")
    return c, None


def _array_result(c, who: str, shape: tuple):
    if c is None:
        return None, (f"{who} returned None (is a `return` missing?); it must return an "
                      f"array of shape {shape}")
    if c is Ellipsis:
        return None, (f"{who} returned ... : the blank is not filled in yet; return an array "
                      f"of shape {shape}")
    if isinstance(c, (tuple, list)):
        return None, (f"{who} returned a {type(c).__name__} of {len(c)}; a rule gives one "
                      f"array, of shape {shape}, for its own input: register one rule per "
                      f"input, ag.defvjp(prim, rule_x, rule_y)")
    if type(c) in (int, float):  # NumPy scalars have a shape; Python numbers do not
        return None, (f"{who} returned a Python {type(c).__name__}, not an array; the sweep "
                      f"needs a NumPy array of shape {shape} (np.full({shape}, ...) or g * ...)")
    if isinstance(c, Tensor):
        c = c.data
    c = np.asarray(c)
    if not np.issubdtype(c.dtype, np.number):
        return None, f"{who} returned {c.dtype} values, not numbers, of shape {c.shape}"
    return c.astype(np.float64, copy=False), None


def _index(flat: int, shape: tuple) -> str:
    if not shape:
        return ""
    return "[" + ", ".join(str(int(v)) for v in np.unravel_index(flat, shape)) + "]"


def _rule_at(rules, i: int):
    try:
        return rules[i]
    except IndexError:
        return None


def _count(rules) -> int | None:
    """How many rules are registered (None: a rule for any number of inputs)."""
    n = len(rules)
    return None if n >= 1 << 30 else n


def _rule_name(rule) -> str:
    fn = getattr(rule, "func", rule)  # a per-input rule is a functools.partial
    name = getattr(fn, "__name__", None)
    if not name:
        return ""
    return " (a lambda)" if name == "<lambda>" else f" {name}"


def _primitive(prim) -> Primitive:
    """``prim`` itself, or the primitive behind a name (``"tanh"``) or an ``ag.`` function."""
    if isinstance(prim, str) and prim in REGISTRY:
        return REGISTRY[prim]
    if callable(prim) and getattr(prim, "__module__", None) == "autograd_nb":
        for candidate in REGISTRY.values():
            if candidate.function and candidate.function == getattr(prim, "__name__", None):
                return candidate
    if isinstance(prim, Composite):
        raise TypeError(
            f"check_rule: '{prim.name}' is a composite, written with primitives: it has no "
            f"rules of its own; check it with ag.gradcheck"
        )
    if not isinstance(prim, Primitive):
        raise TypeError(
            f"check_rule: {prim!r} is not a primitive; decorate its forward with @ag.primitive "
            f"and register its rules with ag.defvjp / ag.defjvp"
        )
    return prim


def _as_value(a) -> np.ndarray:
    """A copy of ``a``: numbers as float64 (as gradcheck does), bools as they are."""
    a = np.asarray(a.data if isinstance(a, Tensor) else a)
    if np.issubdtype(a.dtype, np.number):
        return a.astype(np.float64)
    return a.copy()


def _input_names(prim: Primitive, n: int) -> list[str]:
    try:
        params = list(inspect.signature(prim.__wrapped__).parameters.values())
    except (TypeError, ValueError):
        params = []
    names = [p.name for p in params
             if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)][:n]
    return names + [f"x{i}" for i in range(len(names), n)]


def _forward(prim: Primitive, args: list, names: list[str]):
    """(the output as float64, the values saved for the rules or None)."""
    try:
        with np.errstate(all="ignore"):  # a NaN is reported below, in words
            if prim.forward_saving is not None:
                ans, saved = prim.forward_saving(*args)
            else:
                ans, saved = prim.forward(*args), None
    except Exception as err:
        shapes = ", ".join(f"{n} {np.shape(a)}" for n, a in zip(names, args))
        raise ValueError(
            f"check_rule: the forward of '{prim.name}' raised {type(err).__name__}: {err}, at "
            f"inputs of shapes {shapes}; pass example inputs it accepts"
        ) from err
    if not isinstance(ans, tuple) and not np.all(np.isfinite(ans)):
        shapes = ", ".join(f"{n} {np.shape(a)}" for n, a in zip(names, args))
        raise ValueError(
            f"check_rule: the forward of '{prim.name}' gives NaN or inf at these inputs "
            f"({shapes}); pass example inputs inside its domain"
        )
    if isinstance(ans, tuple):
        raise TypeError(
            f"check_rule: the forward of '{prim.name}' returned a tuple; a primitive returns "
            f"one array (write one primitive per output)"
        )
    return np.asarray(ans, dtype=np.float64), saved


_RANGES = (  # where random inputs are drawn: the first on which the forward is finite
    ("|x| uniform in [0.1, 2], random signs", 0.1, 2.0, True),
    ("uniform in [0.1, 2]", 0.1, 2.0, False),
    ("|x| uniform in [0.1, 0.9], random signs", 0.1, 0.9, True),
    ("uniform in [1.1, 2]", 1.1, 2.0, False),
)


def _draw(prim: Primitive, seed: int):
    """Random inputs for an elementwise primitive of one input (see ``check_rule``)."""
    n = prim.nin if prim.nin is not None else len([
        p for p in inspect.signature(prim.__wrapped__).parameters.values()
        if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD) and p.default is p.empty])
    if not prim.elementwise or n != 1:
        raise TypeError(
            f"check_rule: give example inputs for '{prim.name}', e.g. "
            f"check_rule({prim.name}, x, ...); random ones are drawn only for an elementwise "
            f"primitive of one input"
        )
    for label, low, high, signed in _RANGES:
        rng = np.random.default_rng(seed)
        x = rng.uniform(low, high, (2, 3))
        if signed:
            x = x * rng.choice([-1.0, 1.0], (2, 3))
        with np.errstate(all="ignore"):
            try:
                out = prim.forward(*_with_defaults(prim, (x,)))
            except TypeError as err:  # a parameter without a default (astype's dtype)
                raise TypeError(
                    f"check_rule: give example inputs for '{prim.name}', with its parameters: "
                    f"on a random x alone its forward raised TypeError: {err}"
                ) from err
        if np.all(np.isfinite(out)):
            return (x,), f"x drawn at random (seed {seed}): shape (2, 3), {label}"
    raise ValueError(
        f"check_rule: the forward of '{prim.name}' is not finite on any random inputs tried "
        f"(within ±2); pass example inputs inside its domain"
    )


def _with_defaults(prim: Primitive, inputs: tuple) -> tuple:
    """``inputs`` followed by the default of each parameter not given (``clip``'s bounds)."""
    if prim.nin is None:
        return inputs
    try:
        bound = inspect.signature(prim.__wrapped__).bind(*inputs)
    except TypeError:
        return inputs  # the forward's own error says what is missing, later
    bound.apply_defaults()
    return bound.args
