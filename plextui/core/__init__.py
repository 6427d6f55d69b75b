"""Pure domain: models, command grammar, time codes, quality ladder, rate limits (stdlib only)."""
