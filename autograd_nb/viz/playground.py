"""``Playground``: a TensorFlow-Playground-style trainer in one notebook cell, on the real engine.

The Playground is an ``ipywidgets.VBox``: it goes in a ``VBox`` or a ``Tab`` with other widgets.
Its state lives in traitlets declared in one block (data set, noise, layers, activation,
optimizer, learning rate, batch size, L2, the step count, the losses); the controls are linked
to them, so code and clicks change the same state. Play runs training as an asyncio task on
the kernel's event loop: it trains for a few milliseconds, then yields
(``await asyncio.sleep(0)``) so that the kernel can handle the pause button.

What it shows, redrawn every frame: the network (each neuron's output over the plane, each
link coloured by its weight) and the output over the data, as one PNG; the train and test
loss curves as inline SVG, whose axes follow the data at every step (its text is real text
in the page, which the browser tests read and measure).
"""

from __future__ import annotations

import asyncio
import base64
import io
import math
import struct

import ipywidgets as w
import numpy as np
import traitlets as T
from matplotlib.figure import Figure
from matplotlib.image import imread, imsave
from matplotlib.ticker import MaxNLocator

from .. import data as datasets
from .. import nn, optim
from ..grad_mode import no_grad
from ..tensor import Tensor, whole_number
from .decision import LiveBoundary, LiveNetwork, LiveSurface
from .loss_plot import follow_data, render_png, render_svg, thin

__all__ = ["Playground", "DATASETS"]

DATASETS = {
    "moons": datasets.make_moons,
    "circles": datasets.make_circles,
    "spirals": datasets.make_spirals,
    "xor": datasets.make_xor,
    "gaussians": datasets.make_gaussians,
    "plane": datasets.make_plane,  # regression
    "bumps": datasets.make_bumps,  # regression
}
_OPTIMIZERS = {
    "sgd": lambda params, lr, l2: optim.SGD(params, lr=lr, weight_decay=l2),
    "momentum": lambda params, lr, l2: optim.SGD(params, lr=lr, momentum=0.9, weight_decay=l2),
    "adam": lambda params, lr, l2: optim.Adam(params, lr=lr, weight_decay=l2),
}
_RATES = [0.0001, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0]
_L2 = [0.0, 0.0001, 0.001, 0.003, 0.01, 0.03, 0.1]
# Pictures: shown at 100 CSS px to the inch (a 9 pt label is 12.5 px tall), drawn at twice
# those pixels (sharp on HiDPI screens).
_SCREEN_DPI = 100
_PNG_DPI = 2 * _SCREEN_DPI
_WIDTH_IN = 6.9
_NETWORK_HEIGHT_IN = 3.1
_LOSS_HEIGHT_IN = 2.0
_FONT = 9


class Playground(w.VBox):
    """Train a small ``nn.MLP`` on a 2-D toy data set and watch it learn, in one cell.

    An ``ipywidgets`` box: display it, or put it in a ``VBox``/``Tab`` beside other widgets.
    The data sets are TensorFlow Playground's: classification (moons, circles, spirals, xor,
    gaussians) and regression (plane, bumps; trained with the mean squared error).

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
        self.loss_svg = ""
        self._task: asyncio.Task | None = None
        self._make_data()
        self._reset_model()
        self._fig = Figure(figsize=(_WIDTH_IN, _NETWORK_HEIGHT_IN))
        self._loss_fig = Figure(figsize=(_WIDTH_IN, _LOSS_HEIGHT_IN))
        self._picture_of = None
        self._build_widget()
        self.observe(self._on_data, names=["dataset", "noise", "n_samples", "seed"])
        self.observe(self._on_shape, names=["hidden", "activation"])
        self.observe(self._on_optimizer, names=["optimizer", "lr", "l2"])
        self.observe(self._on_playing, names=["playing"])
        self.render()

    # ---------------------------------------------------------------------------- state
    @property
    def widget(self) -> Playground:
        """The widget to display: the Playground itself (kept for code written before it was
        a widget)."""
        return self

    @property
    def regression(self) -> bool:
        """True when the data set's targets are numbers to fit, not classes."""
        return self.y_train.dtype.kind == "f"

    def _make_data(self) -> None:
        X, y = DATASETS[self.dataset](self.n_samples, noise=self.noise, seed=self.seed)
        self.X_train, self.X_test, self.y_train, self.y_test = datasets.train_test_split(
            X, y, test_size=0.5, seed=self.seed)
        self.n_classes = 0 if self.regression else int(max(y.max() + 1, 2))

    def _reset_model(self) -> None:
        outputs = 1 if self.n_classes <= 2 else self.n_classes
        self.model = nn.MLP(2, list(self.hidden), outputs, activation=self.activation,
                            rng=self.seed)
        self._make_optimizer()
        self._rng = np.random.default_rng(self.seed)
        self._order = np.empty(0, dtype=int)
        self.history: dict[str, list[float]] = {"loss": [], "test_loss": []}
        self.history_steps: list[int] = []
        self.iteration = 0
        self.loss, self.test_loss = self._evaluate()
        self._start = (self.loss, self.test_loss)  # drawn at step 0 of the curves

    def _make_optimizer(self) -> None:
        self.opt = _OPTIMIZERS[self.optimizer](self.model.parameters(), self.lr, self.l2)

    def _loss_fn(self, logits, y):
        if self.regression:
            return nn.mse_loss(logits.reshape(-1), y)
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
        """Fraction of ``split`` ("train" or "test") points classified correctly (NaN for a
        regression data set)."""
        if self.regression:
            return math.nan
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
        """Axes, tiles, points and curves made once per data set and network; frames only
        update them."""
        fig = self._fig
        fig.clear()
        network_ax = fig.add_axes((0.0, 0.0, 0.6, 0.9))
        output_ax = fig.add_axes((0.67, 0.13, 0.31, 0.72))
        sizes = [2, *self.hidden, 1 if self.n_classes <= 2 else self.n_classes]
        kind = "values" if self.regression else "binary" if self.n_classes == 2 else "classes"
        self._network = LiveNetwork(network_ax, self.X_train, sizes, output=kind,
                                    fontsize=_FONT)
        if self.regression:
            self._output = LiveSurface(output_ax, self.X_train, self.y_train)
        else:
            self._output = LiveBoundary(output_ax, self.X_train, self.y_train, self.n_classes)
        output_ax.tick_params(labelsize=_FONT - 1)
        self._new_loss_picture()
        self._picture_of = (self.X_train, self.model)

    def _new_loss_picture(self) -> None:
        """The loss panel: two curves on axes whose limits ``follow_data`` sets every frame."""
        fig = self._loss_fig
        fig.clear()
        width, height = fig.get_size_inches()
        ax = fig.add_axes((0.75 / width, 0.5 / height, 1 - 0.9 / width, 1 - 0.85 / height))
        (self._train_line,) = ax.plot([], [], color="#1f77b4", lw=1.6, label="train loss")
        (self._test_line,) = ax.plot([], [], color="#ff7f0e", lw=1.6, label="test loss")
        ax.set_xlabel("step", fontsize=_FONT, labelpad=2)
        ax.set_ylabel("loss", fontsize=_FONT)
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.tick_params(labelsize=_FONT)
        ax.grid(True, alpha=0.3)
        # Above the axes, beside the title: never over the curves.
        ax.legend(loc="lower right", bbox_to_anchor=(1.0, 1.0), ncol=2, fontsize=_FONT,
                  frameon=False, borderaxespad=0.1, handlelength=1.5)
        ax.set_gid("agnb-loss-axes")  # the browser tests find the axes by this id

    def _stale_picture(self) -> bool:
        """True when the data or the network changed since the artists were made."""
        return (self._picture_of is None or self._picture_of[0] is not self.X_train
                or self._picture_of[1] is not self.model)

    def figure(self) -> Figure:
        """The network and its output over the data, as a matplotlib figure (up to date)."""
        if self._stale_picture():
            self._new_picture()
        self._network.update(self.model)
        self._output.update(self.model)
        self._network.ax.set_title(
            f"{self.dataset} · step {self.iteration} · each square: one neuron over the plane",
            fontsize=_FONT, loc="left", x=0.03)
        self._output.ax.set_title("output and the training data", fontsize=_FONT)
        return self._fig

    def loss_figure(self) -> Figure:
        """The train and test loss curves from step 0 to now, as a matplotlib figure."""
        if self._stale_picture():
            self._new_picture()
        steps = [0, *self.history_steps]
        train = [self._start[0], *self.history["loss"]]
        test = [self._start[1], *self.history["test_loss"]]
        self._train_line.set_data(*thin(steps, train))
        self._test_line.set_data(*thin(steps, test))
        ax = self._train_line.axes
        follow_data(ax, steps, train, test)
        ax.set_title(f"step {self.iteration} · train loss {self.loss:.3f} · "
                     f"test loss {self.test_loss:.3f}", fontsize=_FONT, loc="left")
        return self._loss_fig

    def render(self) -> None:
        """Redraw the pictures (network, output, loss curves) and show them in the widget."""
        self.png = render_png(self.figure(), dpi=_PNG_DPI)
        self.loss_svg = render_svg(self.loss_figure(), css_class="agnb-loss-svg",
                                   fill_width=True)
        self.renders += 1
        self._image.value = self.png
        self._loss_view.value = self.loss_svg
        self._show_status()

    def _show_status(self) -> None:
        quality = ("" if self.regression else f" · test accuracy {self.accuracy():.0%}")
        self._status.value = (
            f"step {self.iteration} · train loss {self.loss:.4f} · test loss "
            f"{self.test_loss:.4f}{quality}"
        )

    def draw_graph(self, sample: int = 0):
        """The same graph as ``graph_of_sample`` as a still picture (``viz.draw``, layers
        collapsed when big), with the gradients of one backward pass, for documents. The
        parameters' ``.grad`` is left as it was."""
        from .draw import draw

        x, target = self._sample(sample, "draw_graph")
        before = [p.grad for p in self.model.parameters()]
        for p in self.model.parameters():
            p.grad = None
        loss = self._loss_fn(self.model(x), target)
        loss.backward()
        picture = draw(loss, title=f"loss on training sample {sample}")
        for p, grad in zip(self.model.parameters(), before):
            p.grad = grad
        return picture

    def _sample(self, sample: int, caller: str):
        """Training sample ``sample`` as a one-row batch (input tensor, target)."""
        whole_number(sample, f"Playground.{caller}: sample", low=0)
        if sample >= len(self.X_train):
            raise IndexError(f"Playground.{caller}: sample {sample} is past the "
                             f"{len(self.X_train)} training samples; give 0 to "
                             f"{len(self.X_train) - 1}")
        return (Tensor(self.X_train[sample:sample + 1], name="x"),
                self.y_train[sample:sample + 1])

    def graph_of_sample(self, sample: int = 0):
        """The reverse sweep of the loss on one training sample, in the sweep player: each
        layer one box that opens on click (no ``.grad`` is written)."""
        from .player import BackwardPlayer

        x, target = self._sample(sample, "graph_of_sample")
        return BackwardPlayer(self._loss_fn(self.model(x), target),
                              title=f"loss on training sample {sample}")

    # ---------------------------------------------------------------------------- widget
    def _build_widget(self) -> None:
        style = {"description_width": "85px"}
        wide = w.Layout(width="265px")

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
                              layout=w.Layout(width="200px")),
        }
        w.link((self.buttons["play"], "value"), (self, "playing"))
        self.observe(self._on_play_label, names="playing")
        self.buttons["step"].on_click(lambda _: self.step(1))
        self.buttons["reset"].on_click(lambda _: self.reset())
        self.buttons["graph"].on_click(self._show_graph)

        width = f"{round(_WIDTH_IN * _SCREEN_DPI)}px"
        self._image = w.Image(format="png", layout=w.Layout(width=width, max_width="100%"))
        self._image.add_class("agnb-playground-network")
        self._loss_view = w.HTML(layout=w.Layout(width=width, max_width="100%"))
        self._loss_view.add_class("agnb-playground-loss")  # browser tests read the axes here
        self._status = w.HTML()
        self._status.add_class("agnb-playground-status")  # browser tests read the step here
        self._graph_out = w.Output()
        # TensorFlow Playground's order: buttons, controls, then the pictures at full width.
        # The controls flow into as many columns as the cell has room for (three at 825 px),
        # so the pictures never have to shrink beside them.
        grid = w.GridBox(list(self.controls.values()), layout=w.Layout(
            grid_template_columns="repeat(auto-fill, 270px)", grid_gap="0 8px"))
        buttons = w.HBox([self.buttons[b] for b in ("play", "step", "reset", "graph")])
        self.children = [buttons, grid, self._image, self._loss_view, self._status,
                         self._graph_out]
        self.add_class("agnb-playground")

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
        from IPython.display import display

        self._graph_out.clear_output()
        with self._graph_out:
            display(self.graph_of_sample())

    def close(self) -> None:
        """Stop training and close the Playground with every control and picture inside it
        (``Widget.close`` alone would leave the inner widgets open in the kernel)."""
        self.playing = False
        inner, todo = [], list(self.children)
        while todo:
            widget = todo.pop()
            inner.append(widget)
            todo.extend(getattr(widget, "children", ()))
        for widget in inner:
            widget.close()
        super().close()

    def _repr_mimebundle_(self, **kwargs) -> tuple[dict, dict]:
        """The widget, plus the current pictures as one PNG for pages shown without a kernel
        (shown at half its pixels: sharp on HiDPI screens)."""
        bundle = super()._repr_mimebundle_(**kwargs)
        png = self.snapshot_png()
        bundle["image/png"] = base64.b64encode(png).decode("ascii")
        bundle["text/plain"] = repr(self)
        width, height = struct.unpack(">II", png[16:24])
        return bundle, {"image/png": {"width": width // 2, "height": height // 2}}

    def snapshot_png(self) -> bytes:
        """The network, the output and the loss curves stacked in one PNG (twice the pixels
        of the widget, for HiDPI screens)."""
        parts = [imread(io.BytesIO(render_png(fig, dpi=_PNG_DPI)), format="png")
                 for fig in (self.figure(), self.loss_figure())]
        out = io.BytesIO()
        imsave(out, np.concatenate(parts, axis=0), format="png", dpi=_PNG_DPI)
        return out.getvalue()

    def snapshot(self):
        """The current pictures as an image object shown at the widget's size (displays as
        PNG, e.g. in a saved page)."""
        from IPython.display import Image

        return Image(data=self.snapshot_png(), format="png", retina=True)

    def __repr__(self) -> str:
        return (f"Playground({self.dataset}, hidden={list(self.hidden)}, {self.activation}, "
                f"{self.optimizer} lr={self.lr:g}, batch={self.batch_size}, l2={self.l2:g}; "
                f"step {self.iteration}, loss {self.loss:.4f})")
