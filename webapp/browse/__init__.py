"""Browsing the graph: resource pages and the vocabulary (resources.py), search and the library
(find.py), index pages per kind and the concept trees (lists.py). Each route module defines its own
blueprint, named after the module, beside its routes; `webapp.create_app` registers them.

Route modules may import respond.py (shared helpers: RDF twins, negotiation headers, paging,
filters, JSON of hits, template helpers), webapp's shared modules (urls, negotiation, i18n,
state) and graph/; never another route module. respond.py imports no route module.
"""
