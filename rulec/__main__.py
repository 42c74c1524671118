"""python -m rulec"""

from rulec.cli import main

main()
