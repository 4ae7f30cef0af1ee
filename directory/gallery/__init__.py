"""Before/after galleries: practitioners' treatment results, with recorded patient consent."""
