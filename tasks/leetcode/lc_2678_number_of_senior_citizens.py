"""LeetCode 2678. Number of Senior Citizens."""

from rulec.tasks.base import Task

RULE = """\
def count_seniors(details):
    count = 0
    for detail in details:
        age = int(detail[11:13])
        if age > 60:
            count += 1
    return count
"""


def generate(length, rng):
    # length = number of passengers
    details = []
    for _ in range(length):
        phone = "".join(rng.choice("0123456789") for _ in range(10))
        gender = rng.choice("MFO")
        age = rng.randint(55, 66) if rng.random() < 0.4 else rng.randint(1, 99)
        seat = rng.randint(0, 99)
        details.append(f"{phone}{gender}{age:02d}{seat:02d}")
    return {"details": details}


def question(inputs):
    return (
        f"Given the passenger details {inputs['details']}, each a string of length 15 where the "
        "first ten characters are the phone number, the next character is the gender, the "
        "following two characters are the age and the last two characters are the seat, "
        "return the number of passengers who are strictly more than 60 years old."
    )


def reference(details):
    return sum(1 for d in details if int(d[-4]) * 10 + int(d[-3]) > 60)


TASK = Task(
    name="lc_2678_number_of_senior_citizens",
    source="leetcode",
    split="pretrain",
    description="Count passengers older than 60 from fixed-width detail strings.",
    length="number of passengers",
    rule=RULE,
    generate=generate,
    question=question,
    reference=reference,
    glossary={
        "details": "the passenger details",
        "detail": "the passenger",
        "age": "the age",
        "count": "the number of seniors",
    },
)
