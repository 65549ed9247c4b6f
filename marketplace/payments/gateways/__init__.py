"""Payment gateways: one interface (``base.Gateway``), one module per provider."""
