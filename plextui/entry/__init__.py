"""Entry points: one small module per process; they wire parts together and nothing imports them."""
