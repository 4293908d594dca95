"""Admin registrations for the facilities app's models (it has none yet)."""
