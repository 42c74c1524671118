"""rulec: compile rules written as Python functions into rule-following training data."""

__version__ = "0.1.0"
