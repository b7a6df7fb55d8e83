"""Core pages: the home page and the health check (views.py, blueprint 'core', defined beside its
routes; `webapp.create_app` registers it). views.py may import webapp's shared modules
(urls, negotiation, i18n, state), webapp.browse.respond for negotiated answers, and graph/.
"""
