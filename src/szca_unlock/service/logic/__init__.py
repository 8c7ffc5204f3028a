"""What the routes call: one module per area; routes only parse, call, serialise."""
