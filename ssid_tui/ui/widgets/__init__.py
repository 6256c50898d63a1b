"""Widgets of the review screen: status bar, queue list, candidate list, comparison."""
