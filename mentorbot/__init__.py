"""mentorbot: runs hashtag-guided mentorship programs in medicine on X."""
from __future__ import annotations

__version__ = "0.1.0"
__all__ = ["__version__"]
