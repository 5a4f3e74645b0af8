"""backprop_book: backpropagation derived by hand, one verified function per equation."""

from .activation import dy_da, sigmoid, sigmoid_prime
from .activations_and_losses import (
    drelu_da,
    dtanh_da,
    relu,
    relu_hidden_delta,
    sigmoid_cross_entropy,
    sigmoid_cross_entropy_delta,
    softmax,
    softmax_cross_entropy,
    softmax_cross_entropy_delta,
    tanh,
    tanh_hidden_delta,
)
from .bias import bias_gradient
from .choices import loss_value
from .dual import Dual, forward_mode_gradients
from .engine import Value, adjoint_deltas, network_graph, reverse_mode_gradients
from .general import backprop
from .gradcheck import (
    gradient_check,
    numerical_backprop,
    numerical_gradient,
    relative_error,
)
from .hidden_layer import dL_dh, hidden_delta
from .init import he_init, layer_gradient_norms, normal_init, xavier_init
from .loss import dL_dy, l2_loss
from .minibatch import batch_gradient_variance
from .network import Example, forward, network_loss, pre_activation, running_example
from .output_layer import output_delta, weight_gradient
from .update import gradient_step, train

__all__ = [
    "Dual",
    "Example",
    "Value",
    "adjoint_deltas",
    "backprop",
    "batch_gradient_variance",
    "bias_gradient",
    "dL_dh",
    "dL_dy",
    "drelu_da",
    "dtanh_da",
    "dy_da",
    "forward",
    "forward_mode_gradients",
    "gradient_check",
    "gradient_step",
    "he_init",
    "hidden_delta",
    "l2_loss",
    "layer_gradient_norms",
    "loss_value",
    "network_loss",
    "numerical_backprop",
    "network_graph",
    "normal_init",
    "numerical_gradient",
    "output_delta",
    "pre_activation",
    "relative_error",
    "relu",
    "relu_hidden_delta",
    "reverse_mode_gradients",
    "running_example",
    "sigmoid",
    "sigmoid_cross_entropy",
    "sigmoid_cross_entropy_delta",
    "sigmoid_prime",
    "softmax",
    "softmax_cross_entropy",
    "softmax_cross_entropy_delta",
    "tanh",
    "tanh_hidden_delta",
    "train",
    "weight_gradient",
    "xavier_init",
]
