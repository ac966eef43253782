"""Rule formulas: a safe grammar, solved exactly; sympy only where inversion cannot."""

from fractions import Fraction

import pytest

from auditor.checks.formula import FormulaError, parse_equation, solve


@pytest.mark.parametrize("formula,target,values,expected", [
    ("rate = count / base", "base", {"rate": Fraction(156, 1000), "count": Fraction(10493)}, Fraction(10493000, 156)),
    ("rate = (count - lifted) / base", "lifted",
     {"rate": Fraction(1, 50), "count": Fraction(1000), "base": Fraction(10000)}, Fraction(800)),
    ("share = part / whole * 100", "whole", {"share": Fraction(80), "part": Fraction(40)}, Fraction(50)),
    ("total = a + b + c", "b", {"total": Fraction(10), "a": Fraction(2), "c": Fraction(3)}, Fraction(5)),
    ("x = 100 - y", "y", {"x": Fraction(30)}, Fraction(70)),
])
def test_solution_evaluates_exactly(formula, target, values, expected):
    assert solve(formula, target).evaluate(values) == expected


def test_unknown_occurring_twice_is_solved_by_sympy_and_agrees():
    expression = solve("y = x + x * k", "x")
    assert expression.evaluate({"y": Fraction(12), "k": Fraction(2)}) == 4


@pytest.mark.parametrize("formula", [
    "__import__('os').system('echo pwned')",
    "rate = count / base; import os",
    "rate = count ** base",
    "rate == count",
    "rate = lambda: 1",
    "rate = count.__class__",
])
def test_anything_outside_the_grammar_is_rejected(formula):
    with pytest.raises(FormulaError):
        parse_equation(formula)


def test_rule_file_with_code_in_formula_is_a_validation_error(tmp_path):
    from auditor.errors import RuleFileError
    from auditor.ruleset import load_rule_file

    rule = tmp_path / "EVIL.yaml"
    rule.write_text(
        "id: EVIL\nname: evil.rule\nkind: rate\nseverity: error\ndescription: d\nmessage: m\n"
        "params:\n  formula: \"__import__('os').system('touch pwned')\"\n", encoding="utf-8")
    with pytest.raises(RuleFileError) as raised:
        load_rule_file(rule)
    assert "EVIL.yaml:8" in str(raised.value) and "formula" in str(raised.value)
    assert not (tmp_path / "pwned").exists()
