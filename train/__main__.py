"""`python -m rulec.train ...` (the same commands as `rulec train ...`; what
`accelerate launch -m rulec.train` runs on every process)."""

from rulec.train.cli import main

if __name__ == "__main__":
    main()
