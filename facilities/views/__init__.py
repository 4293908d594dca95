"""Facilities pages: one module per feature (registry and beds, equipment, inspections)."""
