"""Submissions: "Voeg zelf kennis toe" (contribute.py, /bijdragen) and moderation by editors
(redactie.py, /redactie), plus the command-line part (cli.py: editors, export, import). Each route
module defines its own blueprint, named after the module, beside its routes; `webapp.create_app`
registers them and calls `submissions.init_app`.

Route modules may import the helpers submissions.py (the database and its accessor), auth.py
(editors' sessions), hooks.py (rate limit and CSRF guard, no-store, template helpers) and forms.py
(the form's context), webapp's shared modules and graph/; never another route module. The helpers
import no route module; auth.py imports only submissions.py of this package.
"""
