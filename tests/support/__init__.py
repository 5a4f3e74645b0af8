"""What every test file shares, in one place each.

- ``running``: the running example and its intermediate values, computed once by the
  package and once by hand in plain Python (the independent reference), plus random
  networks and "the loss as a function of one parameter".
- ``strategies``: the hypothesis strategies (networks, layers, targets, values).
- ``tolerances``: the one table of tolerances, and a context that turns floating-point
  trouble into errors.
- ``libraries``: NumPy, PyTorch and array-api-strict behind one small interface.
- ``registry``: the public API of ``backprop_book``, one entry per name, saying how to
  call it on any library and dtype; the contract tests run over it.
"""
