"""Support plans (issue 8); models arrive with the app."""
