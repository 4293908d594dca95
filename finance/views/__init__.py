"""Finance pages."""
