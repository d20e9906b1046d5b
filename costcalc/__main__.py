"""`python -m costcalc`: the same as the costcalc command."""

from costcalc.cli import main

main()
