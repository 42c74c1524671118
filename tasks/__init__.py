"""The 88 rule-following tasks of the Meta-RFFT paper."""

from rulec.tasks.base import Task
from rulec.tasks.registry import all_tasks, get_task, task_names

__all__ = ["Task", "all_tasks", "get_task", "task_names"]
