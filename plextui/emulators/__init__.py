"""Loopback stand-ins for Plex Media Server, Plex players, Discord IPC and Discord REST.

Nothing here imports the client side of plextui: the emulators must not share code with what
they test, and other Plex software can use them too.
"""
