"""Roles and rules: (system prompt, instruction, response) triplets from instruction data."""
