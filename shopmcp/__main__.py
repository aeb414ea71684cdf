import sys

from shopmcp.cli import main

sys.exit(main())
