"""The API's plumbing, shared by every feature under /api/v1/: errors, parsers, renderers, rates, schema, the URL root."""
