from legacy_compat.convert.cli import main

raise SystemExit(main())
