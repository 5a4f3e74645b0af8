"""Chapter 11's experiment: how the choice of loss and activation changes learning.

Pulled into the chapter with snippets and run when the book is built. Two runs:

1. From a saturated start (the running example with its output biases pushed to
   -5 and +5, so both outputs sit on the flat, wrong end of the sigmoid),
   gradient descent with the sigmoid + L2 delta (4.4) and with the sigmoid +
   binary cross-entropy delta (11.11), both scored by the same squared error.
2. A small two-class problem that needs a hidden layer (points near the four
   corners of a square, labelled like XOR), trained with softmax +
   cross-entropy and a sigmoid, tanh or ReLU hidden layer from the same start.

Every number comes from ``backprop_book`` (``backprop``, ``gradient_step``,
``forward``, ``train``); this file only sets up the runs and draws them, with
Matplotlib's Agg backend, into an inline ``<svg>`` (text stays text; ink drawn
in ``INK`` becomes ``currentColor`` for the light/dark switch). The figure is
always closed.
"""


import matplotlib

matplotlib.use("Agg")  # render to a file, never to a window

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from backprop_book import (  # noqa: E402
    backprop,
    forward,
    gradient_step,
    l2_loss,
    running_example,
    train,
)

from book.show import inline_svg, svg_style  # noqa: E402

INK = "#030303"  # drawn in this colour, then handed over to the page's text colour
STYLE = svg_style("bp-ch11", INK)  # the salt keeps ids stable, so rebuilds give the same page
COLOURS = {"l2": "#d9782d", "cross_entropy": "#3f7fd8",
           "sigmoid": "#d9782d", "tanh": "#3f7fd8", "relu": "#2e9e5b"}


def saturated_start():
    """The running example with its output units pushed onto the wrong flat end.

    Returns ``(weights, biases, x, t)``: output pre-activations near (-5, +5),
    so $y \\approx (0.009, 0.995)$ against the target $t = (1, 0)$.

    >>> weights, biases, x, t = saturated_start()
    >>> forward(weights, biases, x)[-1].round(3).tolist(), t.tolist()
    ([0.009, 0.995], [1.0, 0.0])
    """
    ex = running_example()
    return ex.weights, [ex.biases[0], np.array([-5.0, 5.0])], ex.x, ex.t


def saturation_curves(steps=300, lr=0.5):
    """Squared error after each step, training with the L2 loss or with cross-entropy.

    Both runs start from ``saturated_start()`` and differ only in ``loss=``; both
    are scored by $\\frac12\\sum_k (y_k - t_k)^2$, so the curves are comparable.

    >>> curves = saturation_curves(steps=3)
    >>> {loss: len(errors) for loss, errors in curves.items()}
    {'l2': 4, 'cross_entropy': 4}
    >>> bool(curves["cross_entropy"][-1] < curves["l2"][-1])  # out of saturation sooner
    True
    """
    weights, biases, x, t = saturated_start()
    curves = {}
    for loss in ("l2", "cross_entropy"):
        w, b = weights, biases
        errors = [float(l2_loss(forward(w, b, x)[-1], t))]
        for _ in range(steps):
            weight_grads, bias_grads = backprop(w, b, x, t, loss=loss)
            w, b = gradient_step(w, weight_grads, lr), gradient_step(b, bias_grads, lr)
            errors.append(float(l2_loss(forward(w, b, x)[-1], t)))
        curves[loss] = np.array(errors)
    return curves


def xor_data(n=48, seed=0):
    """``n`` points near the corners of a square; class 1 where x1 x2 < 0 (one-hot targets).

    >>> x, t = xor_data(8)
    >>> x.shape, t.shape, t.sum(axis=1).tolist() == [1.0] * 8
    ((8, 2), (8, 2), True)
    """
    rng = np.random.default_rng(seed)
    corners = rng.choice([-1.0, 1.0], size=(n, 2))
    x = corners + rng.normal(0.0, 0.3, size=(n, 2))
    label = (corners[:, 0] * corners[:, 1] < 0).astype(int)
    return x, np.eye(2)[label]


def hidden_curves(epochs=150, lr=0.02, width=6, seed=1):
    """Mean cross-entropy per sample after each step, for each hidden activation.

    Softmax output, cross-entropy loss, the same data and the same starting
    weights (scaled by $1/\\sqrt{\\text{fan-in}}$) for every activation.

    >>> {hidden: len(losses) for hidden, losses in hidden_curves(epochs=2).items()}
    {'sigmoid': 3, 'tanh': 3, 'relu': 3}
    """
    x, t = xor_data()
    rng = np.random.default_rng(seed)
    weights = [rng.normal(0.0, 1.0 / np.sqrt(2), (2, width)),
               rng.normal(0.0, 1.0 / np.sqrt(width), (width, 2))]
    biases = [np.zeros(width), np.zeros(2)]
    curves = {}
    for hidden in ("sigmoid", "tanh", "relu"):
        *_, losses = train(weights, biases, x, t, lr, epochs,
                           hidden=hidden, output="softmax", loss="cross_entropy")
        curves[hidden] = np.array(losses) / len(x)
    return curves


def loss_curves_svg(saturation, hidden) -> str:
    """Both experiments side by side: ``saturation`` and ``hidden`` as returned above.

    >>> svg = loss_curves_svg(saturation_curves(steps=2), hidden_curves(epochs=1))
    >>> svg.startswith("<svg") and INK not in svg
    True
    """
    labels = {"l2": "sigmoid + L2: δ = (y − t) y (1 − y)",
              "cross_entropy": "sigmoid + cross-entropy: δ = y − t"}
    with plt.rc_context(STYLE):
        fig, (left, right) = plt.subplots(1, 2, figsize=(9.6, 3.6))
        for loss, errors in saturation.items():
            left.plot(errors, color=COLOURS[loss], lw=2, label=labels[loss])
        left.set_xlabel("step")
        left.set_ylabel("squared error ½ Σ (y − t)²")
        left.set_title("From a saturated start", fontsize=11)
        left.set_ylim(0, None)
        left.legend(frameon=False, fontsize=9, loc="upper right")
        for hidden_name, losses in hidden.items():
            right.plot(losses, color=COLOURS[hidden_name], lw=2, label=f"{hidden_name} hidden layer")
        right.set_xlabel("step")
        right.set_ylabel("cross-entropy per sample")
        right.set_title("Softmax + cross-entropy, XOR-like data", fontsize=11)
        right.set_ylim(0, None)
        right.legend(frameon=False, fontsize=9)
        for ax in (left, right):
            ax.spines[["top", "right"]].set_visible(False)
        return inline_svg(fig, INK)
