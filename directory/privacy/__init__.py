"""Privacy rights over the data the service holds: export (GDPR articles 15 and 20), erasure
(article 17) and retention (storage limitation). See PRIVACY.md at the top of the repository."""
