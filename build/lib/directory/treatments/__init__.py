"""Treatments: the reference data that profiles, testimonials and galleries point to."""
