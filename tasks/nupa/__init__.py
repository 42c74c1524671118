"""nupa."""
