"""Find Python syntax in rendered English (docs/formats.md: the NL rule and trace must not
show syntax a non-programmer would not understand).

``python_syntax_in(text)`` returns the offending snippets, in order of appearance and
without repeats. Allowed: ordinary English, numbers ("-1", "3.5", "50%"), quoted string
values ('abc', "it's"), and values printed as Python literals — lists, tuples, sets and
dicts of numbers / quoted strings / True / False / None ("the list [1, 2, 3]",
"{'a': 1}"). Flagged: subscripts and slices (``x[0]``, ``[1:]``), attribute access and
method calls (``.append(``, ``d.items``), call syntax (``len(``, ``helper(``), Python
operators (``==``, ``!=``, ``//``, ``**``, ``+=``, ``<=``, ``&&``, ``%`` between
operands...), ``lambda``, ``def``, ``elif``, a line ``for x in lst:`` ending in a colon,
``x if c else y``, dunder names, and code inside brackets (``[x for x in lst]``, ``{k: v}``).

Python *value notation* is flagged too (the NL notation is ``nl_values``'): True/False/None
anywhere (also inside a printed list), strings in single quotes ('abc': the NL notation
quotes with double quotes), backslash escapes in a quoted value ("a\\nb"), and reprs
such as ``range(0, 3)`` or ``dict_items([...])`` (call syntax).
"""

from __future__ import annotations

import re

# Quoted string values: a quote not glued to a word on the outside ("it's" is English).
_STRING = re.compile(r"""(?<![\w'"])(?:'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*")(?![\w])""")

_IDENT = r"[A-Za-z_][A-Za-z_0-9]*"
_MASK = "\x01"  # stands for the characters of a quoted string value

_PATTERNS: list[re.Pattern[str]] = [
    # subscript or slice glued to a name, a closing bracket or a string: x[0], f(x)[1:]
    re.compile(r"(?:" + _IDENT + r"|[)\]" + _MASK + r"])\[[^\[\]\n]*\]"),
    # a bare slice: [1:], [:-1], [::-1], [a:b]
    re.compile(r"\[\s*-?\w*\s*:\s*-?\w*\s*(?::\s*-?\w*\s*)?\]"),
    # method call: .append(
    re.compile(r"(?<=[\w)\]" + _MASK + r"])\." + _IDENT + r"\s*\("),
    # call syntax: len(, helper(  (not "element(s)")
    re.compile(r"\b(?!set\(\))" + _IDENT + r"\((?!s\)|es\))"),
    # Python operators
    re.compile(r"==|!=|(?<![:/])//|\*\*|[-+*/%&|^@]=|<=|>=|&&|\|\||:=|<<|>>"),
    # % between operands (but "50%" and "50% of" are English)
    re.compile(r"(?<=[\w)\]" + _MASK + r"])\s+%\s*(?=[\w(" + _MASK + r"])"
               r"|(?<=[A-Za-z_)\]" + _MASK + r"])%(?=[\w(])"),
    # a comprehension or generator in brackets: (x for x in lst), [x for x in lst]
    re.compile(r"[(\[{][^()\[\]{}\n]*\S\s+for\s+" + _IDENT + r"(?:\s*,\s*" + _IDENT
               + r")*\s+in\s+[^()\[\]{}\n]*[)\]}]"),
    # an f-string or other prefixed string: f'{a}'
    re.compile(r"\b[fFrRbBuU]{1,2}" + _MASK + r"+"),
    # keywords
    re.compile(r"\blambda\b(?:\s*" + _IDENT + r"(?:\s*,\s*" + _IDENT + r")*)?\s*:"),
    re.compile(r"\bdef\s+" + _IDENT),
    re.compile(r"\belif\b"),
    re.compile(r"^[ \t]*(?:if|elif|else|while|for|try|except|finally|with|def|class|return)\b"
               r"[^\n]*:[ \t]*$", re.MULTILINE),
    # dunder names
    re.compile(r"\b__\w+__\b"),
]

_ATTRIBUTE = re.compile(r"\b(" + _IDENT + r")\.([a-z_][A-Za-z_0-9]*)\b")
_ABBREVIATIONS = {"e.g", "i.e", "a.m", "p.m", "etc", "vs", "cf"}
_ESCAPE = re.compile(r"\\[ntr'\"\\0xuU]")
_CONSTANT = re.compile(r"\b(?:None|True|False)\b")
_ELSE = re.compile(r"\belse\b")
_ELSE_OK_BEFORE = {"or", "something", "anything", "nothing", "everything", "someone",
                   "anyone", "somewhere", "anywhere", "everywhere", "nowhere", "what", "who",
                   "where", "how", "little", "much", "all", "no", "one"}
_BRACKETED = re.compile(r"\[[^\[\]{}]*\]|\{[^\[\]{}]*\}")
_CODE_INSIDE = re.compile(r",|:|\bfor\b|[-+*/%=<>]")
_VALUE_WORDS = {"True", "False", "None", "inf", "nan", "set",
                # words of the NL value notation (nl_values): [true, no value, (a tab followed by "x")]
                "true", "false", "no", "value", "a", "an", "the", "followed", "by", "line",
                "break", "tab", "carriage", "return", "double", "quote", "backslash", "null",
                "character", "vertical", "form", "feed", "with", "code", "infinity", "minus",
                "not", "number", "empty", "string"}


def _mask_strings(text: str) -> str:
    """Replace quoted string values by mask characters (positions are kept)."""
    return _STRING.sub(lambda m: _MASK * len(m.group()), text)


def _sentence_start(masked: str, pos: int) -> bool:
    before = masked[:pos].rstrip()
    return not before or before[-1] in ".!?:;\n"


def without_answer(trace: str) -> str:
    """An NL trace without its final answer line (the answer is in the task's own format,
    e.g. "So the answer is True", and is compared verbatim by the evaluation)."""
    from rulec.compiler.render import ANSWER_PREFIX

    head, _, last = trace.rpartition("\n")
    return head if last.startswith(ANSWER_PREFIX) else trace


def python_syntax_in(text: str) -> list[str]:
    """The snippets of ``text`` that are Python syntax rather than English."""
    masked = _mask_strings(text)
    hits: list[tuple[int, str]] = []

    def hit(start: int, end: int) -> None:
        hits.append((start, text[start:end].strip()))

    for pattern in _PATTERNS:
        for m in pattern.finditer(masked):
            hit(m.start(), m.end())
    for m in _ATTRIBUTE.finditer(masked):
        if f"{m.group(1)}.{m.group(2)}".lower() not in _ABBREVIATIONS and (
                m.group(1).lower() not in _ABBREVIATIONS):
            hit(m.start(), m.end())
    for m in _STRING.finditer(text):
        if m.group().startswith("'"):
            hit(m.start(), m.end())  # Python's quoting: the NL notation uses double quotes
        elif _ESCAPE.search(m.group()):
            hit(m.start(), m.end())
    for m in _CONSTANT.finditer(masked):
        after = masked[m.end():m.end() + 2]
        if _sentence_start(masked, m.start()) and re.match(r" [a-z]", after):
            continue  # English: "None of the elements ..."
        hit(m.start(), m.end())
    for m in _BRACKETED.finditer(masked):
        inner = m.group()[1:-1]
        names = set(re.findall(r"\b[A-Za-z_]\w*\b", inner)) - _VALUE_WORDS
        # braces are never English; square brackets may hold a note like [sic]
        if names and (m.group().startswith("{") or _CODE_INSIDE.search(inner)):
            hit(m.start(), m.end())
    for m in _ELSE.finditer(masked):
        sentence = re.split(r"[.;!?\n]", masked[:m.start()])[-1]
        previous = sentence.split()[-1:] if sentence.split() else []
        if (re.search(r"\bif\b", sentence) and previous
                and previous[0].lower() not in _ELSE_OK_BEFORE):
            hit(m.start(), m.end())
    seen: set[str] = set()
    out: list[str] = []
    for _, snippet in sorted(hits, key=lambda h: h[0]):
        if snippet and snippet not in seen:
            seen.add(snippet)
            out.append(snippet)
    return out
