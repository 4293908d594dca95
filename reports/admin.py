"""Admin registrations for the reports app's models (it has none yet)."""
