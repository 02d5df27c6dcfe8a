"""`python -m cramp_cli` runs the same command as `cramp`."""

from cramp_cli.entry import main

if __name__ == "__main__":
    main()
