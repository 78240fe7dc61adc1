"""FastAPI application and the `sia` command line."""
