"""Network views for policymakers: concept map, ego networks, paths, comparison, matrix, metrics
(views.py, blueprint 'network', defined beside its routes; `webapp.create_app` registers it).

views.py may import respond.py (formats of the network answers), webapp's shared modules (urls,
negotiation, i18n, state) and graph/; respond.py imports no route module.
"""
