"""Geodata: layer catalogue, readers and validators, PostGIS schema and migrations, loaders."""
