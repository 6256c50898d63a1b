"""Modal screens of the review app: help, filter menu, search, bulk accept, export."""
