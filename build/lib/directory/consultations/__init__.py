"""Consultation requests between patients and practitioners, and their state machine."""
