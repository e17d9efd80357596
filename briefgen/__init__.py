"""briefgen: a folder of news articles + config.yaml → a sourced situation brief (HTML, PDF, JSON).

Public API (pinned by tests/test_api.py): build, load_config, BriefgenError and its subclasses.
"""

__version__ = "0.1.0"

from .errors import (BriefgenError, ConfigError, DeliveryError, IngestError, OutputError,  # noqa: E402
                     RenderError)
from .pipeline import build, load_config  # noqa: E402

__all__ = ["__version__", "build", "load_config", "BriefgenError", "ConfigError",
           "DeliveryError", "IngestError", "OutputError", "RenderError"]
