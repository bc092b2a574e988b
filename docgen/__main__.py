"""`python -m docgen`: the same command line as `docgen`."""

from docgen.cli import main

main(prog_name="docgen")
