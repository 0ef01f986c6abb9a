"""The dock panels of the main window. Each reads data it is given and emits what the analyst
picks; none of them opens the workspace."""
