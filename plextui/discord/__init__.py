"""Discord: one now-playing card rendered to presence, webhook embeds and text; remote commands."""
