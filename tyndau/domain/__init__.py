"""Shapes and ports every layer shares; imports nothing of the application's own."""
