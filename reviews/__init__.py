"""Reviews: the Review model, its services and selectors, the pages, the admin and the REST API."""
