"""The `eventmap` command line and the PySide6 desktop app."""
