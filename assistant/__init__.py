"""Routewijzer: a Dutch knowledge-base FAQ assistant for vocational-education routes."""

__version__ = "0.1.0"
