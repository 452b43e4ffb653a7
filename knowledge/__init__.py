"""Career Coach knowledge base: YAML facts from one article -> validated -> SQL -> typed records."""
