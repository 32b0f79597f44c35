"""nn.fit: history, metrics, callbacks, minibatches, a clean stop on Ctrl-C, and the demo."""

from __future__ import annotations

import os
import signal

import numpy as np
import pytest

import autograd_nb as ag
from autograd_nb import data, nn, optim
from autograd_nb.__main__ import main


def moons_setup(dtype=np.float64):
    X, y = data.make_moons(100, noise=0.1, seed=1)
    model = nn.MLP(2, [8], 1, rng=1, dtype=dtype)
    return X, y.reshape(-1, 1), model, optim.Adam(model.parameters(), lr=0.02)


def test_history_and_metrics():
    X, y, model, opt = moons_setup()
    history = nn.fit(model, nn.binary_cross_entropy_with_logits, X, y, opt, steps=50,
                     metrics={"accuracy": nn.accuracy}, progress=False)
    assert history.steps == list(range(1, 51))
    assert len(history.loss) == 50 and all(isinstance(v, float) for v in history.loss)
    assert history.loss[-1] < 0.7 * history.loss[0]
    assert len(history.metrics["accuracy"]) == 50 and history.metrics["accuracy"][-1] > 0.8
    assert not history.interrupted
    assert "50 steps" in repr(history) and "accuracy=" in repr(history)


def test_callbacks_get_step_loss_and_metrics():
    X, y, model, opt = moons_setup()
    calls = []

    class Plot:  # the shape of a live loss plot
        def __init__(self):
            self.points = []

        def update(self, step, loss, **metrics):
            self.points.append((step, loss, metrics))

    plot = Plot()
    history = nn.fit(model, nn.binary_cross_entropy_with_logits, X, y, opt, steps=5,
                     callbacks=[lambda step, loss, **m: calls.append((step, loss, m)), plot],
                     metrics={"acc": nn.accuracy}, progress=False)
    assert [c[0] for c in calls] == [1, 2, 3, 4, 5]
    assert [c[1] for c in calls] == history.loss
    assert calls[-1][2] == {"acc": history.metrics["acc"][-1]}
    assert plot.points == calls


def test_keyboard_interrupt_from_callback_returns_history_so_far():
    X, y, model, opt = moons_setup()
    handler = signal.getsignal(signal.SIGINT)
    snapshots = {}

    def stop_at_7(step, loss, **metrics):
        snapshots[step] = model.state_dict()
        if step == 7:
            raise KeyboardInterrupt

    history = nn.fit(model, nn.binary_cross_entropy_with_logits, X, y, opt, steps=100,
                     callbacks=stop_at_7, progress=False)
    assert history.interrupted and len(history) == 7
    for name, value in model.state_dict().items():  # the model as it was after step 7
        np.testing.assert_array_equal(value, snapshots[7][name])
    assert model.training  # the mode is restored
    assert signal.getsignal(signal.SIGINT) is handler


class InterruptedMidStep(optim.SGD):
    """An optimizer that receives Ctrl-C after updating its first parameter."""

    def _update(self, i, w, g):
        super()._update(i, w, g)
        if i == 0:
            os.kill(os.getpid(), signal.SIGINT)


def test_ctrl_c_during_an_update_waits_until_every_parameter_is_updated():
    X, y, model, _ = moons_setup()
    opt = InterruptedMidStep(model.parameters(), lr=0.1)
    handler = signal.getsignal(signal.SIGINT)
    before = model.state_dict()
    history = nn.fit(model, nn.binary_cross_entropy_with_logits, X, y, opt, steps=10,
                     progress=False)
    assert history.interrupted and len(history) == 1
    after = model.state_dict()
    assert all(not np.array_equal(after[name], before[name]) for name in before)
    assert signal.getsignal(signal.SIGINT) is handler


def test_minibatches_and_float32():
    X, y = data.make_spirals(90, noise=0.05, seed=0, n_classes=3)
    model = nn.MLP(2, [16], 3, rng=0, dtype=np.float32)
    opt = optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
    sizes = []
    history = nn.fit(model, lambda p, t: (sizes.append(len(t)), nn.cross_entropy(p, t))[1],
                     X, y, opt, steps=7, batch_size=32, seed=0, progress=False)
    assert sizes == [32, 32, 26, 32, 32, 26, 32]  # epoch after epoch
    assert len(history) == 7
    assert all(p.dtype == np.float32 for p in model.parameters())


def test_progress_bar_shows_the_loss(capsys):
    X, y, model, opt = moons_setup()
    nn.fit(model, nn.binary_cross_entropy_with_logits, X, y, opt, steps=3, progress=True,
           desc="moons")
    err = capsys.readouterr().err
    assert "moons" in err and "loss=" in err and "3/3" in err


def test_fit_argument_errors():
    X, y, model, opt = moons_setup()
    with pytest.raises(ValueError, match="one target per sample"):
        nn.fit(model, nn.mse_loss, X, y[:10], opt, progress=False)
    with pytest.raises(TypeError, match="update method"):
        nn.fit(model, nn.mse_loss, X, y, opt, callbacks=[3], progress=False)


def test_accuracy():
    assert nn.accuracy(np.array([[2.0], [-1.0], [0.5]]), np.array([1, 0, 0])) == 2 / 3
    assert nn.accuracy(ag.tensor([[0.1, 0.9], [0.8, 0.2]]), np.array([1, 1])) == 0.5


def test_demo_trains_and_reports_accuracy(tmp_path, capsys):
    assert main(["demo", "--out", str(tmp_path / "pictures"), "--no-progress"]) == 0
    out = capsys.readouterr().out
    assert "training accuracy" in out
    accuracy = float(out.split("training accuracy ")[1].split("%")[0])
    assert accuracy >= 97
    assert (tmp_path / "pictures" / "loss.png").stat().st_size > 0
    assert (tmp_path / "pictures" / "decision_boundary.png").stat().st_size > 0
    assert "bce_with_logits" in (tmp_path / "pictures" / "graph.svg").read_text()
    assert "backward pass" in (tmp_path / "pictures" / "backward.html").read_text()
