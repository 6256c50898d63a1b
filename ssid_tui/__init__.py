"""ssid-tui: validate, match and review CALPADS SENR files against the SSID registry."""

__version__ = "0.1.0"
