"""The command line: parses arguments, calls the use cases, prints results. No rules here."""
