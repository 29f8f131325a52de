"""Forms of the editorial screens; each turns the core's problems into field errors."""
