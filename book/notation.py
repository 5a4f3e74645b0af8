r"""The book's one notation: the table Chapter 2 prints, and the letters it rules out.

``SYMBOLS`` is the list Chapter 2's notation table is generated from: each symbol, what
it means, and a Python expression for it on the running example (evaluated in
:func:`running_namespace`, so a wrong expression fails the build and the tests).

``OTHER_CONVENTION`` lists the patterns of the *other* letters, the ones the source
uses and the book does not, with why each is wrong. ``tests/test_notation.py`` searches
every chapter and docstring for them, outside the notes titled "The source's notation"
(:data:`SOURCE_NOTE`), where the source's letters are quoted on purpose.
"""

from __future__ import annotations

import re
from typing import NamedTuple

import numpy as np

from backprop_book import (
    forward,
    hidden_delta,
    l2_loss,
    output_delta,
    pre_activation,
    running_example,
)

from .show import md_table


class Symbol(NamedTuple):
    tex: str  # as written in the chapters, in $...$
    meaning: str
    code: str  # a Python expression for it on the running example, or "" for none


SYMBOLS = [
    Symbol(r"$L$", "the loss, a number, and nothing else", "l2_loss(y, t)"),
    Symbol(r"$D$", "the depth: the number of weight layers, $l = 1, \\dots, D$", "len(weights)"),
    Symbol(r"$n_l$", "the width of layer $l$ (its number of units)", "weights[l - 1].shape[1]"),
    Symbol(r"$N$, $s$", "the batch size, and $s = 1, \\dots, N$ the sample (a row)", "len(X), X[s - 1]"),
    Symbol(r"$i, j, k$", "an input, a hidden unit, an output (in layer $l$: units of "
           "layers $l-1$, $l$, $l+1$)", ""),
    Symbol(r"$x_i$, $\mathbf{x} = \mathbf{h}^{(0)}$", "the input", "x"),
    Symbol(r"$w_{ij}$, $\mathbf{w} = \mathbf{W}^{(1)}$", "the weight from $x_i$ to $h_j$",
           "weights[0]"),
    Symbol(r"$\mathbf{b}^{(1)}$", "the hidden biases", "biases[0]"),
    Symbol(r"$\mathbf{a}^{(1)}$", "the hidden pre-activations", "pre_activation(x, w, b1)"),
    Symbol(r"$h_j$, $\mathbf{h} = \mathbf{h}^{(1)}$", "the hidden activations", "h"),
    Symbol(r"$u_{jk}$, $\mathbf{u} = \mathbf{W}^{(2)}$", "the weight from $h_j$ to $y_k$",
           "weights[1]"),
    Symbol(r"$\mathbf{b}^{(2)}$", "the output biases", "biases[1]"),
    Symbol(r"$\mathbf{a}^{(2)}$", "the output pre-activations", "pre_activation(h, u, b2)"),
    Symbol(r"$y_k$, $\mathbf{y} = \mathbf{h}^{(D)}$", "the outputs", "y"),
    Symbol(r"$t_k$", "the targets", "t"),
    Symbol(r"$\delta_k$", "output delta, $\\partial L / \\partial a^{(2)}_k$", "output_delta(y, t)"),
    Symbol(r"$\delta_j$", "hidden delta, $\\partial L / \\partial a^{(1)}_j$",
           "hidden_delta(delta_k, u, h)"),
    Symbol(r"$\mathbf{W}^{(l)}$, $\mathbf{b}^{(l)}$", "layer $l$'s weights "
           "($n_{l-1} \\times n_l$) and biases", "weights[l - 1], biases[l - 1]"),
    Symbol(r"$\boldsymbol{\delta}^{(l)}$", "layer $l$'s delta, "
           "$\\partial L / \\partial \\mathbf{a}^{(l)}$", ""),
    Symbol(r"$\mathbf{X}$, $\mathbf{H}^{(l)}$, $\boldsymbol{\Delta}^{(l)}$",
           "a batch: one sample per row, $N$ rows", "X"),
    Symbol(r"$\eta$", "the learning rate", "lr"),
    Symbol(r"$\tau$", "the step of gradient descent, "
           "$\\boldsymbol{\\theta}_{\\tau+1} = \\boldsymbol{\\theta}_\\tau - \\eta \\nabla L$", ""),
]


def running_namespace() -> dict:
    """The names ``SYMBOLS`` uses, on the running example (a batch ``X`` of two samples).

    >>> ns = running_namespace()
    >>> ns["y"].shape, ns["len(weights)"] if "len(weights)" in ns else len(ns["weights"])
    ((2,), 2)
    """
    ex = running_example()
    weights, biases, x, t = ex.weights, ex.biases, ex.x, ex.t
    w, u = weights
    b1, b2 = biases
    _, h, y = forward(weights, biases, x)
    delta_k = output_delta(y, t)
    X = np.stack([x, [0.0, 1.0]])
    return dict(
        weights=weights, biases=biases, x=x, t=t, w=w, u=u, b1=b1, b2=b2, h=h, y=y,
        delta_k=delta_k, X=X, s=1, l=1, lr=0.5, l2_loss=l2_loss,
        pre_activation=pre_activation, output_delta=output_delta, hidden_delta=hidden_delta,
    )


def evaluate(symbol: Symbol) -> list:
    """The value(s) of ``symbol.code`` on the running example (one per comma-separated part)."""
    ns = running_namespace()
    value = eval(symbol.code, {"__builtins__": {"len": len}}, ns) if symbol.code else ()
    return list(value) if isinstance(value, tuple) else [value]


def _shape(value) -> str:
    if isinstance(value, (list, tuple)):
        return f"a list of {len(value)}"
    shape = np.shape(value)
    if shape:
        return f"shape `{shape}`"
    number = float(value)
    return f"`{int(number)}`" if number.is_integer() else f"`{number:.4f}`"


def notation_table() -> str:
    """Chapter 2's table: symbol, meaning, code on the running example, and what that is.

    >>> print(notation_table().splitlines()[2])
    | $L$ | the loss, a number, and nothing else | `l2_loss(y, t)` | `0.2227` |
    """
    rows = []
    for symbol in SYMBOLS:
        what = ", ".join(_shape(v) for v in evaluate(symbol)) if symbol.code else ""
        code = f"`{symbol.code}`" if symbol.code else ""
        rows.append([symbol.tex, symbol.meaning, code, what])
    return md_table(["symbol", "meaning", "in code", "running example ($l = 1$)"], rows)


# ----------------------------------------------------------- the letters the book rules out

SOURCE_NOTE = re.compile(r"""^(?P<indent>[ \t]*)(?:!!!|\?\?\?\+?)\s*\w+\s+["']The source's notation["']""")


class Rule(NamedTuple):
    name: str
    pattern: re.Pattern
    why: str


def _rule(name: str, pattern: str, why: str) -> Rule:
    return Rule(name, re.compile(pattern), why)


# Everywhere: chapters, exercises and docstrings.
EVERYWHERE = [
    _rule("u_ij", r"u_\{ij\}|u_\{i\s*j\}",
          "an output weight is u_jk (j a hidden unit, k an output), never u_ij"),
    _rule("y_i or t_i", r"(?<![\\\w])[yt]_\{?i\}?(?![\w{])",
          "i counts inputs; an output and its target are y_k, t_k"),
    _rule("L as the depth", r"\^\{\(L\s*[-+)]|\(L\)\}|\bn_\{?L\b|\bl\s*=\s*L\b|\\dots,\s*L\b|"
          r"\bL\s*-\s*1\b|\bL\s*=\s*\d+\s*(?:layers|\))",
          "L is the loss only; the number of layers is D"),
    _rule("n as the sample index",
          r"\\sum_\{?n\b|_\{n\s*=\s*1\}|_\{n[ijk]\}|[XH]_\{n|\\mathbf\{[xh]\}_\{?n\b|"
          r"\\delta\}_\{?n\b|\bL_n\b|\bsum_n\b",
          "a sample is s = 1..N (n_l is a width)"),
    _rule("n as the batch size", r"\(n,\s*\w+\)|\$n\$ samples|batch of \$n\$|\$\(n,",
          "the batch size is N"),
    _rule("theta_s", r"\\theta\}?_\{?s\b|_\{s\s*\+\s*1\}",
          "gradient-descent steps are tau"),
]

# Chapter 4 (the output layer), its exercises and the output-side docstrings: an output
# is k, so j there means the source's letters.
OUTPUT_SIDE = [
    _rule("output index j", r"\\delta_j\b|\\delta_\{j\}|(?<![\\\w])[yt]_\{?j\}?(?![\w{])|a\^\{\(2\)\}_\{?j\b|"
          r"\\partial a_j\b",
          "in the output layer an output is k: delta_k, y_k, t_k, a^(2)_k"),
]


def outside_source_notes(markdown: str) -> list[tuple[int, str]]:
    """``(line number, line)`` of ``markdown``, without the notes titled "The source's notation"."""
    kept, skip_indent = [], None
    for number, line in enumerate(markdown.splitlines(), start=1):
        if skip_indent is not None:
            if not line.strip() or len(line) - len(line.lstrip()) > skip_indent:
                continue
            skip_indent = None
        match = SOURCE_NOTE.match(line)
        if match:
            skip_indent = len(match["indent"].expandtabs())
            continue
        kept.append((number, line))
    return kept


def hits(text: str, rules: list[Rule]) -> list[str]:
    r"""``"line N: name: the line"`` for each rule a line of ``text`` breaks (source notes skipped).

    >>> hits(r"$\partial L / \partial u_{ij}$", EVERYWHERE)
    ['line 1: u_ij: $\\partial L / \\partial u_{ij}$']
    >>> hits('!!! note "The source\'s notation"\n    it writes $u_{ij}$', EVERYWHERE)
    []
    """
    found = []
    for number, line in outside_source_notes(text):
        for rule in rules:
            if rule.pattern.search(line):
                found.append(f"line {number}: {rule.name}: {line.strip()}")
    return found
