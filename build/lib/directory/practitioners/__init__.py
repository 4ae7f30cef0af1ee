"""Practitioner profiles and the patient-facing search."""
