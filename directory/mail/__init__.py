"""Mail: an outbox written in the caller's transaction, delivered by `flask --app wsgi worker`.

Other packages call `directory.mail.outbox.enqueue` (and `frontend_link` for the links they
put in a mail); everything else here is the worker, the templates and the HTTP routes.
"""
