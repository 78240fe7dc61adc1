"""Database access: connection URL resolution, engine, local cluster, migrations."""
