"""szca-unlock: the Shenzhen CA online service hall (网厅) U-KEY unlock implementation."""

__version__ = "0.1.0"
