"""``Playground``: a TensorFlow-Playground-style trainer in one notebook cell, on the real engine.

The state lives in traitlets declared in one block (data set, noise, layers, activation,
optimizer, learning rate, batch size, L2, the step count, the losses); the controls are linked
to them, so code and clicks change the same state and tests check state, not pixels. Play runs
training as an asyncio task on the kernel's event loop: it trains for a few milliseconds, then
yields (``await asyncio.sleep(0)``) so that the kernel can handle the pause button.
"""

from __future__ import annotations

import asyncio
import base64
import math

import ipywidgets as w
import numpy as np
import traitlets as T
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from .. import data as datasets
from .. import nn, optim
from ..grad_mode import no_grad
from ..tensor import Tensor
from .decision import LiveBoundary
from .loss_plot import render_png

__all__ = ["Playground", "DATASETS"]

DATASETS = {
    "moons": datasets.make_moons,
    "circles": datasets.make_circles,
    "spirals": datasets.make_spirals,
    "xor": datasets.make_xor,
}
_OPTIMIZERS = {
    "sgd": lambda params, lr, l2: optim.SGD(params, lr=lr, weight_decay=l2),
    "momentum": lambda params, lr, l2: optim.SGD(params, lr=lr, momentum=0.9, weight_decay=l2),
    "adam": lambda params, lr, l2: optim.Adam(params, lr=lr, weight_decay=l2),
}
_RATES = [0.0001, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0]
_L2 = [0.0, 0.0001, 0.001, 0.003, 0.01, 0.03, 0.1]


class Playground(T.HasTraits):
    """Train a small ``nn.MLP`` on a 2-D toy data set and watch it learn, in one cell.

    Every argument is optional and is also a trait: set it in code (``pg.activation =
    "relu"``) or with the controls. Changing the data or the network's shape builds a new
    network (``pg.model``, a plain ``nn.MLP`` you can take out); changing the optimizer,
    learning rate or L2 keeps the network and makes a new optimizer.

    ``step(n)`` trains ``n`` steps at once; ``play()`` / ``pause()`` (or the buttons) train in
    the background while the notebook stays usable; ``reset()`` starts again.
    """

    # ---- controls
    dataset = T.Enum(list(DATASETS), default_value="moons")
    noise = T.Float(0.1)
    n_samples = T.Int(200)
    hidden = T.List(T.Int(), default_value=[8, 8])
    activation = T.Enum(["tanh", "relu", "sigmoid"], default_value="tanh")
    optimizer = T.Enum(list(_OPTIMIZERS), default_value="adam")
    lr = T.Float(0.03)
    batch_size = T.Int(16)
    l2 = T.Float(0.0)
    seed = T.Int(0)
    steps_per_frame = T.Int(5)  # training steps between two pictures while playing
    # ---- training state (read it; the playground writes it)
    iteration = T.Int(0)
    loss = T.Float(math.nan)
    test_loss = T.Float(math.nan)
    playing = T.Bool(False)

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.renders = 0
        self.png = b""
        self._task: asyncio.Task | None = None
        self._make_data()
        self._reset_model()
        self._fig = Figure(figsize=(9.0, 3.6))
        self._picture_data = None
        self._build_widget()
        self.observe(self._on_data, names=["dataset", "noise", "n_samples", "seed"])
        self.observe(self._on_shape, names=["hidden", "activation"])
        self.observe(self._on_optimizer, names=["optimizer", "lr", "l2"])
        self.observe(self._on_playing, names=["playing"])
        self.render()

    # ---------------------------------------------------------------------------- state
    def _make_data(self) -> None:
        X, y = DATASETS[self.dataset](self.n_samples, noise=self.noise, seed=self.seed)
        self.X_train, self.X_test, self.y_train, self.y_test = datasets.train_test_split(
            X, y, test_size=0.5, seed=self.seed)
        self.n_classes = int(max(y.max() + 1, 2))

    def _reset_model(self) -> None:
        outputs = 1 if self.n_classes == 2 else self.n_classes
        self.model = nn.MLP(2, list(self.hidden), outputs, activation=self.activation,
                            rng=self.seed)
        self._make_optimizer()
        self._rng = np.random.default_rng(self.seed)
        self._order = np.empty(0, dtype=int)
        self.history: dict[str, list[float]] = {"loss": [], "test_loss": []}
        self.history_steps: list[int] = []
        self.iteration = 0
        self.loss, self.test_loss = self._evaluate()

    def _make_optimizer(self) -> None:
        self.opt = _OPTIMIZERS[self.optimizer](self.model.parameters(), self.lr, self.l2)

    def _loss_fn(self, logits, y):
        if self.n_classes == 2:
            return nn.binary_cross_entropy_with_logits(logits.reshape(-1), y)
        return nn.cross_entropy(logits, y)

    def _evaluate(self) -> tuple[float, float]:
        with no_grad():
            train = self._loss_fn(self.model(Tensor(self.X_train)), self.y_train)
            test = self._loss_fn(self.model(Tensor(self.X_test)), self.y_test)
        return float(train.data), float(test.data)

    def _next_batch(self) -> np.ndarray:
        """Indices of the next minibatch: shuffled epochs, as in ``data.batches``."""
        size = max(1, min(self.batch_size, len(self.X_train)))
        if len(self._order) < size:
            self._order = np.concatenate([self._order, self._rng.permutation(len(self.X_train))])
        batch, self._order = self._order[:size], self._order[size:]
        return batch

    def _train_step(self) -> None:
        idx = self._next_batch()
        self.opt.zero_grad()
        loss = self._loss_fn(self.model(Tensor(self.X_train[idx])), self.y_train[idx])
        loss.backward()
        self.opt.step()
        self.iteration += 1
        self.loss, self.test_loss = self._evaluate()
        self.history["loss"].append(self.loss)
        self.history["test_loss"].append(self.test_loss)
        self.history_steps.append(self.iteration)

    # ---------------------------------------------------------------------------- actions
    def step(self, n: int = 1) -> float:
        """Train ``n`` optimizer steps now; returns the training loss (whole training set)."""
        for _ in range(n):
            self._train_step()
        self.render()
        return self.loss

    def reset(self) -> None:
        """A fresh network (same seed, so the same starting weights) and an empty history."""
        self._reset_model()
        self.render()

    def play(self) -> None:
        """Train in the background until ``pause()``: needs a running event loop (a kernel)."""
        self.playing = True

    def pause(self) -> None:
        """Stop background training after the current few steps."""
        self.playing = False

    def accuracy(self, split: str = "test") -> float:
        """Fraction of ``split`` ("train" or "test") points classified correctly."""
        X, y = (self.X_train, self.y_train) if split == "train" else (self.X_test, self.y_test)
        with no_grad():
            out = self.model(Tensor(X)).data
        guess = out.argmax(axis=1) if out.shape[1] > 1 else (out[:, 0] > 0).astype(int)
        return float(np.mean(guess == y))

    def _on_playing(self, change) -> None:
        if not change["new"]:
            return
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            self.playing = False
            raise RuntimeError(
                "Playground.play: no running event loop here (a Jupyter kernel has one); "
                "use playground.step(n) to train n steps at once"
            ) from None
        if self._task is None or self._task.done():
            self._task = loop.create_task(self._run())

    async def _run(self) -> None:
        """One frame at a time: ``steps_per_frame`` steps, a new picture, then a yield to the
        kernel, which handles clicks (pause) there."""
        try:
            while self.playing:
                for _ in range(max(self.steps_per_frame, 1)):
                    self._train_step()
                self.render()
                await asyncio.sleep(0)
        except Exception as err:  # noqa: BLE001 - shown in the widget, not lost in the task
            self._status.value = f"<b>stopped:</b> {type(err).__name__}: {err}"
            self.playing = False

    def _on_data(self, change) -> None:
        self._make_data()
        self._reset_model()
        self.controls["batch_size"].max = len(self.X_train)
        self.render()

    def _on_shape(self, change) -> None:
        self._reset_model()
        self.render()

    def _on_optimizer(self, change) -> None:
        if change["name"] == "optimizer":
            self._make_optimizer()
        elif change["name"] == "lr":
            self.opt.lr = self.lr  # keep the optimizer's running averages
        else:
            self.opt.weight_decay = self.l2

    # ---------------------------------------------------------------------------- pictures
    def _new_picture(self) -> None:
        """Axes, points and curves made once per data set; frames only update them."""
        fig = self._fig
        fig.clear()
        left, right = fig.subplots(1, 2, width_ratios=[1, 1.25])
        fig.subplots_adjust(left=0.06, right=0.98, bottom=0.14, top=0.9, wspace=0.22)
        self._boundary = LiveBoundary(left, self.X_train, self.y_train, self.n_classes)
        (self._train_line,) = right.plot([], [], color="#1f77b4", lw=1.6, label="train loss")
        (self._test_line,) = right.plot([], [], color="#ff7f0e", lw=1.6, label="test loss")
        right.set_xlabel("step")
        right.xaxis.set_major_locator(MaxNLocator(integer=True))
        right.set_ylabel("loss")
        right.grid(True, alpha=0.3)
        right.legend(loc="upper right", fontsize=8, frameon=False)
        self._picture_data = (self.X_train, self.y_train)

    def figure(self) -> Figure:
        """The current decision boundary and loss curves, as a matplotlib figure."""
        if self._picture_data is None or self._picture_data[0] is not self.X_train:
            self._new_picture()
        self._boundary.update(self.model)
        left, right = self._boundary.ax, self._train_line.axes
        left.set_title(f"{self.dataset}: step {self.iteration}", fontsize=10)
        self._train_line.set_data(self.history_steps, self.history["loss"])
        self._test_line.set_data(self.history_steps, self.history["test_loss"])
        if self.history_steps:
            right.relim()
            right.autoscale_view()
        else:  # nothing trained yet: an empty panel with sensible limits, not ±0.05
            right.set_xlim(0, 10)
            right.set_ylim(0, 1.1 * max(self.loss, self.test_loss, 1e-3))
        right.set_title(f"train loss {self.loss:.3f} · test loss {self.test_loss:.3f}",
                        fontsize=10)
        return self._fig

    def render(self) -> None:
        """Redraw the picture (boundary and curves) and show it in the widget."""
        self.png = render_png(self.figure(), dpi=80)
        self.renders += 1
        self._image.value = self.png
        self._show_status()

    def _show_status(self) -> None:
        self._status.value = (
            f"step {self.iteration} · train loss {self.loss:.4f} · test loss "
            f"{self.test_loss:.4f} · test accuracy {self.accuracy():.0%}"
        )

    def draw_graph(self, sample: int = 0):
        """The computation graph of the loss on one training sample (gradients filled in)."""
        from .draw import draw

        idx = slice(sample, sample + 1)
        self.model.zero_grad()
        x = Tensor(self.X_train[idx], name="x")
        loss = self._loss_fn(self.model(x), self.y_train[idx])
        loss.backward()
        picture = draw(loss, title=f"loss on training sample {sample}")
        self.model.zero_grad()
        return picture

    # ---------------------------------------------------------------------------- widget
    def _build_widget(self) -> None:
        style = {"description_width": "90px"}
        wide = w.Layout(width="300px")

        def control(widget, trait):
            widget.style = style
            widget.layout = wide
            w.link((self, trait), (widget, "value"))  # the trait's value goes first
            return widget

        rates = sorted(set(_RATES) | {self.lr})
        l2s = sorted(set(_L2) | {self.l2})
        self.controls = {
            "dataset": control(w.Dropdown(options=list(DATASETS), description="data"),
                               "dataset"),
            "noise": control(w.FloatSlider(min=0, max=0.5, step=0.05, description="noise",
                                           continuous_update=False), "noise"),
            "layers": w.IntSlider(value=len(self.hidden), min=0, max=6, description="layers",
                                  continuous_update=False, style=style, layout=wide),
            "neurons": w.IntSlider(value=max(self.hidden, default=4), min=1, max=32,
                                   description="neurons", continuous_update=False,
                                   style=style, layout=wide),
            "activation": control(w.Dropdown(options=["tanh", "relu", "sigmoid"],
                                             description="activation"), "activation"),
            "optimizer": control(w.Dropdown(options=list(_OPTIMIZERS), description="optimizer"),
                                 "optimizer"),
            "lr": control(w.Dropdown(options=rates, description="learning rate"), "lr"),
            "batch_size": control(w.IntSlider(min=1, max=len(self.X_train),
                                              description="batch size",
                                              continuous_update=False), "batch_size"),
            "l2": control(w.Dropdown(options=l2s, description="L2"), "l2"),
            "steps_per_frame": control(w.IntSlider(min=1, max=50, description="steps/frame"),
                                       "steps_per_frame"),
        }
        for name in ("layers", "neurons"):
            self.controls[name].observe(self._on_layer_sliders, names="value")
        self.observe(self._on_hidden, names="hidden")

        self.buttons = {
            "play": w.ToggleButton(description="play", icon="play", layout=w.Layout(width="80px")),
            "step": w.Button(description="step", icon="step-forward",
                             layout=w.Layout(width="80px")),
            "reset": w.Button(description="reset", icon="undo", layout=w.Layout(width="80px")),
            "graph": w.Button(description="graph of one sample", icon="sitemap",
                              layout=w.Layout(width="256px")),
        }
        w.link((self.buttons["play"], "value"), (self, "playing"))
        self.observe(self._on_play_label, names="playing")
        self.buttons["step"].on_click(lambda _: self.step(1))
        self.buttons["reset"].on_click(lambda _: self.reset())
        self.buttons["graph"].on_click(self._show_graph)

        self._image = w.Image(format="png", layout=w.Layout(width="680px", max_width="100%"))
        self._status = w.HTML()
        self._status.add_class("agnb-playground-status")  # browser tests read the step here
        self._graph_out = w.Output()
        # The controls keep their width; the picture takes what is left.
        left = w.VBox([*self.controls.values(),
                       w.HBox([self.buttons[b] for b in ("play", "step", "reset")]),
                       self.buttons["graph"]],
                      layout=w.Layout(min_width="310px", flex="0 0 310px"))
        right = w.VBox([self._image, self._status], layout=w.Layout(flex="1 1 auto"))
        self.widget = w.VBox([w.HBox([left, right]), self._graph_out])

    def _on_layer_sliders(self, change) -> None:
        hidden = [self.controls["neurons"].value] * self.controls["layers"].value
        if hidden != list(self.hidden):
            self.hidden = hidden

    def _on_hidden(self, change) -> None:
        hidden = list(change["new"])
        self.controls["layers"].value = len(hidden)
        if hidden:
            self.controls["neurons"].value = hidden[0]

    def _on_play_label(self, change) -> None:
        self.buttons["play"].description = "pause" if change["new"] else "play"
        self.buttons["play"].icon = "pause" if change["new"] else "play"

    def _show_graph(self, _=None) -> None:
        self._graph_out.clear_output()
        with self._graph_out:
            try:
                picture = self.draw_graph()
            except ImportError:
                print("graph drawing (autograd_nb.viz.draw) is not available in this install")
                return
            from IPython.display import display

            display(picture)

    def _repr_mimebundle_(self, **kwargs) -> dict:
        """The widget, plus the current picture as PNG for pages shown without a kernel."""
        bundle = self.widget._repr_mimebundle_(**kwargs)
        bundle["image/png"] = base64.b64encode(self.png).decode("ascii")
        bundle["text/plain"] = repr(self)
        return bundle

    def snapshot(self):
        """The current picture as an image object (displays as PNG, e.g. in a saved page)."""
        from IPython.display import Image

        return Image(data=self.png, format="png")

    def __repr__(self) -> str:
        return (f"Playground({self.dataset}, hidden={list(self.hidden)}, {self.activation}, "
                f"{self.optimizer} lr={self.lr:g}, batch={self.batch_size}, l2={self.l2:g}; "
                f"step {self.iteration}, loss {self.loss:.4f})")
