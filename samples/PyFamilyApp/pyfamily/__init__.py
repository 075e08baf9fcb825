"""PyFamily: a family video backend in Python's standard library, written from API.md (no TeenMode SDK)."""

VERSION = "1.0.0"
