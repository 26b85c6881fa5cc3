-- Parley schema, version 4: open uploads by their last write. Re-runnable (decisions/schema-migrations.md).
--
-- Every UploadStart and every chunk's disk check asks how much the active open uploads may still write
-- (H2FileStore.reservedBytes: file_id IS NULL AND updated_at >= ?); without an index that was a scan of every
-- upload row, finished ones included (they are kept for upload-expiry-hours). The hourly expiry's
-- "file_id IS NULL AND updated_at < ?" uses the same index.
CREATE INDEX IF NOT EXISTS uploads_open ON uploads (file_id, updated_at);
