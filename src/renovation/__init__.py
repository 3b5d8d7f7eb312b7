"""renovation — event-sourced workflow engine for rural housing renovation (农村危房改造)."""

__version__ = "0.1.0"
