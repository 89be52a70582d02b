"""The negotiation desk: domain, analysis, workspace, CLI and app entry point."""

__version__ = "0.1.0"
