"""The seed's two examples, end to end: the numbers README shows."""

import numpy as np

import autograd_nb as ag


def test_two_chains_sum():
    a = ag.tensor(2.0, requires_grad=True)
    b = ag.tensor(-3.0, requires_grad=True)
    c = ag.tensor(10.0, requires_grad=True)
    d = (a + b) * (a * c)
    d.backward()
    assert a.grad.item() == 2.0 * 10.0 + (2.0 - 3.0) * 10.0
    assert b.grad.item() == 2.0 * 10.0
    assert c.grad.item() == (2.0 - 3.0) * 2.0


def test_chain_rule_on_sum_times_c():
    a, b, c = (ag.tensor(v, requires_grad=True) for v in (2.0, -3.0, 10.0))
    d = (a + b) * c
    d.backward()
    assert (a.grad.item(), b.grad.item(), c.grad.item()) == (10.0, 10.0, -1.0)
    assert np.isclose(d.item(), -10.0)
