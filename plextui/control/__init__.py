"""Behaviour: the Controller (every state change), answers, and the runtime that composes the parts."""
