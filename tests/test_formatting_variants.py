"""Issue 8, item 7. Real code is written every which way (CRUXEval-style): `if(c.islower()):`, `while(`,
`return(`, no spaces around operators, backslash continuations, comments everywhere. The
compiler's rewriting must accept every variant, and the traced answer must equal plain
Python's on both executors. Also: syntax errors as one readable line, LeetCode-style
`class Solution:` rules, and the run-time warning for sets of strings."""

from __future__ import annotations

import json
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rulec.compiler import RuleError, compile_rule

TEMPLATE = """\
def f(s, n):{C}
    out{S}={S}[]{C}
{K}    i{S}={S}0
    while{P<}i{S}<{S}n{P>}:{C}
        c{S}={S}s[i{S}%{S}len(s)]{C}
{K}        if{P<}c.islower(){P>}:{C}
            out.append(c.upper()){C}
        elif{P<}c.isdigit(){S}and{N}(int(c){S}>{S}2){P>}:{C}
            out.append(c)
        elif{P<}not{N}(c{S}=={S}'x'){P>}:
            out.append({B}'-'{S}+{S}c){C}
        else:{C}
            out.append('?')
        i{S}+={S}1{C}
{K}    total{S}={S}0
    for x in{P<}range(n){P>}:{C}
        total{S}={S}total{S}+{B}x{S}*{S}2{C}
    pairs{S}={S}[(a,{S}b) for a in{P<}out{P>} for b in{P<}range(2){P>} if{P<}b{S}>{S}0{P>}]{C}
    bonus{S}={S}0{C}
    if{P<}n if n{S}>{S}1 else 0{P>}:{C}
        bonus{S}={S}1
    while{P<}bonus if bonus{S}<{S}3 else 0{P>}:{C}
        bonus{S}+={S}1
    assert{P<}pairs if n{S}<{S}0 else True{P>}
    for y in{P<}range(2) if n else []{P>}:{C}
        bonus{S}+={S}y
    flag{S}={S}(1)if{P<}not{N}(n{S}<{S}0){P>}else{P<}0{P>}
    return{P<}''.join(out){S}+{B}str(total{S}+{S}bonus{S}+{S}flag){S}+{S}str(len(pairs)) if n{S}>={S}0 else ''{P>}{C}
"""


def render(rng: random.Random, t: str = TEMPLATE) -> str:
    out = []
    i = 0
    while i < len(t):
        if t.startswith("{S}", i):
            out.append(rng.choice(["", " "]))
            i += 3
        elif t.startswith("{N}", i):  # after `not` / `and` before a parenthesis
            out.append(rng.choice(["", " "]))
            i += 3
        elif t.startswith("{P<}", i):  # a keyword followed by an expression
            j = t.index("{P>}", i)
            inner = t[i + 4 : j]
            style = rng.choice(["plain", "paren", "paren-space"])
            out.append({"plain": " ", "paren": "(", "paren-space": " ("}[style])
            out.append(render(rng, inner))
            out.append(")" if style != "plain" else "")
            i = j + 4
        elif t.startswith("{C}", i):
            out.append(rng.choice(["", "", "  # note: x = 1", "# (", "  #"]))
            i += 3
        elif t.startswith("{K}", i):  # a comment line of its own, at some indentation
            out.append(rng.choice(["", "", "    # a comment line\n", "# flush-left comment\n", "\n"]))
            i += 3
        elif t.startswith("{B}", i):  # a backslash continuation
            out.append(rng.choice(["", " ", " \\\n            ", "\\\n    "]))
            i += 3
        else:
            out.append(t[i])
            i += 1
    return "".join(out)


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 2**32 - 1), st.text(alphabet="abcxX1259-", min_size=1, max_size=6), st.integers(0, 7))
def test_formatting_variants_compile_and_agree_with_python(seed, s, n):
    src = render(random.Random(seed))
    env: dict = {}
    exec(compile(src, "<variant>", "exec"), env)  # noqa: S102 - our own template
    native = env["f"](s, n)
    rule = compile_rule(src)
    assert rule.run({"s": s, "n": n}).value == native, src
    assert rule.run({"s": s, "n": n}, scratch=True).value == native, src
    trace = rule.run({"s": s, "n": n})
    assert trace.code().splitlines()[-1] == f"So the answer is {native}"


def test_the_issue_examples():
    src = "def f(s):\n    out=''\n    for c in s:\n        if(c.islower()):\n            out+=c\n    return(out)\n"
    assert compile_rule(src).run({"s": "aBc"}).answer == "ac"


@pytest.mark.parametrize("body", [
    "return(x if x>2 else 0)",
    "if(x if x else 0):\n        return 1\n    return 2",
    "return(lambda:x)()",
    "t=0\n    for i in(range(x) if x else []):\n        t+=i\n    return t",
    "return not(x if x else 0)",
    "while(x if x>0 else 0):\n        x-=1\n    return x",
    "assert(x if x else 1)\n    return x",
    "return x if(x>1)else(0)",
    "return[x]if x else{x: 1}",
])
def test_keywords_glued_to_conditional_expressions(body):
    """libcst's own validation refuses a keyword directly before a bracket holding a
    conditional expression or a lambda; Python accepts them, so rulec must too."""
    src = f"def f(x):\n    {body}\n"
    env: dict = {}
    exec(compile(src, "<glued>", "exec"), env)  # noqa: S102 - our own source
    rule = compile_rule(src)
    for x in (0, 1, 3, 5):
        assert rule.run({"x": x}).value == env["f"](x), src
        assert rule.run({"x": x}, scratch=True).value == env["f"](x), src


# -- syntax errors: one readable line ---------------------------------------------------------

@pytest.mark.parametrize("src,fragment,line", [
    ("def f(x):\n    return (x\n", "'(' was never closed: return ^(x", 2),
    ("def f(x)\n    return x\n", "expected ':': def f(x)^", 1),
    ("def f(x):\n    y = x +\n    return y\n", "invalid syntax: y = x +^", 2),
    ("def f(x):\n  y = 1\n    return y\n", "unexpected indent: ^return y", 3),
    ("def f(x):\n    if x:\n\treturn 1\n    return 2\n",
     "inconsistent use of tabs and spaces in indentation: ^return 1", 3),
])
def test_syntax_error_is_one_readable_line(src, fragment, line):
    with pytest.raises(RuleError) as info:
        compile_rule(src)
    text = str(info.value)
    assert "\n" not in text and "expected one of" not in text
    assert text.startswith(f"<rule>:{line}: syntax error: ")
    assert fragment in text, text


# -- `class Solution:` ------------------------------------------------------------------------

SOLUTION = '''\
class Solution:
    def isDigit(self, c: str) -> bool:
        return c.isdigit()

    def countDigits(self, s: str) -> int:
        n = 0
        for c in s:
            if self.isDigit(c):
                n += 1
        return n
'''


def test_class_solution_is_a_rule():
    rule = compile_rule(SOLUTION)  # the method no other method calls
    assert rule.name == "countDigits" and rule.params == ["s"]
    assert rule.text == SOLUTION.rstrip("\n")
    trace = rule.run({"s": "a1b22"})
    assert trace.answer == "3"
    assert "call isDigit" in trace.code()
    assert compile_rule(SOLUTION, "isDigit").run({"c": "7"}).answer == "True"


def test_class_solution_only_public_method():
    src = "class Solution:\n    def _h(self, x):\n        return x * 2\n\n    def _g(self, x):\n        return x\n\n" \
          "    def solve(self, x):\n        return self._h(x) + self._g(x)\n"
    assert compile_rule(src).name == "solve"


@pytest.mark.parametrize("src,fragment", [
    ("class S:\n    def f(self, x):\n        self.t = x\n        return x\n", "state on `self`"),
    ("class S:\n    def f(self, x):\n        return self.t\n", "state on `self`"),
    ("class S:\n    def f(self, x):\n        y = self\n        return x\n", "`self` may only be used to call"),
    ("class S:\n    x = 1\n\n    def f(self, x):\n        return x\n", "only methods"),
    ("class S(list):\n    def f(self, x):\n        return x\n", "base classes"),
    ("class S:\n    def f(x):\n        return x\n", "`self` first"),
    ("class S:\n    @staticmethod\n    def f(x):\n        return x\n", "decorators"),
    ("class S:\n    pass\n", "methods"),
    ("class S:\n    def __init__(self):\n        self.n = 0\n\n    def f(self, x):\n        return x\n",
     "a rule class keeps no state"),
])
def test_class_solution_refusals(src, fragment):
    with pytest.raises(RuleError) as info:
        compile_rule(src)
    assert fragment in str(info.value), str(info.value)


# -- sets of strings: a warning at run time, once ---------------------------------------------

def test_iterating_a_set_of_strings_warns_once(monkeypatch, capsys):
    from rulec.compiler import sandbox

    monkeypatch.delenv("PYTHONHASHSEED", raising=False)
    monkeypatch.setattr(sandbox, "_set_warned", [False])
    ints = compile_rule("def f(x):\n    t = 0\n    for v in {1, 2}:\n        t += v\n    return t\n")
    ints.run({"x": 1})
    assert capsys.readouterr().err == ""
    strs = compile_rule("def f(x):\n    t = ''\n    for v in {'a'}:\n        t += v\n    return t\n")
    strs.run({"x": 1})
    strs.run({"x": 1}, scratch=True)
    compile_rule("def f(x):\n    s = {'a', 'b'}\n    return len(s)\n").run({"x": 1})
    err = capsys.readouterr().err
    assert err.count("warning:") == 1 and "PYTHONHASHSEED" in err


@pytest.mark.parametrize("src", [
    "def f(x):\n    s = {'a', 'b'}\n    return len(s)\n",
    "def f(x):\n    return len([c for c in {'a', 'b'}])\n",
])
def test_printing_or_comprehending_a_set_of_strings_warns(monkeypatch, capsys, src):
    from rulec.compiler import sandbox

    monkeypatch.delenv("PYTHONHASHSEED", raising=False)
    monkeypatch.setattr(sandbox, "_set_warned", [False])
    compile_rule(src).run({"x": 1})
    assert "warning:" in capsys.readouterr().err


def test_no_set_warning_with_a_pinned_hash_seed(monkeypatch, capsys):
    from rulec.compiler import sandbox

    monkeypatch.setenv("PYTHONHASHSEED", "0")
    monkeypatch.setattr(sandbox, "_set_warned", [False])
    compile_rule("def f(x):\n    s = {'a', 'b'}\n    return len(s)\n").run({"x": 1})
    assert capsys.readouterr().err == ""


@pytest.mark.parametrize("workers", ["1", "2"])
def test_the_set_warning_reaches_a_stderr_redirected_to_a_file(tmp_path, workers):
    """The worker behind the process wall may not grow any file (RLIMIT_FSIZE 0): its
    warning goes through the parent, which writes it once, so `2>log` works."""
    import os
    import subprocess
    import sys

    rule = tmp_path / "words.py"
    rule.write_text("def f(words):\n    out = []\n    for w in set(words):\n        out.append(w)\n    return len(out)\n")
    inputs = tmp_path / "in.jsonl"
    inputs.write_text("".join(f'{{"words": ["apple", "pear", "w{i}"]}}\n' for i in range(40)))
    env = {k: v for k, v in os.environ.items() if k != "PYTHONHASHSEED"}
    with open(tmp_path / "err.log", "w") as err:
        r = subprocess.run([sys.executable, "-m", "rulec", "compile", str(rule), "--args-file", str(inputs),
                            "--json", "--workers", workers], stdout=subprocess.PIPE, stderr=err, text=True, env=env)
    log = (tmp_path / "err.log").read_text()
    assert r.returncode == 0, log
    assert [json.loads(line)["answer"] for line in r.stdout.splitlines()] == ["3"] * 40
    assert log.count("warning:") == 1 and "PYTHONHASHSEED" in log
