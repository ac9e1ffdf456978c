"""HTTP only: routes, content negotiation, headers and status codes, over the rooms below."""
