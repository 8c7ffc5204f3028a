"""Request and response bodies of the service API, one module per area."""
