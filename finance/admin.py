"""Admin registrations for the finance app's models (it has none yet)."""
