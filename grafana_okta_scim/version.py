"""The package version, in a leaf module the rest can import without the package root."""

__version__ = "0.2.0"
