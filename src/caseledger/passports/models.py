"""Pupil passports (issue 8); models arrive with the app."""
