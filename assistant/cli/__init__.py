"""The command line (`python -m assistant …`), thin over the library."""
