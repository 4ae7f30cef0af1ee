"""Invitations, verified testimonials, responses, reports, moderation and ratings."""
