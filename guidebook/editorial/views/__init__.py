"""Staff and provider screens, one module per audience and task."""
