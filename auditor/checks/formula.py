"""Formulas from rule files: a small safe grammar, solved for one unknown.

`rate = count / base` is parsed into a tree of +, −, ×, ÷ over identifiers
and numbers; nothing from a file is ever evaluated as Python or handed to
`sympify`. An unknown that occurs once is isolated by inverting the tree
(fast, exact, Fractions); otherwise sympy solves the equation, built from
the tree with sympy's own constructors.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from functools import lru_cache

from .. import patterns

TOKEN = patterns.compiled(r"\s*(?:(?P<number>\d+(?:\.\d+)?)|(?P<name>[A-Za-z_][A-Za-z_0-9]*)|(?P<op>[-+*/()=]))")


class FormulaError(ValueError):
    """A formula outside the allowed grammar."""


@dataclass(frozen=True)
class Node:
    op: str            # "+", "-", "*", "/", "name", "number"
    left: "Node | None" = None
    right: "Node | None" = None
    value: str = ""

    def names(self) -> list[str]:
        if self.op == "name":
            return [self.value]
        if self.op == "number":
            return []
        return self.left.names() + self.right.names()

    def evaluate(self, values: dict[str, Fraction]) -> Fraction:
        if self.op == "name":
            return values[self.value]
        if self.op == "number":
            return Fraction(self.value)
        a, b = self.left.evaluate(values), self.right.evaluate(values)
        return {"+": a + b, "-": a - b, "*": a * b, "/": a / b if b else Fraction(0)}[self.op]

    def __str__(self) -> str:
        if self.op in ("name", "number"):
            return self.value
        return f"({self.left} {self.op} {self.right})"


def _tokens(text: str) -> list[tuple[str, str]]:
    position, out = 0, []
    text = text.strip()
    while position < len(text):
        match = TOKEN.match(text, position)
        if not match or match.end() == position:
            raise FormulaError(f"unexpected character {text[position]!r} at {position + 1}")
        kind = match.lastgroup
        out.append((kind, match.group(kind)))
        position = match.end()
    return out


def parse_equation(text: str) -> tuple[Node, Node]:
    """`left = right` → two trees; anything but names, numbers, + − × ÷ and
    parentheses is rejected."""
    if len(text) > 200:
        raise FormulaError("formula too long")
    tokens = _tokens(text)
    if [t for t in tokens if t == ("op", "=")].__len__() != 1:
        raise FormulaError("a formula needs exactly one '='")
    split = tokens.index(("op", "="))
    return _Parser(tokens[:split]).parse(), _Parser(tokens[split + 1:]).parse()


class _Parser:
    def __init__(self, tokens):
        self.tokens, self.position = tokens, 0

    def parse(self) -> Node:
        node = self._sum()
        if self.position != len(self.tokens):
            raise FormulaError(f"unexpected {self.tokens[self.position][1]!r}")
        return node

    def _peek(self):
        return self.tokens[self.position] if self.position < len(self.tokens) else (None, None)

    def _sum(self) -> Node:
        node = self._product()
        while self._peek() in (("op", "+"), ("op", "-")):
            op = self.tokens[self.position][1]
            self.position += 1
            node = Node(op, node, self._product())
        return node

    def _product(self) -> Node:
        node = self._atom()
        while self._peek() in (("op", "*"), ("op", "/")):
            op = self.tokens[self.position][1]
            self.position += 1
            node = Node(op, node, self._atom())
        return node

    def _atom(self) -> Node:
        kind, value = self._peek()
        self.position += 1
        if kind == "name":
            return Node("name", value=value)
        if kind == "number":
            return Node("number", value=value)
        if (kind, value) == ("op", "("):
            node = self._sum()
            if self._peek() != ("op", ")"):
                raise FormulaError("missing ')'")
            self.position += 1
            return node
        raise FormulaError(f"unexpected {value!r}" if value else "formula ends too early")


_INVERSE = {"+": "-", "-": "+", "*": "/", "/": "*"}


def _isolate(target: str, side: Node, other: Node) -> Node:
    """Rewrite side = other until `target` stands alone (target occurs once in side)."""
    while side.op not in ("name", "number"):
        if target in side.left.names():
            other = Node(_INVERSE[side.op], other, side.right)
            side = side.left
        elif side.op in ("+", "*"):
            other = Node(_INVERSE[side.op], other, side.left)
            side = side.right
        else:  # a − x = o → x = a − o;  a / x = o → x = a / o
            other = Node(side.op, side.left, other)
            side = side.right
    return other


@lru_cache(maxsize=32)
def solve(formula: str, target: str) -> Node:
    """An expression for `target` from the formula."""
    left, right = parse_equation(formula)
    occurrences = left.names().count(target) + right.names().count(target)
    if occurrences == 1:
        return _isolate(target, left, right) if target in left.names() else _isolate(target, right, left)
    return _solve_with_sympy(left, right, target)


def _solve_with_sympy(left: Node, right: Node, target: str) -> Node:
    import sympy

    def build(node: Node):
        if node.op == "name":
            return sympy.Symbol(node.value, positive=True)
        if node.op == "number":
            return sympy.Rational(node.value)
        a, b = build(node.left), build(node.right)
        return {"+": a + b, "-": a - b, "*": a * b, "/": a / b}[node.op]

    solutions = sympy.solve(sympy.Eq(build(left), build(right)), sympy.Symbol(target, positive=True))
    if not solutions:
        raise FormulaError(f"cannot solve for {target}")
    return _from_sympy(solutions[0])


def _from_sympy(expression) -> Node:
    import sympy

    if expression.is_Symbol:
        return Node("name", value=expression.name)
    if expression.is_Number:
        return Node("number", value=str(sympy.nsimplify(expression).evalf(30)))
    op = "+" if expression.is_Add else "*" if expression.is_Mul else None
    if expression.is_Pow and expression.exp == -1:
        return Node("/", Node("number", value="1"), _from_sympy(expression.base))
    if op is None:
        raise FormulaError(f"unsupported solution {expression}")
    nodes = [_from_sympy(arg) for arg in expression.args]
    node = nodes[0]
    for other in nodes[1:]:
        node = Node(op, node, other)
    return node
