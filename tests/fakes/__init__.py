"""Fakes of external services (real servers speaking their contracts)."""
