r"""Checkers for the exercises at the end of each chapter.

Each chapter asks the reader to derive a formula and then implement it. A
checker takes the reader's function, runs it on seeded random inputs (single
samples, batches and edge values) and compares the answer with the book's own
function and, for a derivative, with central differences (Equation (10.1) of
the book, via ``numerical_gradient``). It prints a short verdict and returns it:

>>> from backprop_book.exercises import check_output_delta
>>> def my_output_delta(y, t):
...     return (y - t) * y * (1 - y)
>>> verdict = check_output_delta(my_output_delta)  # doctest: +ELLIPSIS
check_output_delta: passed all ... cases ...
>>> bool(verdict)
True

A wrong answer is reported with the first input where it went wrong, what the
book expected and what the function returned, and a hint when the mistake is
a common one:

>>> verdict = check_output_delta(lambda y, t: y - t)  # doctest: +ELLIPSIS
check_output_delta: FAILED on case 1 of ... (the running example)
  y = [0.5929 0.5288]
  t = [1. 0.]
  expected: [-0.0983  0.1318]
  got:      [-0.4071  0.5288]
  problem: wrong values: the largest difference is 0.397 at index (1,)
  hint: this is dL/dy = y - t alone; the delta also needs the slope dy/da = y(1 - y) (4.3)
>>> bool(verdict)
False

Every checker takes two keywords: ``seed`` (default 0) picks the random
inputs, and ``out`` (default ``print``) is called with the verdict's text; pass
``out=None`` to print nothing. The book's pages pass ``out=print`` explicitly,
so that the verdict lands in the page (markdown-exec captures only the
``print`` of the executed block).

A checker never raises because of the function it checks: an exception inside
it is reported like a wrong answer. NumPy is set to raise on overflow, division
by zero and invalid operations while the function runs (the book's functions
trigger none of them), so an overflowing ``exp`` is reported too. Only
something that is not callable is refused, with ``TypeError``.
"""

from __future__ import annotations

from .ch02_network import check_forward, check_pre_activation
from .ch03_useful_formulas import check_l2_loss, check_sigmoid, check_sigmoid_prime
from .ch04_output_layer import (
    check_dL_dy,
    check_dy_da,
    check_output_delta,
    check_weight_gradient,
)
from .ch05_hidden_layer import check_dL_dh, check_hidden_delta, check_softplus_hidden_delta
from .ch06_generalization import (
    check_backprop,
    check_shared_weight_gradient,
    check_skip_hidden_delta,
    check_weight_decay_gradients,
)
from .ch07_biases import check_bias_gradient
from .ch07_shared_bias import check_shared_bias_gradient
from .ch08_worked_example import check_gradient_step
from .ch09_training import check_train
from .ch10_self_check import check_huber_delta, check_numerical_gradient, check_relative_error
from .ch11_activations_and_losses import (
    check_drelu_da,
    check_dtanh_da,
    check_sigmoid_cross_entropy_delta,
    check_softmax,
    check_softmax_cross_entropy_delta,
)
from .ch11_leaky_relu import check_leaky_relu_hidden_delta
from .ch12_performance import check_multiply_adds
from .ch13_reverse_mode import check_backward, check_deltas_from_graph, check_tanh_node
from .ch14_depth import check_he_std, check_xavier_uniform_limit
from .ch15_minibatches import check_batch_gradient_variance, check_half_noise_batch
from .ch16_many_machines import check_combine_gradients
from .runner import Verdict

__all__ = [
    "Verdict",
    "check_backprop",
    "check_backward",
    "check_batch_gradient_variance",
    "check_bias_gradient",
    "check_combine_gradients",
    "check_dL_dh",
    "check_dL_dy",
    "check_deltas_from_graph",
    "check_drelu_da",
    "check_dtanh_da",
    "check_dy_da",
    "check_forward",
    "check_gradient_step",
    "check_half_noise_batch",
    "check_he_std",
    "check_hidden_delta",
    "check_huber_delta",
    "check_l2_loss",
    "check_leaky_relu_hidden_delta",
    "check_multiply_adds",
    "check_numerical_gradient",
    "check_output_delta",
    "check_pre_activation",
    "check_relative_error",
    "check_sigmoid",
    "check_sigmoid_cross_entropy_delta",
    "check_shared_weight_gradient",
    "check_shared_bias_gradient",
    "check_sigmoid_prime",
    "check_skip_hidden_delta",
    "check_softmax",
    "check_softmax_cross_entropy_delta",
    "check_tanh_node",
    "check_softplus_hidden_delta",
    "check_train",
    "check_weight_decay_gradients",
    "check_weight_gradient",
    "check_xavier_uniform_limit",
]
