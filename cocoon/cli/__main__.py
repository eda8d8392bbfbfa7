"""`python -m cocoon.cli`: the same as the `cocoon` command."""

from cocoon.cli.main import main

main()
