"""Mirror subscribers: the now-playing card on the bus, shown as Rich Presence and a webhook card."""
