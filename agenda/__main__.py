"""`python -m agenda` runs the boardclerk command line."""

from agenda.cli.main import main

if __name__ == "__main__":
    main()
