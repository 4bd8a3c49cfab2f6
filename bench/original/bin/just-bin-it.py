#!/usr/bin/python3
"""Starts the original just-bin-it from this folder (its packages beside this bin/)."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from just_bin_it.cli import main  # noqa: E402

if __name__ == "__main__":
    main()
