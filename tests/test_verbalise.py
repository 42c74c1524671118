"""Tests of the verbaliser (libcst nodes -> English) and of the Python-syntax checker.

Tables: expressions -> noun phrases, conditions -> clauses (and their negations),
statements -> sentences, loop headers, type inference; then the NL checker on English
and on code; then a broad sweep: every construct of the supported subset (DESIGN.md §1),
rendered with and without types and a glossary, yields text the checker accepts.
"""

from __future__ import annotations

import inspect

import libcst as cst
import pytest

from rulec.compiler.nlcheck import python_syntax_in
from rulec.compiler.verbal_signs import nonneg_nodes
from rulec.compiler.verbalise import Verbaliser, infer_types

TYPES = {"lst": list, "nums": list, "words": list, "stack": list, "num": int, "n": int,
         "i": int, "j": int, "k": int, "total": int, "sum": int, "count": int, "s": str,
         "c": str, "word": str, "d": dict, "counts": dict, "seen": set, "flag": bool,
         "f": float}

V = Verbaliser(types=TYPES)


def func_of(source: str) -> cst.FunctionDef:
    node = cst.parse_module(source).body[0]
    assert isinstance(node, cst.FunctionDef)
    return node


EXPR_CASES = [
    ('num', 'num'),
    ('sum', 'sum'),
    ('42', '42'),
    ('-7', '-7'),
    ('3.5', '3.5'),
    ("'abc'", "\"abc\""),
    ("''", 'the empty string'),
    ('"it\'s"', '"it\'s"'),
    ('True', 'true'),
    ('False', 'false'),
    ('None', 'no value'),
    ('[1, 2]', 'the list [1, 2]'),
    ('[]', 'an empty list'),
    ('()', 'an empty tuple'),
    ("(1, 'a')", "the tuple (1, \"a\")"),
    ('{1, 2}', 'the set {1, 2}'),
    ('{}', 'an empty dictionary'),
    ("{'a': 1}", "the dictionary {\"a\": 1}"),
    ('[num, 0]', 'a list holding num and 0'),
    ('(num, s)', 'the pair of num and s'),
    ('{num}', 'a set holding num'),
    ('{s: num}', 'a dictionary mapping s to num'),
    ('[*lst, num]', 'a list holding the elements of lst and num'),
    ('num + 1', 'num plus 1'),
    ('num - 1', 'num minus 1'),
    ('num * 2', 'num times 2'),
    ('num / 2', 'num divided by 2'),
    ('num // 10', 'num divided by 10, rounded down'),
    ('num % 10', 'the remainder of num divided by 10'),  # sign not proven: see test_faithful
    ('num % 2', 'the remainder of num divided by 2'),
    ('num ** 3', 'num to the power of 3'),
    ('num ** 2', 'num squared'),
    ('-num', 'negative num'),
    ('+num', 'num'),
    ('~num', 'the bitwise complement of num'),
    ('num & 1', 'the bitwise and of num and 1'),
    ('num | 1', 'the bitwise or of num and 1'),
    ('num ^ 1', 'the bitwise exclusive or of num and 1'),
    ('num << 2', 'num shifted left by 2 bits'),
    ('num >> 1', 'num shifted right by 1 bit'),
    ('1 << k', '2 to the power of k'),
    ('seen & other', 'the elements that are in both seen and other'),
    ('seen | other', 'the elements that are in seen or in other'),
    ('seen - other', 'the elements of seen that are not in other'),
    ('seen ^ other', 'the elements that are in exactly one of seen and other'),
    ('s + c', 's followed by c'),
    ('lst + [num]', 'lst followed by (a list holding num)'),
    ('s * 3', 's repeated 3 times'),
    ('[0] * n', 'a list of n copies of 0'),
    ('p + q * r', 'p plus (q times r)'),
    ('(p + q) * r', '(p plus q) times r'),
    ('a - b - c', 'a minus b minus c'),
    ('a - (b - c)', 'a minus (b minus c)'),
    ('a // b + 1', '(a divided by b, rounded down) plus 1'),
    ('(a + b) % 10', 'the remainder of (a plus b) divided by 10'),
    ('num > 9', 'whether num is greater than 9'),
    ('num >= 9', 'whether num is at least 9'),
    ('num < 9', 'whether num is less than 9'),
    ('num <= 9', 'whether num is at most 9'),
    ('num == 9', 'whether num is 9'),
    ('num != 9', 'whether num is not 9'),
    ('c in seen', 'whether c is in seen'),
    ('c not in seen', 'whether c is not in seen'),
    ('k in d', 'whether k is a key of d'),
    ('x is None', 'whether x has no value'),
    ('0 <= i < n', 'whether i is at least 0 and is less than n'),
    ('not flag', 'whether flag is false'),
    ('flag and num > 0', 'whether flag is true and num is greater than 0'),
    ('b if lst else 53', 'b if lst is not empty, otherwise 53'),
    ('lambda x: x * 2', 'the rule: given x, x times 2'),
    ('lambda: 0', 'the rule giving 0'),
    ('lambda a, b: a + b', 'the rule: given a and b, a plus b'),
    ('lst[0]', 'the first element of lst'),
    ('lst[1]', 'the second element of lst'),
    ('lst[-1]', 'the last element of lst'),
    ('lst[-2]', 'the second-to-last element of lst'),
    ('lst[i]', 'the element of lst at position i'),
    ('lst[i + 1]', 'the element of lst at position (i plus 1)'),
    ('lst[len(lst) - 1]', 'the last element of lst'),
    ('lst[-k]', 'the k-th element from the end of lst'),
    ('s[0]', 'the first character of s'),
    ('d[k]', 'the value of d for key k'),
    ("d['a']", "the value of d for key \"a\""),
    ('grid[i][j]', 'the element at position j of the element of grid at position i'),
    ('lst[1:]', 'lst without its first element'),
    ('lst[3:]', 'lst without its first 3 elements'),
    ('lst[:-1]', 'lst without its last element'),
    ('lst[:-2]', 'lst without its last 2 elements'),
    ('lst[:3]', 'the first 3 elements of lst'),
    ('lst[:1]', 'a list holding just the first element of lst'),
    ('lst[-3:]', 'the last 3 elements of lst'),
    ('lst[-1:]', 'a list holding just the last element of lst'),
    ('lst[i:]', 'the part of lst from position i to the end'),
    ('lst[:i]', 'the part of lst up to (not including) position i'),
    ('lst[i:j]', 'the part of lst from position i up to (not including) position j'),
    ('lst[::-1]', 'lst reversed'),
    ('lst[::2]', 'every second element of lst'),
    ('lst[1::2]', 'every second element of lst, from position 1 to the end'),
    ('lst[:]', 'a copy of lst'),
    ('s[1:]', 's without its first character'),
    ('f"{a}-{b}"', "the text made of a, \"-\" and b"),
    ('f"{num}"', 'num written as text'),
    ('f"{f:.2f}"', 'f written with 2 decimal places'),
    ('f"{num!r}"', 'num written as a value'),
    (
        '[x * 2 for x in lst if x > 0]',
        'the list of x times 2 for each x in lst that is greater than 0',
    ),
    ('[x for x in lst if x]', 'the list of x for each x in lst that is not empty, zero, false or no value'),
    (
        '[c for c in s if c.isalpha()]',
        'the list of c for each c in s that has only letters, at least one',
    ),
    ('[c.upper() for c in s]', 'the list of c in upper case for each c in s'),
    ('{x for x in lst}', 'the set of x for each x in lst'),
    (
        '{k: v for k, v in d.items()}',
        'the dictionary mapping k to v for each key k of d and its value v',
    ),
    ('(x for x in lst)', 'the values x for each x in lst'),
    (
        '[[0] * n for _ in range(n)]',
        'the list of a list of n copies of 0 for each number from 0 up to n (not including n)',
    ),
    (
        '[a + b for a in lst for b in nums]',
        'the list of a plus b for each a in lst and each b in nums',
    ),
    ('len(lst)', 'the length of lst'),
    ('len(s)', 'the length of s'),
    ('int(s)', 'the integer value of s'),
    ('int(s, 2)', 'the integer value of s read in base 2'),
    ('int(f)', 'f without its fractional part'),
    ('float(s)', 's as a decimal number'),
    ("float('inf')", 'infinity'),
    ("float('-inf')", 'negative infinity'),
    ('str(num)', 'num written as text'),
    ('bool(lst)', 'whether lst is not empty'),
    ('abs(num)', 'the absolute value of num'),
    ('abs(a - b)', 'the absolute value of (a minus b)'),
    ('min(a, b)', 'the smaller of a and b'),
    ('max(a, b, c)', 'the largest of a, b and c'),
    ('min(lst)', 'the smallest element of lst'),
    ('max(s)', 'the largest character of s'),
    ('max(lst, key=len)', 'the element of lst with the largest length'),
    (
        'min(lst, key=lambda p: p[1])',
        'the element p of lst for which the second element of p is smallest',
    ),
    ('max(d, key=d.get)', 'the key of d with the largest value'),
    ('max(lst, default=0)', 'the largest element of lst, or 0 if there is none'),
    ('sum(lst)', 'the sum of lst'),
    ('sum(x * x for x in lst)', 'the sum of x times x for each x in lst'),
    ('sum(lst, 10)', '10 plus the sum of lst'),
    ('sorted(lst)', 'lst sorted in increasing order'),
    ('sorted(lst, reverse=True)', 'lst sorted in decreasing order'),
    ('sorted(words, key=len)', 'words sorted by length, in increasing order'),
    (
        'sorted(lst, key=lambda p: p[1])',
        'the elements p of lst sorted by the second element of p, in increasing order',
    ),
    ('reversed(lst)', 'lst reversed'),
    ('range(n)', 'the numbers from 0 up to n (not including n)'),
    ('range(1, n)', 'the numbers from 1 up to n (not including n)'),
    ('range(1, n + 1)', 'the numbers from 1 up to n (including n)'),
    ('range(0, n, 2)', 'the numbers from 0 up to n (not including n), in steps of 2'),
    ('range(n, 0, -1)', 'the numbers from n down to 0 (not including 0)'),
    ('range(len(lst))', 'the positions of lst'),
    ('enumerate(lst)', 'the positions and elements of lst'),
    ('enumerate(lst, 1)', 'the positions and elements of lst, counting positions from 1'),
    ('zip(lst, nums)', 'the pairs of elements at the same position in lst and nums'),
    ('zip(a, b, c)', 'the groups of elements at the same position in a, b and c'),
    ('map(int, s.split())', 'the integer value of each element of the words of s'),
    ('map(str, lst)', 'each element of lst written as text'),
    ('map(lambda x: x * 2, lst)', 'the values x times 2 for each x in lst'),
    ('map(str.upper, words)', 'each element of words in upper case'),
    ('filter(lambda x: x > 0, lst)', 'the elements x of lst for which x is greater than 0'),
    ('filter(None, lst)', 'the elements of lst that are not empty, zero, false or no value'),
    (
        'filter(str.isdigit, words)',
        'the elements of words for which the element has only digits, at least one',
    ),
    ('list(s)', 'the list of the characters of s'),
    ('list(lst)', 'a copy of lst'),
    ('list(map(str, lst))', 'the list of each element of lst written as text'),
    ('list(d)', 'the list of the keys of d'),
    ('list()', 'an empty list'),
    ('tuple(lst)', 'the tuple of the elements of lst'),
    ('set(lst)', 'the set of the distinct elements of lst'),
    ('set(s)', 'the set of the distinct characters of s'),
    ('set()', 'an empty set'),
    ('dict()', 'an empty dictionary'),
    (
        'dict(zip(words, nums))',
        'a dictionary mapping each element of words to the element at the same position in nums',
    ),
    ('dict(a=1)', "a dictionary mapping \"a\" to 1"),
    ('ord(c)', 'the character code of c'),
    ('chr(num + 97)', 'the character with code (num plus 97)'),
    ("ord(c) - ord('a')", "the character code of c minus the character code of \"a\""),
    ('any(x > 0 for x in lst)', 'whether some x in lst is greater than 0'),
    ('all(c.isdigit() for c in s)', 'whether every c in s has only digits, at least one'),
    ('any(lst)', 'whether some element of lst is true'),
    ('round(f)', 'f rounded to the nearest whole number (a value exactly halfway goes to the '
                 'even one)'),
    ('round(f, 2)', 'f rounded to 2 decimal places (a value exactly halfway, as stored, goes '
                    'to the even last digit)'),
    ('divmod(a, b)', 'the pair of a divided by b, rounded down, and the remainder'),
    ('pow(a, b)', 'a to the power of b'),
    ('pow(a, b, m)', 'the remainder of a to the power of b divided by m'),
    ('isinstance(x, int)', 'whether x is an integer'),
    ('isinstance(x, (int, float))', 'whether x is an integer or a decimal number'),
    ('bin(n)', "the binary form of n as text, starting with \"0b\""),
    ('hex(n)', "the hexadecimal form of n as text, starting with \"0x\""),
    ('next(it)', 'the next element of it'),
    ('helper(a, b)', 'the result of helper applied to a and b'),
    ('helper()', 'the result of helper'),
    ('helper(a, key=b)', 'the result of helper applied to a, with key set to b'),
    ('s.upper()', 's in upper case'),
    ('s.lower()', 's in lower case'),
    ('s.strip()', 's without the whitespace at both ends'),
    ("s.strip('0')", "s without any \"0\" at both ends"),
    ("s.lstrip('-')", "s without any \"-\" at the start"),
    ('s.rstrip()', 's without the whitespace at the end'),
    ('s.split()', 'the words of s'),
    ("s.split(',')", "s split at every \",\""),
    ("s.split(',', 1)", "s split at the first occurrence of \",\""),
    ('s.splitlines()', 'the lines of s'),
    ("' '.join(words)", "the elements of words joined with \" \" in between"),
    ("''.join(words)", 'the elements of words joined together'),
    ("''.join(reversed(s))", 'the elements of (s reversed) joined together'),
    (
        "''.join(c for c in s if c.isalnum())",
        'the values c for each c in s that has only letters and digits, at least one, joined '
        'together',
    ),
    ("','.join(map(str, lst))", "each element of lst written as text, joined with \",\" in between"),
    ("s.replace('a', 'b')", "s with every \"a\" replaced by \"b\""),
    ("s.replace(' ', '')", "s with every \" \" removed"),
    ("s.count('a')", "the number of times \"a\" occurs in s"),
    ('lst.count(0)', 'the number of times 0 occurs in lst'),
    ('lst.index(num)', 'the first position of num in lst'),
    ("s.find('a')", "the position of the first \"a\" in s, or -1 if it does not occur"),
    ("s.rfind('a')", "the position of the last \"a\" in s, or -1 if it does not occur"),
    ("s.startswith('ab')", "whether s starts with \"ab\""),
    ("s.endswith(('a', 'b'))", "whether s ends with \"a\" or \"b\""),
    ('s.isdigit()', 'whether s has only digits, at least one'),
    ('s.zfill(8)', 's padded with zeros on the left (after any sign) to length 8'),
    ('s.capitalize()', 's with its first character in upper case and every other character in '
                       'lower case'),
    ('s.title()', 's with every letter that comes first or right after a character without case '
                  '(such as a space, a digit or punctuation) in upper case and every other letter '
                  'in lower case'),
    ('s.swapcase()', 's with upper and lower case swapped'),
    ("'{}-{}'.format(a, b)", "the text \"{}-{}\" with a and b filled in"),
    ("s.removeprefix('ab')", "s without the prefix \"ab\""),
    ('d.get(k)', 'the value of d for key k, or no value if there is none'),
    ('d.get(k, 0)', 'the value of d for key k, or 0 if there is none'),
    ('d.keys()', 'the keys of d'),
    ('d.values()', 'the values of d'),
    ('d.items()', 'the key-value pairs of d'),
    ('lst.copy()', 'a copy of lst'),
    ('seen.union(other)', 'the elements that are in seen or in other'),
    ('seen.intersection(other)', 'the elements that are in both seen and other'),
    ('seen.difference(other)', 'the elements of seen that are not in other'),
    ('seen.issubset(other)', 'whether seen is a subset of other'),
    ('lst.pop()', 'the last element of lst (removed from lst)'),
    ('lst.pop(0)', 'the first element of lst (removed from lst)'),
    ('d.pop(k)', 'the value of d for key k (removed from d)'),
    ('num.bit_length()', 'the number of binary digits of the absolute value of num (0 for 0)'),
    ('str.lower(s)', 's in lower case'),
    ('s.foo_bar(1)', 'the result of applying foo bar to s with 1'),
    ('s.encode()', 'the result of applying encode to s'),
    ('x.real', 'the real part of x'),
    ('self.count', 'count'),
    ('"%d items" % n', "the text \"%d items\" with n filled in"),
    ("'a' 'b'", "\"ab\""),
    ('...', 'an unspecified value'),
    ('list(range(n))', 'the list of the numbers from 0 up to n (not including n)'),
    ('range(n + 1)', 'the numbers from 0 up to n (including n)'),
    ('range(n - 1, -1, -1)', 'the numbers from n minus 1 down to 0 (including 0)'),
    ('lst[-12]', 'the 12th-to-last element of lst'),
    ('lst[0][1:]', '(the first element of lst) without its first element'),
    ('[x for x in lst if x > 0 if x != 3]',
     'the list of x for each x in lst that is greater than 0 and is not 3'),
    ('[a for a, b in zip(lst, nums) if a == b]',
     'the list of a for each a of lst and b of nums, taken side by side, where a is equal to b'),
    ('round(f, 1)', 'f rounded to 1 decimal place (a value exactly halfway, as stored, goes '
                    'to the even last digit)'),
    ("f'{num:>5}'", "num formatted with the pattern \">5\""),
    ("'%s=%d' % (k, num)", "the text \"%s=%d\" with k and num filled in"),
]

COND_CASES = [  # (code, clause, negated clause)
    ('num > 9', 'num is greater than 9', 'num is at most 9'),
    ('num >= 10', 'num is at least 10', 'num is less than 10'),
    ('num < 0', 'num is less than 0', 'num is at least 0'),
    ('num <= 9', 'num is at most 9', 'num is greater than 9'),
    ('num == 0', 'num is 0', 'num is not 0'),
    ('num != 0', 'num is not 0', 'num is 0'),
    ('9 < num', 'num is greater than 9', 'num is at most 9'),
    ('lst', 'lst is not empty', 'lst is empty'),
    ('num', 'num is not 0', 'num is 0'),
    ('s', 's is not the empty string', 's is the empty string'),
    ('d', 'd is not empty', 'd is empty'),
    ('seen', 'seen is not empty', 'seen is empty'),
    ('flag', 'flag is true', 'flag is false'),
    ('f', 'f is not 0', 'f is 0'),
    ('x', 'x is not empty, zero, false or no value', 'x is empty, zero, false or no value'),
    ('not lst', 'lst is empty', 'lst is not empty'),
    ('not num', 'num is 0', 'num is not 0'),
    ('not (num > 9)', 'num is at most 9', 'num is greater than 9'),
    (
        'num > 9 and lst',
        'num is greater than 9 and lst is not empty',
        'num is at most 9 or lst is empty',
    ),
    (
        'num > 9 or not lst',
        'num is greater than 9 or lst is empty',
        'num is at most 9 and lst is not empty',
    ),
    (
        'not (num > 9 and lst)',
        'num is at most 9 or lst is empty',
        'num is greater than 9 and lst is not empty',
    ),
    (
        'not (num > 9 or lst)',
        'num is at most 9 and lst is empty',
        'num is greater than 9 or lst is not empty',
    ),
    (
        'num > 0 and (flag or lst)',
        'num is greater than 0 and either flag is true or lst is not empty',
        'num is at most 0 or both flag is false and lst is empty',
    ),
    (
        '(num > 0 or flag) and lst',
        'either num is greater than 0 or flag is true, and lst is not empty',
        'both num is at most 0 and flag is false, or lst is empty',
    ),
    ('num % 2 == 0', 'num is even', 'num is odd'),
    ('num % 2 == 1', 'num is odd', 'num is even'),
    ('num % 2 != 0', 'num is odd', 'num is even'),
    ('num % 2', 'num is odd', 'num is even'),
    ('num % 3 == 0', 'num is divisible by 3', 'num is not divisible by 3'),
    ('num % 3', 'num is not divisible by 3', 'num is divisible by 3'),
    ('num % 10 == 0', 'num is divisible by 10', 'num is not divisible by 10'),
    ('len(lst) == 0', 'lst is empty', 'lst is not empty'),
    ('len(lst) > 0', 'lst is not empty', 'lst is empty'),
    ('len(lst)', 'lst is not empty', 'lst is empty'),
    ('len(lst) > 3', 'the length of lst is greater than 3', 'the length of lst is at most 3'),
    ('c in seen', 'c is in seen', 'c is not in seen'),
    ('c not in seen', 'c is not in seen', 'c is in seen'),
    ('k in d', 'k is a key of d', 'k is not a key of d'),
    ('k not in d', 'k is not a key of d', 'k is a key of d'),
    ("c in 'aeiou'", "c is in \"aeiou\"", "c is not in \"aeiou\""),
    ('x is None', 'x has no value', 'x has a value'),
    ('x is not None', 'x has a value', 'x has no value'),
    ('x == None', 'x has no value', 'x has a value'),
    ('flag is True', 'flag is true', 'flag is false'),
    ('0 <= i < n', 'i is at least 0 and is less than n', 'i is less than 0 or is at least n'),
    ('a < b < c', 'b is greater than a and is less than c', 'b is at most a or is at least c'),
    ('a < b > c', 'b is greater than a and is greater than c', 'b is at most a or is at most c'),
    (
        'lst[-1] == c',
        'the last element of lst is equal to c',
        'the last element of lst is not equal to c',
    ),
    ('s.isdigit()', 's has only digits, at least one',
     's is empty or has a character that is not a digit'),
    ('c.isalpha()', 'c has only letters, at least one',
     'c is empty or has a character that is not a letter'),
    ('s.isupper()', 's has at least one upper-case letter and no lower-case letter',
     's has no upper-case letter or has a lower-case letter'),
    ("s.startswith('ab')", "s starts with \"ab\"", "s does not start with \"ab\""),
    ("s.endswith('z')", "s ends with \"z\"", "s does not end with \"z\""),
    ('seen.issubset(other)', 'seen is a subset of other', 'seen is not a subset of other'),
    ('any(x > 0 for x in lst)', 'some x in lst is greater than 0', 'no x in lst is greater than 0'),
    ('all(x > 0 for x in lst)', 'every x in lst is greater than 0', 'some x in lst is at most 0'),
    (
        'any(c.isdigit() for c in s)',
        'some c in s has only digits, at least one',
        'no c in s has only digits, at least one',
    ),
    (
        'all(x > 0 for x in lst if x != 5)',
        'x is greater than 0 for every x in lst that is not 5',
        'x is at most 0 for some x in lst that is not 5',
    ),
    ('any(lst)', 'some element of lst is true', 'no element of lst is true'),
    ('all(lst)', 'every element of lst is true', 'some element of lst is false'),
    ('isinstance(x, int)', 'x is an integer', 'x is not an integer'),
    (
        'isinstance(x, (int, str))',
        'x is an integer or a text',
        'x is neither an integer nor a text',
    ),
    ('bool(lst)', 'lst is not empty', 'lst is empty'),
    (
        'helper(x)',
        'the result of helper applied to x is not empty, zero, false or no value',
        'the result of helper applied to x is empty, zero, false or no value',
    ),
    (
        'is_valid(x)',
        'the result of is_valid applied to x is true',
        'the result of is_valid applied to x is false',
    ),
    ('True', 'this always holds', 'this never holds'),
    ('False', 'this never holds', 'this always holds'),
    (
        'stack and stack[-1] == c',
        'stack is not empty and the last element of stack is equal to c',
        'stack is empty or the last element of stack is not equal to c',
    ),
]

STMT_CASES = [
    ('sum = 0', 'Set sum to 0.'),
    ('num = sum', 'Set num to sum.'),
    ('total = total + num', 'Add num to total.'),
    ('res = []', 'Set res to an empty list.'),
    ("res = ''", 'Set res to the empty string.'),
    ('d = {}', 'Set d to an empty dictionary.'),
    ('flag = num > 9', 'Set flag to whether num is greater than 9.'),
    ('a = b = 0', 'Set a and b to 0.'),
    ('a, b = b, a', 'Swap a and b.'),
    ('a, b = 0, 1', 'Set a to 0 and b to 1.'),
    ('a, b = b, a + b', 'Set a to b and b to a plus b at the same time.'),
    (
        'q, r = divmod(num, 10)',
        'Set q to num divided by 10, rounded down, and r to the remainder of num divided by 10.',
    ),
    (
        'first, *rest = lst',
        'From lst, set first to the first element and rest to a list of the other elements.',
    ),
    (
        '*init, last = lst',
        'From lst, set last to the last element and init to a list of the other elements.',
    ),
    (
        'head, *mid, tail = lst',
        ('From lst, set head to the first element, tail to the last element and mid to a list of '
        'the elements in between.'),
    ),
    ('a, b = pair', 'Set a and b to the two elements of pair, in order.'),
    ('lst[i] = num', 'Set the element of lst at position i to num.'),
    ('lst[0] = num', 'Set the first element of lst to num.'),
    ('d[k] = num', 'Set the value of d for key k to num.'),
    (
        'lst[1:3] = nums',
        'Replace the part of lst from position 1 up to (not including) position 3 with nums.',
    ),
    ('lst[:] = nums', 'Replace the contents of lst with nums.'),
    ('x: int = 0', 'Set x to 0.'),
    ('x: int', 'Let x be an integer.'),
    ('sum += num % 10', 'Add the remainder of num divided by 10 to sum.'),
    ('total += 1', 'Add 1 to total.'),
    ('num -= 1', 'Subtract 1 from num.'),
    ('num *= 2', 'Multiply num by 2.'),
    ('num /= 2', 'Divide num by 2.'),
    ('num //= 10', 'Divide num by 10, rounded down.'),
    ('num %= 7', 'Set num to the remainder of num divided by 7.'),
    ('num **= 2', 'Raise num to the power of 2.'),
    ('num <<= 1', 'Shift num left by 1 bit.'),
    ('num >>= 2', 'Shift num right by 2 bits.'),
    ('num &= 1', 'Set num to the bitwise and of num and 1.'),
    ('num |= 4', 'Set num to the bitwise or of num and 4.'),
    ('num ^= 3', 'Set num to the bitwise exclusive or of num and 3.'),
    ('s += c', 'Add c to the end of s.'),
    ('lst += [num]', 'Append num to the end of lst.'),
    ('lst += nums', 'Append the elements of nums to the end of lst.'),
    ('seen |= other', 'Add the elements of other to seen.'),
    ('seen -= other', 'Remove the elements of other from seen.'),
    ('seen &= other', 'Keep only the elements of seen that are also in other.'),
    ('d[k] += 1', 'Add 1 to the value of d for key k.'),
    (
        'counts[c] = counts.get(c, 0) + 1',
        'Add 1 to the value of counts for key c (starting from 0 if it has none).',
    ),
    ('lst.append(num)', 'Append num to the end of lst.'),
    ('lst.append(num + 1)', 'Append num plus 1 to the end of lst.'),
    ('lst.extend(nums)', 'Append the elements of nums to the end of lst.'),
    ('lst.insert(0, num)', 'Insert num at the front of lst.'),
    ('lst.insert(i, num)', 'Insert num into lst at position i.'),
    ('lst.pop()', 'Remove the last element of lst.'),
    ('lst.pop(0)', 'Remove the first element of lst.'),
    ('lst.pop(i)', 'Remove the element of lst at position i.'),
    ('lst.pop(-2)', 'Remove the second-to-last element of lst.'),
    ('d.pop(k)', 'Remove key k from d.'),
    ('seen.pop()', 'Remove an arbitrary element from seen.'),
    ('lst.remove(num)', 'Remove the first occurrence of num from lst.'),
    ('seen.remove(c)', 'Remove c from seen.'),
    ('seen.discard(c)', 'Remove c from seen if it is there.'),
    ('seen.add(c)', 'Add c to seen.'),
    ('lst.clear()', 'Remove everything from lst.'),
    ('lst.sort()', 'Sort lst in increasing order.'),
    ('lst.sort(reverse=True)', 'Sort lst in decreasing order.'),
    ('lst.sort(key=len)', 'Sort lst by length, in increasing order.'),
    (
        'lst.sort(key=lambda p: p[1])',
        'Sort the elements p of lst by the second element of p, in increasing order.',
    ),
    ('lst.reverse()', 'Reverse the order of the elements of lst.'),
    ('d.update(other)', 'Update d with the keys and values of other.'),
    ('seen.update(other)', 'Add the elements of other to seen.'),
    (
        'd.setdefault(k, [])',
        'If k is not a key of d, set the value of d for key k to an empty list.',
    ),
    ('d.popitem()', 'Remove the most recently added key and its value from d.'),
    ('seen.intersection_update(other)', 'Keep only the elements of seen that are also in other.'),
    ('var = lst.pop(0)', 'Remove the first element of lst and call it var.'),
    ('last = lst.pop()', 'Remove the last element of lst and call it last.'),
    ('val = d.pop(k)', 'Remove key k from d and call its value val.'),
    ('x = seen.pop()', 'Remove an arbitrary element from seen and call it x.'),
    ('del lst[i]', 'Remove the element of lst at position i.'),
    ('del lst[0]', 'Remove the first element of lst.'),
    ('del d[k]', 'Remove key k from d.'),
    ('del lst[1:]', 'Remove all elements of lst except the first.'),
    ('del lst[:-1]', 'Remove all elements of lst except the last.'),
    ('del lst[:]', 'Remove all elements of lst.'),
    ('del x', 'Forget x.'),
    ('pass', 'Do nothing.'),
    ('break', 'Stop the loop.'),
    ('continue', 'Skip to the next iteration.'),
    ('return num', 'Return num.'),
    ('return', 'Stop and return nothing.'),
    ('return a, b', 'Return the pair of a and b.'),
    ('return num > 9', 'Return whether num is greater than 9.'),
    ('return not lst', 'Return whether lst is empty.'),
    ('assert num > 0', 'Make sure that num is greater than 0.'),
    (
        "assert lst, 'empty'",
        'Make sure that lst is not empty (otherwise stop with the message "empty").',
    ),
    ('helper(lst)', 'Apply helper to lst.'),
    ('helper()', 'Run helper.'),
    ('s.upper()', 'Work out s in upper case.'),
    ('lst.frobnicate(1)', 'Apply frobnicate to lst with 1.'),
    ("raise ValueError('bad')", "Stop with an invalid value (ValueError): \"bad\"."),
    ('raise', 'Stop with the same error again.'),
    ("'''Docstring here.'''", 'Note: Docstring here.'),
    ('global x', 'Use the shared variable x.'),
    ('x = 1; y = 2', 'Set x to 1. Set y to 2.'),
    ('a, (b, c) = t', 'Set a and (b and c) to the two elements of t, in order.'),
    ('k, v = d.popitem()',
     'Remove the most recently added key and its value from d and call the key and the value k '
     'and v.'),
    ('from os import path', 'Load path from the module "os".'),
    ('total += lst.pop()', 'Remove the last element of lst and add it to total.'),
    ('stack.append(lst.pop(0))',
     'Remove the first element of lst and append it to the end of stack.'),
    ('lst[i] = stack.pop()',
     'Remove the last element of stack and set the element of lst at position i to it.'),
    ('total += d.pop(k)', 'Remove key k from d and add its value to total.'),
]


@pytest.mark.parametrize(("code", "expected"), EXPR_CASES)
def test_expr(code: str, expected: str) -> None:
    assert V.expr(cst.parse_expression(code)) == expected


@pytest.mark.parametrize(("code", "positive", "negative"), COND_CASES)
def test_cond(code: str, positive: str, negative: str) -> None:
    node = cst.parse_expression(code)
    assert V.cond(node) == positive
    assert V.cond(node, negate=True) == negative


@pytest.mark.parametrize(("code", "expected"), STMT_CASES)
def test_stmt(code: str, expected: str) -> None:
    line = cst.parse_statement(code)
    assert V.stmt(line) == expected
    if isinstance(line, cst.SimpleStatementLine) and len(line.body) == 1:
        assert V.stmt(line.body[0]) == expected  # a small statement alone, too


# ------------------------------------------------------------------ headers

HEADER_RULE = '''\
def f(nums: list[int], s: str, d: dict, pairs, grid):
    while nums:
        pass
    while not nums and s:
        pass
    for x in nums:
        pass
    for c in s:
        pass
    for key in d:
        pass
    for i in range(n):
        pass
    for i in range(1, n + 1):
        pass
    for i in range(n - 1, -1, -1):
        pass
    for i in range(0, n, 2):
        pass
    for i in range(len(nums)):
        pass
    for i in range(1, len(nums)):
        pass
    for i in range(len(nums) - 1, -1, -1):
        pass
    for i, x in enumerate(nums):
        pass
    for i, c in enumerate(s, 1):
        pass
    for a, b in zip(nums, s):
        pass
    for k, v in d.items():
        pass
    for k in d.keys():
        pass
    for v in d.values():
        pass
    for x in reversed(nums):
        pass
    for x in sorted(nums):
        pass
    for a, b in pairs:
        pass
    for row in grid:
        pass
    for _ in range(3):
        pass
    if nums[0] > 3:
        pass
'''

HEADERS = [
    "nums is not empty",
    "nums is empty and s is not the empty string",
    "each element x of nums",
    "each character c of s",
    "each key key of d",
    "each number i from 0 up to n (not including n)",
    "each number i from 1 up to n (including n)",
    "each number i from n minus 1 down to 0 (including 0)",
    "each number i from 0 up to n (not including n), in steps of 2",
    "each position i of nums",
    "each position i of nums, starting at position 1",
    "each position i of nums, from last to first",
    "each position i and element x of nums",
    "each position i and character c of s, counting positions from 1",
    "each a of nums and b of s, taken side by side",
    "each key k of d and its value v",
    "each key k of d",
    "each value v of d",
    "each element x of nums, from last to first",
    "each element x of nums sorted in increasing order",
    "each element of pairs, split into a and b",
    "each element row of grid",
    "each number from 0 up to 3 (not including 3)",
    "the first element of nums is greater than 3",
]


def test_headers() -> None:
    func = func_of(HEADER_RULE)
    verbaliser = Verbaliser(types=infer_types(func))
    got = [verbaliser.header(st) for st in func.body.body]
    assert got == HEADERS


def test_header_except_and_errors() -> None:
    tree = cst.parse_statement("try:\n    pass\nexcept (ValueError, KeyError):\n    pass\n")
    assert isinstance(tree, cst.Try)
    assert V.header(tree.handlers[0]) == (
        "an invalid value (ValueError) or a missing key (KeyError) happens")
    bare = cst.parse_statement("try:\n    pass\nexcept:\n    pass\n")
    assert isinstance(bare, cst.Try)
    assert V.header(bare.handlers[0]) == "any error happens"
    with pytest.raises(TypeError):
        V.header(cst.parse_statement("x = 1"))


def test_stmt_of_compound_statement_summarises() -> None:
    assert V.stmt(cst.parse_statement("while num > 9:\n    pass\n")) == (
        "Repeat while num is greater than 9.")
    assert V.stmt(cst.parse_statement("for x in lst:\n    pass\n")) == (
        "Repeat for each element x of lst.")
    assert V.stmt(cst.parse_statement("if lst:\n    pass\n")) == "Check whether lst is not empty."


# ------------------------------------------------------------------ glossary

ADD_DIGITS = '''\
def add_digits(num):
    while num > 9:
        sum = 0
        while num:
            sum += num % 10
            num //= 10
        num = sum
    return num
'''


def test_add_digits_with_glossary() -> None:
    func = func_of(ADD_DIGITS)
    types = infer_types(func, {"num": 38})
    assert types == {"num": int, "sum": int}
    v = Verbaliser({"num": "the number", "sum": "the sum"}, types)
    v.nonneg = nonneg_nodes(func)  # `while num > 9` proves num >= 0 where `num % 10` stands
    outer = func.body.body[0]
    assert isinstance(outer, cst.While)
    assert v.header(outer) == "the number is greater than 9"
    assert v.cond(outer.test, negate=True) == "the number is at most 9"
    init, inner, update = outer.body.body
    assert isinstance(inner, cst.While)
    assert v.stmt(init) == "Set the sum to 0."
    assert v.header(inner) == "the number is not 0"
    assert v.cond(inner.test, negate=True) == "the number is 0"
    add, shift = inner.body.body
    assert v.stmt(add) == "Add the last digit of the number to the sum."
    assert v.stmt(shift) == "Divide the number by 10, rounded down."
    assert v.stmt(update) == "Set the number to the sum."
    assert v.stmt(func.body.body[1]) == "Return the number."


@pytest.mark.parametrize(("code", "expected"), [
    ("lst[0]", "the first element of the list"),
    ("lst[i]", "the element at position (the index) of the list"),
    ("lst.pop(0)", "the first element of the list (removed from the list)"),
    ("[x * 2 for x in lst if x > 0]",
     "the list of the item times 2 for each item in the list that is greater than 0"),
    ("len(lst) - i", "the length of the list minus the index"),
    ("-i", "the negative of the index"),
    ("-(i + 1)", "negative (the index plus 1)"),
])
def test_glossary_expr(code: str, expected: str) -> None:
    v = Verbaliser({"lst": "the list", "i": "the index", "x": "the item"}, {"lst": list})
    assert v.expr(cst.parse_expression(code)) == expected
    assert v.name("lst") == "the list"
    assert v.name("other") == "other"


def test_glossary_header_and_sentence_start() -> None:
    func = func_of("def f(digits):\n    for d in digits:\n        pass\n")
    v = Verbaliser({"d": "the digit", "digits": "the digits"}, {"digits": list})
    assert v.header(func.body.body[0]) == "each digit of the digits"
    assert v.stmt(cst.parse_statement("digits.pop()")) == "Remove the last element of the digits."
    assert Verbaliser({"x": "the value"}).stmt(cst.parse_statement("x = 1")) == (
        "Set the value to 1.")


# ------------------------------------------------------------------ infer_types

@pytest.mark.parametrize(("source", "samples", "expected"), [
    (("def f(a: int, b: str, c: List[int], d: list[str], e: dict, g: Optional[int],"
     " h: 'Set[int]', k: int | None):\n    pass\n"), None,
     {"a": int, "b": str, "c": list, "d": list, "e": dict, "g": int, "h": set, "k": int,
      "c[]": int, "d[]": str, "h[]": int}),
    ("def f(a, b, c, d):\n    pass\n", {"a": 1, "b": "x", "c": [1], "d": True},
     {"a": int, "b": str, "c": list, "d": bool, "c[]": int}),
    ("def f(a):\n    a.append(1)\n", None, {"a": list, "a[]": int}),
    ("def f(a):\n    a.add(1)\n", None, {"a": set, "a[]": int}),
    ("def f(a):\n    return a.get(1)\n", None, {"a": dict}),
    ("def f(a):\n    return a.lower()\n", None, {"a": str}),
    ("def f(a):\n    a += 1\n", None, {"a": int}),
    ("def f(a):\n    return a % 10\n", None, {"a": int}),
    (("def f():\n    x = 0\n    y = []\n    z = ''\n    w = {}\n    v = set()\n    u = 1.5\n"
     "    t = True\n    r = (1, 2)\n"), None,
     {"x": int, "y": list, "z": str, "w": dict, "v": set, "u": float, "t": bool, "r": tuple}),
    ("def f(s):\n    n = len(s)\n    m = n + 1\n    t = s.upper()\n    parts = t.split()\n",
     None, {"n": int, "m": int, "t": str, "s": str, "parts": list}),
    (("def f(nums: List[int], s: str):\n    for x in nums:\n        pass\n    for c in s:\n"
     "        pass\n    for i, y in enumerate(nums):\n        pass\n    for j in range(3):\n"
     "        pass\n"), None,
     {"nums": list, "s": str, "x": int, "c": str, "i": int, "y": int, "j": int,
      "nums[]": int}),
    ("def f(a) -> int:\n    return a\n", None, {"a": int}),
    ("def f(a):\n    a = None\n    a = 5\n", None, {"a": int}),
    ("def f(a: str):\n    a = 5\n", None, {"a": str}),  # annotation wins
    ("def f(words):\n    return ' '.join(words)\n", None, {"words": list, "words[]": str}),
    ("def f(c):\n    return ord(c)\n", None, {"c": str}),
    ("def f(q, r, n):\n    q, r = divmod(n, 2)\n", None, {"q": int, "r": int}),
    ("def f(self, a: int):\n    pass\n", None, {"a": int}),
    ("def f(x):\n    return [y for y in 'abc']\n", None, {"y": str}),
])
def test_infer_types(source: str, samples: dict | None, expected: dict) -> None:
    assert infer_types(func_of(source), samples) == expected


def test_element_types_reach_the_wording() -> None:
    func = func_of("def f(nums: List[int], seen):\n    seen = [False] * 3\n")
    v = Verbaliser(types=infer_types(func))
    assert v.cond(cst.parse_expression("nums[i]")) == "the element of nums at position i is not 0"
    assert v.cond(cst.parse_expression("seen[i]"), negate=True) == (
        "the element of seen at position i is false")


def test_whether_glossary_reads_as_a_fact() -> None:
    v = Verbaliser({"flip": "whether the person flips the coin"})
    node = cst.parse_expression("flip")
    assert v.cond(node) == "the person flips the coin"
    assert v.cond(node, negate=True) == "it is not true that the person flips the coin"


def test_types_change_wording() -> None:
    code = cst.parse_expression("x")
    assert Verbaliser(types={"x": list}).cond(code) == "x is not empty"
    assert Verbaliser(types={"x": int}).cond(code) == "x is not 0"
    assert Verbaliser(types={"x": str}).cond(code) == "x is not the empty string"
    assert Verbaliser(types={"x": bool}).cond(code) == "x is true"
    assert Verbaliser().cond(code) == "x is not empty, zero, false or no value"
    sub = cst.parse_expression("x[k]")
    assert Verbaliser(types={"x": dict}).expr(sub) == "the value of x for key k"
    assert Verbaliser(types={"x": list}).expr(sub) == "the element of x at position k"
    assert Verbaliser(types={"x": str}).expr(sub) == "the character of x at position k"


# ------------------------------------------------------------------ nlcheck

@pytest.mark.parametrize(("text", "snippet"), [
    ("Return x[-1].", "x[-1]"),
    ("Set y to lst[1:].", "lst[1:]"),
    ("Take [::-1] of it.", "[::-1]"),
    ("Then lst.append(x).", ".append("),
    ("Call lst.pop(0) now.", ".pop("),
    ("The length is len(lst).", "len("),
    ("Return helper(a, b).", "helper("),
    ("Check whether x == 3.", "=="),
    ("Check whether x != 3.", "!="),
    ("Set q to a // b.", "//"),
    ("Set p to a ** b.", "**"),
    ("Do total += 1.", "+="),
    ("Do total -= 1.", "-="),
    ("Check a && b.", "&&"),
    ("Check whether a <= b.", "<="),
    ("Set r to a % b.", "%"),
    ("Use lambda x: x + 1 as the key.", "lambda x:"),
    ("def helper(x) returns it.", "def helper"),
    ("Otherwise, elif x is 3.", "elif"),
    ("Set x to None.", "None"),
    ("Check whether x is True.", "True"),
    ("Set flag to False.", "False"),
    ("for x in lst:", "for x in lst:"),
    ("Return a if a > b else b.", "else"),
    ("Use d.items to loop.", "d.items"),
    ("Compute x.__class__ now.", "__class__"),
    ("Set y to [x * 2 for x in lst].", "[x * 2 for x in lst]"),
    ("Set d to {k: v}.", "{k: v}"),
    ("Return 'ab'[0].", "'ab'[0]"),
    ("Return ', '.join(words).", ".join("),
    ("Set g to (x for x in lst).", "(x for x in lst)"),
    ("Set t to f'{a}-{b}'.", "f'{a}-{b}'"),
    ("Set t to '%d' % n.", "%"),
    ("Set s to {x}.", "{x}"),
    # Python value notation (issue 9): the NL notation is true/false/no value, double quotes
    ("Set flags to [True, False, None].", "True"),
    ("Set s to 'abc'.", "'abc'"),
    ('Set s to "a\\nb".', '"a\\nb"'),
    ("The loop runs over range(0, 3).", "range("),
    ("The items are dict_items([('a', 1)]).", "dict_items("),
])
def test_nlcheck_flags_python(text: str, snippet: str) -> None:
    found = python_syntax_in(text)
    assert any(snippet in f or f in snippet for f in found), found


@pytest.mark.parametrize("text", [
    "Set sum to 0.",
    "Add the last digit of the number to sum.",
    "The number is 32, which is not 0. Enter the inner loop.",
    "sum = 0 + 2 = 2",
    "Set lst to the list [1, 2, 3].",
    'Set words to the list ["a", "b", "c"].',
    "Set grid to [[1, 2], [3, 4]].",
    'Set d to the dictionary {"a": 1, "b": [2, 3]}.',
    'Set pairs to [(1, "a"), (2, "b")].',
    "Set flags to [true, false, no value].",
    'Set s to "x.append(y) == 3 // 2".',
    "It's the element's value, and the words' order matters.",
    "Set x to -1, then to 3.5, then to 1e-05.",
    "About 50% of the elements are even; 50% of them are odd.",
    "Check whether i is at least 0 and is less than n.",
    "Return b if lst is not empty, otherwise 53.",
    "None of the elements is negative.",
    "True to form, the loop ends.",
    "Take the part of x from position a up to (not including) position b.",
    "Count the element(s) that remain.",
    "1.2.3 Return to the start of the inner loop. Go to step (1.2.3).",
    "1. Begin outer loop:",
    "For each element x of lst:",
    "If so, enter the loop; otherwise, the loop is over, go to step (2).",
    "Do this if you can, or else stop.",
    "If nothing else works, return 0.",
    "x is not in seen",
    "Set s to \"it's\".",
    "Set x to infinity, e.g. a very large number, i.e. bigger than all.",
    "Set r to the set {1, 2} or to set().",
    "Set x to [inf, nan].",
])
def test_nlcheck_accepts_english(text: str) -> None:
    assert python_syntax_in(text) == []


def test_nlcheck_returns_each_snippet_once_in_order() -> None:
    assert python_syntax_in("a == b and c == d, then x[0] and x[0]") == ["==", "x[0]"]


# ------------------------------------------------------------------ broad sweep

SUBSET_EXPRS = [
    # values
    "num", "0", "-5", "2.5", "1e9", "0x1F", "'abc'", "''", '"it\'s"', "True", "False", "None",
    "[1, 2, 3]", "[]", "(1, 2)", "()", "(num,)", "{1, 2}", "{}", "{'a': [1, 2]}",
    "[num, s]", "(num, s)", "{num, 1}", "{s: num, 'b': 2}", "[*lst, 1]", "{**d, 'a': 1}",
    "[[1, 2], [3]]", "[[num]]", "'a' 'b'", "'a' f'{num}'",
    # arithmetic, bits, comparisons, boolean
    "num + 1", "num - 1", "num * 2", "num / 2", "num // 2", "num % 10", "num % 7", "num ** 2",
    "num ** 3", "-num", "+num", "~num", "num & 1", "num | 2", "num ^ 3", "num << 1", "num >> 1",
    "a + b * c - d / e", "(a + b) * (c - d)", "a // b // c", "a % b % c", "2 ** -1",
    "-(a + b)", "s + 'x'", "s * 2", "[0] * n", "lst + nums", "seen - other", "seen & other",
    "seen | other", "seen ^ other", "d | other",
    "a < b", "a <= b", "a > b", "a >= b", "a == b", "a != b", "a in b", "a not in b",
    "a is b", "a is not b", "a is None", "a < b < c", "a < b <= c < d", "a == b == c",
    "a and b", "a or b", "not a", "a and b or c", "not (a and b)", "a and not b",
    "x if c else y", "x if c else y if d else z", "(x if c else y) + 1",
    # subscripts and slices
    "lst[0]", "lst[9]", "lst[10]", "lst[-1]", "lst[-10]", "lst[-11]", "lst[i]", "lst[i + 1]",
    "lst[i][j]", "lst[-i]", "lst[-(i + 1)]", "lst[len(lst) - 2]", "d[k]", "d['a']",
    "d[k][0]", "s[i]", "m[i, j]", "lst[1:]", "lst[:1]", "lst[:-1]", "lst[-1:]", "lst[2:5]",
    "lst[a:b]", "lst[:]", "lst[::-1]", "lst[::2]", "lst[::-2]", "lst[1::2]", "lst[a:b:c]",
    "lst[5:1:-1]", "lst[a::-1]", "lst[:b:-1]", "lst[0:]", "s[::-1]", "lst[i:i + 2]",
    "(a + b)[0]", "f(x)[0]", "lst[0][1:]",
    # f-strings and formatting
    "f'{a}'", "f'{a}-{b}'", "f'{a:>5}'", "f'{x:.3f}'", "f'{a!r}'", "f'{a!s}:{b}'", "f''",
    "f'{{literal}}'", "'%s=%d' % (k, v)", "'{}:{}'.format(a, b)", "'{a}'.format(a=1)",
    # comprehensions
    "[x for x in lst]", "[x * 2 for x in lst if x > 0]", "[x for x in lst if x if x != 3]",
    "[c for c in s if c.isdigit()]", "[(i, c) for i, c in enumerate(s)]",
    "[x + y for x in a for y in b]", "[x for row in grid for x in row]",
    "{x % 3 for x in lst}", "{k: v for k, v in d.items() if v}", "{c: s.count(c) for c in s}",
    "(x for x in lst)", "sum(x for x in lst if x % 2 == 0)", "[i for i in range(n)]",
    "[[0] * n for _ in range(n)]", "[a for a, b in zip(lst, nums) if a == b]",
    # lambdas
    "lambda x: x + 1", "lambda: 0", "lambda a, b: a * b", "lambda p: (p[1], p[0])",
    # builtins
    "len(lst)", "int(s)", "int('101', 2)", "int(f)", "int()", "float(s)", "float('nan')",
    "str(num)", "str()", "bool(x)", "bool()", "abs(x)", "min(a, b)", "min(a, b, c)",
    "min(lst)", "max(lst)", "min(lst, key=len)", "max(lst, key=lambda w: len(w))",
    "max(lst, key=str.lower)", "max(d, key=d.get)", "min(lst, default=0)",
    "max(x for x in lst)", "min(lst, key=f)", "sum(lst)", "sum(lst, 0)", "sum(lst, start=5)",
    "sorted(lst)", "sorted(lst, reverse=True)", "sorted(lst, key=len)",
    "sorted(lst, key=lambda t: t[1], reverse=True)", "sorted(lst, key=f)",
    "sorted(lst, reverse=flag)", "reversed(lst)", "range(n)", "range(2, n)",
    "range(0, n, 3)", "range(n, -1, -1)", "range(a, b, c)", "range(len(s))", "enumerate(s)",
    "enumerate(s, start=1)", "zip(a, b)", "zip(a, b, c)", "map(int, lst)",
    "map(lambda x: x * x, lst)", "map(str.strip, lst)", "map(f, lst)", "map(f, a, b)",
    "filter(None, lst)", "filter(lambda x: x % 2, lst)", "filter(str.isalpha, lst)",
    "filter(f, lst)", "list(s)", "list()", "list(range(n))", "list(x for x in s)",
    "tuple(lst)", "tuple()", "set(lst)", "set()", "frozenset(lst)", "dict()", "dict(d)",
    "dict(pairs)", "dict(zip(a, b))", "dict(a=1, b=2)", "ord(c)", "chr(n)",
    "any(lst)", "all(lst)", "any(x > 1 for x in lst)", "all(x for x in lst)", "round(f)",
    "round(f, 2)", "round(f, ndigits=1)", "divmod(a, b)", "pow(a, b)", "pow(a, b, m)",
    "isinstance(x, int)", "isinstance(x, (list, tuple))", "isinstance(x, Foo)", "bin(n)",
    "hex(n)", "oct(n)", "iter(lst)", "next(it)", "next(it, None)", "helper(a)",
    "helper(a, b=2)", "helper(*args)", "helper(**kw)", "helper()", "max(*lst)",
    # attributes
    "x.real", "x.imag", "self.size", "obj.some_field",
]

# every public method of the value types, called with 0, 1 and 2 arguments
METHOD_EXPRS = sorted({
    f"x.{name}({args})"
    for tp in (str, list, dict, set, tuple, int, float, frozenset)
    for name in dir(tp) if not name.startswith("_")
    for args in ("", "a", "a, b")
})

SUBSET_STMTS = [
    "x = 1", "x = y = 0", "a, b = b, a", "a, b = 1, 2", "a, (b, c) = t", "a, *b = lst",
    "*a, b = lst", "a, *b, c = lst", "[a, b] = pair", "x[i] = v", "x[0] = v", "x[-1] = v",
    "d[k] = v", "x[i][j] = v", "x[1:3] = v", "x[:] = v", "x[::2] = v", "x: int = 1", "x: int",
    "x += 1", "x -= 1", "x *= 2", "x /= 2", "x //= 2", "x %= 2", "x **= 2", "x <<= 1",
    "x >>= 1", "x &= 1", "x |= 1", "x ^= 1", "x @= m", "s += 'a'", "lst += [1]", "lst += b",
    "d[k] += 1", "x[i] -= 1", "x = x - 1", "x = x * 2", "x = x // 2", "x = x / 2",
    "x = y + x", "del x[i]", "del x[0]", "del d[k]", "del x[1:]", "del x[:-1]", "del x[:]",
    "del x[a:b]", "del x, y", "del x[0], x[1]", "pass", "break", "continue", "return",
    "return x", "return x, y", "return x > 0", "return not x", "return None",
    "assert x", "assert x > 0, 'positive'", "assert not lst", "raise ValueError('bad')",
    "raise ValueError", "raise", "raise KeyError(k) from None", "global x", "nonlocal x, y",
    "import os", "from os import path", "helper(x)", "helper()", "x.upper()", "len(x)",
    "x", "'''A docstring.'''", "x = lst.pop()", "x = lst.pop(0)", "x = d.pop(k)",
    "x = d.pop(k, None)", "x = s.pop()", "k, v = d.popitem()", "x = y = lst.pop()",
    "x = 1; y = 2",
]

METHOD_STMTS = sorted({
    f"x.{name}({args})"
    for tp in (str, list, dict, set, tuple, int, float, frozenset)
    for name in dir(tp) if not name.startswith("_")
    for args in ("", "a", "a, b", "key=f", "reverse=True")
})

SWEEP_TYPES = [
    {},
    {"x": list, "lst": list, "nums": list, "s": str, "d": dict, "seen": set, "other": set,
     "num": int, "n": int, "f": float, "flag": bool, "a": int, "b": int, "c": int, "y": int},
    {"x": str}, {"x": dict}, {"x": set}, {"x": int}, {"x": tuple}, {"x": bool}, {"x": float},
]

SWEEP_GLOSSARY = {"num": "the number", "x": "the value", "lst": "the list", "i": "the index",
                  "s": "the text", "d": "the table"}


def verbalisers() -> list[Verbaliser]:
    out = [Verbaliser(types=t) for t in SWEEP_TYPES]
    out.append(Verbaliser(SWEEP_GLOSSARY, SWEEP_TYPES[1]))
    return out


def assert_english(text: str, code: str) -> None:
    assert text.strip(), code
    assert python_syntax_in(text) == [], (code, text)


@pytest.mark.parametrize("code", SUBSET_EXPRS + METHOD_EXPRS)
def test_sweep_expressions_render_as_english(code: str) -> None:
    node = cst.parse_expression(code)
    for v in verbalisers():
        assert_english(v.expr(node), code)
        assert_english(v.cond(node), code)
        assert_english(v.cond(node, negate=True), code)


@pytest.mark.parametrize("code", SUBSET_STMTS + METHOD_STMTS)
def test_sweep_statements_render_as_sentences(code: str) -> None:
    node = cst.parse_statement(code)
    for v in verbalisers():
        text = v.stmt(node)
        assert_english(text, code)
        assert text[0].isupper() and text.endswith("."), (code, text)


LOOP_HEADERS = [
    "for x in lst", "for c in s", "for k in d", "for i in range(n)", "for i in range(a, b, c)",
    "for i, x in enumerate(lst)", "for i, x in enumerate(lst, 1)", "for a, b in zip(x, y)",
    "for a, b, c in zip(x, y, z)", "for k, v in d.items()", "for k in d.keys()",
    "for v in d.values()", "for x in reversed(lst)", "for x in sorted(lst)",
    "for x in lst[1:]", "for a, b in pairs", "for (a, b), c in items", "for x in {1, 2}",
    "for x in range(len(lst) - 1)", "for ch in 'abc'", "for x in map(int, s)",
    "for x in filter(None, lst)", "for _ in range(3)", "for w in s.split()",
]


@pytest.mark.parametrize("header", LOOP_HEADERS)
def test_sweep_loop_headers(header: str) -> None:
    node = cst.parse_statement(f"{header}:\n    pass\n")
    for v in verbalisers():
        text = v.header(node)
        assert text.startswith("each "), text
        assert_english(text, header)


def test_every_expression_node_type_has_a_handler() -> None:
    expression_types = {
        obj for _, obj in inspect.getmembers(cst, inspect.isclass)
        if issubclass(obj, cst.BaseExpression) and not obj.__name__.startswith("Base")
        and not inspect.isabstract(obj)
    }
    assert expression_types - set(Verbaliser._EXPR) == set()


def test_every_small_statement_type_has_a_handler() -> None:
    statement_types = {
        obj for _, obj in inspect.getmembers(cst, inspect.isclass)
        if issubclass(obj, cst.BaseSmallStatement) and not obj.__name__.startswith("Base")
        and not obj.__name__.startswith("Lazy")
    }
    assert statement_types - set(Verbaliser._STMTS) == set()


def test_every_whitelisted_builtin_has_good_wording() -> None:
    from rulec.compiler.subset import BUILTIN_NAMES

    two_args = {"divmod": "a, b", "pow": "a, b", "isinstance": "x, int", "map": "f, lst",
                "filter": "f, lst", "zip": "a, b"}
    for name in sorted(BUILTIN_NAMES):
        text = V.expr(cst.parse_expression(f"{name}({two_args.get(name, 'lst')})"))
        assert_english(text, name)
        assert not text.startswith(f"the result of {name}"), (name, text)
