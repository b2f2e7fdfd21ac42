"""Track A pages: ``applications`` (附件1 and the offices' steps), ``reviews`` (the expert group), ``committees``."""

from .applications import *  # noqa: F401,F403
from .committees import *  # noqa: F401,F403
from .reviews import *  # noqa: F401,F403
