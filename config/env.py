"""The one place that reads the environment (12-factor).

Settings modules import ``env`` and ``BASE_DIR`` from here; nothing else reads ``os.environ``
for configuration. A ``.env`` file at the project root is read when present (never committed).
"""

from pathlib import Path

import environ

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()

_env_file = BASE_DIR / ".env"
if _env_file.exists():
    environ.Env.read_env(str(_env_file))
