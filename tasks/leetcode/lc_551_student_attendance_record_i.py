"""LeetCode 551. Student Attendance Record I."""

from rulec.tasks.base import Task

RULE = '''\
def check_record(s):
    absent = 0
    late_streak = 0
    for ch in s:
        if ch == "A":
            absent += 1
            if absent >= 2:
                return False
            late_streak = 0
        elif ch == "L":
            late_streak += 1
            if late_streak >= 3:
                return False
        else:
            late_streak = 0
    return True
'''


def _ok(s):
    return s.count("A") < 2 and "LLL" not in s


def generate(length, rng):
    # length = number of days (characters of s)
    chars = []
    for _ in range(length):
        if len(chars) >= 2 and chars[-1] == chars[-2] == "L":
            chars.append("P")
        else:
            chars.append(rng.choice("PPL"))
    if rng.random() < 0.5:
        chars[rng.randrange(length)] = "A"
    if length >= 2 and rng.random() < 0.5:
        if length >= 3 and rng.random() < 0.5:
            i = rng.randrange(length - 2)
            chars[i:i + 3] = ["L", "L", "L"]
        else:
            for i in rng.sample(range(length), 2):
                chars[i] = "A"
    return {"s": "".join(chars)}


def question(inputs):
    return (
        f'You are given a string s = "{inputs["s"]}" representing an attendance record for a '
        "student where each character signifies whether the student was absent ('A'), late "
        "('L'), or present ('P') that day. The student is eligible for an attendance award if "
        "they were absent for strictly fewer than 2 days total and were never late for 3 or "
        "more consecutive days. Return True if the student is eligible, or False otherwise."
    )


def reference(s):
    return _ok(s)


TASK = Task(
    name="lc_551_student_attendance_record_i",
    source="leetcode",
    split="pretrain",
    description="Decide whether an attendance record (A/L/P) earns the award.",
    length="number of days (characters of s)",
    rule=RULE,
    generate=generate,
    question=question,
    reference=reference,
    glossary={"s": "the attendance record", "absent": "the number of absences",
              "late_streak": "the current run of late days", "ch": "the current day"},
)
