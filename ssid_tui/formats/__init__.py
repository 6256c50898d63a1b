"""The file layouts: SENR fields and code sets, the SENR reader, the ODS extract."""
