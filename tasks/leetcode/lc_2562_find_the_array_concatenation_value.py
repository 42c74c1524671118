"""LeetCode 2562. Find the Array Concatenation Value."""

from rulec.tasks.base import Task

RULE = '''\
def find_the_array_conc_val(nums):
    value = 0
    while nums:
        if len(nums) > 1:
            first = nums.pop(0)
            last = nums.pop()
            value += int(str(first) + str(last))
        else:
            value += nums.pop()
    return value
'''


def generate(length, rng):
    # length = number of elements of nums
    return {"nums": [rng.randint(1, rng.choice([9, 99, 999])) for _ in range(length)]}


def question(inputs):
    return (
        f"You are given an integer array nums = {inputs['nums']}. The concatenation of two "
        "numbers is the number formed by concatenating their numerals (for example, the "
        "concatenation of 15 and 49 is 1549). The concatenation value of nums is initially 0. "
        "Perform this operation until nums becomes empty: if nums has more than one element, "
        "add the concatenation of the first and the last element to the concatenation value "
        "and remove those two elements; if only one element exists, add its value to the "
        "concatenation value and remove it. Return the concatenation value of nums."
    )


def reference(nums):
    total = 0
    i, j = 0, len(nums) - 1
    while i < j:
        total += nums[i] * 10 ** len(str(nums[j])) + nums[j]
        i += 1
        j -= 1
    if i == j:
        total += nums[i]
    return total


TASK = Task(
    name="lc_2562_find_the_array_concatenation_value",
    source="leetcode",
    split="pretrain",
    description="Sum the concatenations of first/last element pairs of an array.",
    length="number of elements of nums",
    rule=RULE,
    generate=generate,
    question=question,
    reference=reference,
    glossary={"nums": "the remaining array", "value": "the concatenation value",
              "first": "the front number", "last": "the back number"},
)
