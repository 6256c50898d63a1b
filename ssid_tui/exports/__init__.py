"""What leaves the workspace: the SSID Match Results file, SIS files, the report, marked results read back."""
