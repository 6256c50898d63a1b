"""SENR validation as CALPADS does it: every error at once, any error fails the file."""
