"""`python -m cramp_cli` runs the same command as `cramp`."""

from cramp_cli.cli import main

if __name__ == "__main__":
    main()
