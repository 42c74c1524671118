"""Real code is written every which way (CRUXEval-style): `if(c.islower()):`, `while(`,
`return(`, no spaces around operators, backslash continuations, comments everywhere. The
compiler's rewriting must accept every variant, and the traced answer must equal plain
Python's on both executors."""

from __future__ import annotations

import random

from hypothesis import given, settings
from hypothesis import strategies as st

from rulec.compiler import compile_rule

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
    return{P<}''.join(out){S}+{B}str(total){S}+{S}str(len(pairs)){P>}{C}
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
