"""Text to documents, passages, place mentions, dates and events."""
