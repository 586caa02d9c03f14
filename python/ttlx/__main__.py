# SPDX-License-Identifier: Apache-2.0
"""`python -m ttlx run FILE.py`."""

import sys

from .cli import main

sys.exit(main())
