"""docs2models: typed Python models and errors from Speakeasy-style Markdown docs."""

__version__ = "0.1.0"
