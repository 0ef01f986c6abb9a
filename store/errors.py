"""Errors a user can meet, with messages written for that user."""


class EventmapError(Exception):
    """Base of the errors the command line and the GUI turn into a message."""


class WorkspaceError(EventmapError):
    """The workspace file cannot be opened or written."""


class InputError(EventmapError):
    """An input file was skipped; the message says why in one line."""
