"""The Textual front end; the only code that imports textual."""
