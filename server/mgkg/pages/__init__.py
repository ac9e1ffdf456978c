"""What people read: pages built from any store, shared by the server and the static mirror (no HTTP)."""
