"""Entry point for `python -m assistant`."""

from assistant.cli.main import main

raise SystemExit(main())
