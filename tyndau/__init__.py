"""Tyndau: live operations for akims' public meetings with citizens."""
