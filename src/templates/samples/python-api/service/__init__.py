"""Sample service written by hardened-service-kit: health checks, pooled PostgreSQL, Redis."""
