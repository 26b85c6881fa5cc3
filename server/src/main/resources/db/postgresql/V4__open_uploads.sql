-- Parley schema, version 4, for PostgreSQL: open uploads by their last write (db/h2/V4__open_uploads.sql).
CREATE INDEX IF NOT EXISTS uploads_open ON uploads (file_id, updated_at);
