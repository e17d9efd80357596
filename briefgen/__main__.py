"""`python -m briefgen` → the CLI."""

from .cli import main

raise SystemExit(main())
