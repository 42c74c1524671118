"""leetcode."""
