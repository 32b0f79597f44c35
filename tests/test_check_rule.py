"""``ag.check_rule``: each mistake a learner makes with a rule is reported, by name, not raised.

The notebook that teaches it (notebooks/07_build_your_own.ipynb) runs in the nbval pass over
``notebooks/``; the last test here checks that its stored outputs show its checks passing.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

import autograd_nb as ag

NOTEBOOK = Path(__file__).resolve().parents[1] / "notebooks" / "07_build_your_own.ipynb"


def _softplus():
    @ag.primitive(name="check_rule_softplus", elementwise=True)
    def softplus(x):
        return np.logaddexp(0.0, x)

    return softplus


def softplus_vjp(g, ans, x):
    return g * np.exp(x - ans)


def softplus_jvp(t, ans, x):
    return t * np.exp(x - ans)


def _times():
    @ag.primitive(name="check_rule_times")
    def times(x, y):
        return x * y

    return times


def times_vjp_x(g, ans, x, y):
    return g * y


def times_vjp_y(g, ans, x, y):
    return g * x  # the output's shape: the engine sums it back to y's


def times_jvp_x(t, ans, x, y):
    return t * y


def times_jvp_y(t, ans, x, y):
    return t * x


X = np.arange(1.0, 13.0).reshape(4, 3)
Y = np.array([0.5, -2.0, 3.0])


def _problems(report) -> str:
    return "\n".join(report.problems)


def test_correct_rules_are_ok():
    softplus = _softplus()
    ag.defvjp(softplus, softplus_vjp)
    ag.defjvp(softplus, softplus_jvp)
    report = ag.check_rule(softplus)  # inputs drawn at random
    assert report.ok, report
    assert report.problems == []
    assert report.inputs[0].shape == (2, 3) and "drawn at random" in report.notes[0]
    times = _times()
    ag.defvjp(times, times_vjp_x, times_vjp_y)
    ag.defjvp(times, times_jvp_x, times_jvp_y)
    report = ag.check_rule(times, X, Y)  # y broadcast over the rows
    assert report.ok, report
    assert [c.name for c in report.inputs] == ["x", "y"]
    assert "all rules check out" in repr(report)


def test_the_engines_own_rules_are_ok():
    for op in (ag.exp, ag.log, ag.tanh, ag.sigmoid, ag.relu, ag.sqrt):
        assert ag.check_rule(op).ok, op.__name__
    assert ag.check_rule("sum", X, 1, False).ok
    assert ag.check_rule("matmul", X, np.ones((3, 2))).ok


def test_wrong_sign_is_reported_with_the_worst_element():
    softplus = _softplus()
    ag.defvjp(softplus, lambda g, ans, x: -g * np.exp(x - ans))
    ag.defjvp(softplus, softplus_jvp)
    report = ag.check_rule(softplus, np.array([-3.0, 0.0, 2.0]))
    check = report.inputs[0]
    assert not report.ok
    assert check.vjp.status == "wrong" and check.jvp.ok and check.agree.status == "wrong"
    # the worst element is x[2], where σ(2) ≈ 0.8808 is largest
    assert "∂ans[2]/∂x[2]" in check.vjp.message
    assert "-0.880797" in check.vjp.message and "0.880797" in check.vjp.message
    assert check.vjp.worst == pytest.approx(2 * 0.8807970779778823, rel=1e-6)


def test_wrong_shape_names_the_primitive_the_input_and_the_shape():
    softplus = _softplus()
    ag.defvjp(softplus, lambda g, ans, x: (g * np.exp(x - ans)).ravel()[:2])
    report = ag.check_rule(softplus, np.zeros((2, 3)))
    finding = report.inputs[0].vjp
    assert finding.status == "error"
    assert "'check_rule_softplus'" in finding.message and "input 0 (x)" in finding.message
    assert "returned shape (2,)" in finding.message and "shape (2, 3)" in finding.message


def test_wrong_jvp_shape():
    times = _times()
    ag.defvjp(times, times_vjp_x, times_vjp_y)
    ag.defjvp(times, times_jvp_x, lambda t, ans, x, y: (t * x).sum(axis=1))
    finding = ag.check_rule(times, X, Y).inputs[1].jvp
    assert finding.status == "error" and "the output has shape (4, 3)" in finding.message


def test_forgot_broadcasting_summed_everything():
    """``(g * x).sum()`` for ``y`` of shape (3,): one number, not one per element of y."""
    times = _times()
    ag.defvjp(times, times_vjp_x, lambda g, ans, x, y: (g * x).sum())
    report = ag.check_rule(times, X, Y)
    assert report.inputs[0].ok
    finding = report.inputs[1].vjp
    assert finding.status == "error"
    assert "returned shape ()" in finding.message and "input 1 (y) has shape (3,)" in finding.message


def test_forgot_broadcasting_summed_the_wrong_axis():
    """On a square x, summing over axis 1 instead of 0 gives the right shape, wrong numbers."""
    times = _times()
    ag.defvjp(times, times_vjp_x, lambda g, ans, x, y: (g * x).sum(axis=1))
    square = np.arange(1.0, 10.0).reshape(3, 3)
    report = ag.check_rule(times, square, Y)
    assert report.inputs[1].vjp.status == "wrong"
    assert "∂ans[" in report.inputs[1].vjp.message and "/∂y[" in report.inputs[1].vjp.message


def test_forgot_an_input():
    times = _times()
    ag.defvjp(times, times_vjp_x)
    ag.defjvp(times, times_jvp_x, times_jvp_y)
    report = ag.check_rule(times, X, Y)
    finding = report.inputs[1].vjp
    assert finding.status == "missing"
    assert "ag.defvjp(check_rule_times, rule_x, rule_y)" in finding.message
    assert report.inputs[0].ok and not report.ok


def test_a_rule_for_an_input_that_does_not_matter_may_be_left_out():
    @ag.primitive(name="check_rule_first")
    def first(x, y):
        return x + 0 * y

    ag.defvjp(first, lambda g, ans, x, y: g)
    report = ag.check_rule(first, Y, Y)
    assert report.ok, report
    assert report.inputs[1].vjp.status == "skipped"


def test_returned_a_tuple():
    times = _times()
    ag.defvjp(times, lambda g, ans, x, y: (g * y, g * x), times_vjp_y)
    finding = ag.check_rule(times, X, Y).inputs[0].vjp
    assert finding.status == "error"
    assert "returned a tuple of 2" in finding.message and "one rule per input" in finding.message


def test_returned_none():
    def softplus_vjp_no_return(g, ans, x):
        g * np.exp(x - ans)

    softplus = _softplus()
    ag.defvjp(softplus, softplus_vjp_no_return)
    finding = ag.check_rule(softplus, Y).inputs[0].vjp
    assert finding.status == "error"
    assert "softplus_vjp_no_return" in finding.message and "returned None" in finding.message
    assert "shape (3,)" in finding.message


def test_a_blank_not_filled_in():
    softplus = _softplus()
    ag.defvjp(softplus, lambda g, ans, x: ...)
    finding = ag.check_rule(softplus, Y).inputs[0].vjp
    assert finding.status == "error" and "not filled in" in finding.message


def test_a_rule_that_raises_is_reported_with_its_name():
    def softplus_vjp_typo(g, ans, x):
        return g * np.exp(x - answer)  # noqa: F821  (the learner's typo)

    softplus = _softplus()
    ag.defvjp(softplus, softplus_vjp_typo)
    ag.defjvp(softplus, softplus_jvp)
    report = ag.check_rule(softplus, Y)  # does not raise
    finding = report.inputs[0].vjp
    assert finding.status == "error"
    assert "softplus_vjp_typo" in finding.message and "NameError" in finding.message
    assert report.inputs[0].jvp.ok and report.inputs[0].agree.status == "skipped"


def test_jvp_that_disagrees_with_vjp():
    softplus = _softplus()
    ag.defvjp(softplus, softplus_vjp)
    ag.defjvp(softplus, lambda t, ans, x: 2 * t * np.exp(x - ans))
    check = ag.check_rule(softplus, Y).inputs[0]
    assert check.vjp.ok
    assert check.jvp.status == "wrong" and check.agree.status == "wrong"
    assert "the VJP rule gives" in check.agree.message and "the JVP rule gives" in check.agree.message


def test_no_jvp_rules_is_a_note_not_a_failure():
    softplus = _softplus()
    ag.defvjp(softplus, softplus_vjp)
    softplus.jvps = ()
    report = ag.check_rule(softplus, Y)
    assert report.ok
    assert any("no JVP rules" in n for n in report.notes)


def test_random_inputs_follow_the_domain():
    assert "uniform in [0.1, 2]" in ag.check_rule(ag.log).notes[0]
    with pytest.raises(TypeError, match="give example inputs for 'check_rule_times'"):
        ag.check_rule(_times())


def test_misuse_raises_clearly():
    with pytest.raises(TypeError, match="not a primitive"):
        ag.check_rule(lambda x: x, 1.0)
    softplus = _softplus()
    ag.defvjp(softplus, softplus_vjp)
    with pytest.raises(ValueError, match="NaN or inf"):
        ag.check_rule(ag.log, np.array([-1.0, 1.0]))


def test_html_report():
    softplus = _softplus()
    ag.defvjp(softplus, lambda g, ans, x: -g * np.exp(x - ans))
    html = ag.check_rule(softplus, Y)._repr_html_()
    assert "<table>" in html and "✗" in html and "check_rule(check_rule_softplus)" in html


def test_the_notebook_shows_its_checks_passing():
    """The stored outputs of notebook 7 (executed in place) show every exercise check passing."""
    cells = json.loads(NOTEBOOK.read_text(encoding="utf-8"))["cells"]
    texts = []
    for cell in cells:
        if cell["cell_type"] == "code" and "ag.check_rule(" in "".join(cell["source"]):
            texts += ["".join(o.get("data", {}).get("text/plain", ""))
                      for o in cell["outputs"] if o["output_type"] == "execute_result"]
    assert len(texts) == 5
    assert sum("all rules check out" in t for t in texts) == 4  # one shows the broken rule
    assert not [o for c in cells for o in c.get("outputs", []) if o["output_type"] == "error"]
