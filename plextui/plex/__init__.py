"""The only code that imports plexapi: server, players (remote and mpv), events."""
