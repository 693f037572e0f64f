import sys

from clustermapper.cli import main

sys.exit(main())
