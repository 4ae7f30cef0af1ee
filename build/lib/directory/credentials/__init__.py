"""Certifications, their private documents, and admin verification."""
