"""The SPARQL area: the endpoint and its editor (endpoint.py), downloads and the dataset's VoID/DCAT
description (downloads.py), and the saved example queries (queries.py). Each route module defines
its own blueprint, named after the module, beside its routes; `webapp.create_app` registers them.

Route modules may import common.py (site URL, graphs and counts, saved queries, CORS, template
helpers), service.py (worker pool and caches), protocol.py (the SPARQL Protocol's request side),
webapp's shared modules and graph/; never another route module. The helpers import no route module.
"""
