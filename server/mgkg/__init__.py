"""MGKG: the Migration Governance Knowledge Graph and its linked-data server."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("mgkg")
except PackageNotFoundError:  # running from a source tree without installation
    __version__ = "0.0.0+source"
