"""Modal screens of the review app: help, filter menu, bulk accept, export."""
