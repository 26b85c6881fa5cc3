-- Parley schema, version 18: blocks of file content up to 1 MiB (JdbcFileStore.MAX_BLOCK), so that a 256 KiB chunk
-- is stored as one row as it came, without being split and copied into 16 KiB blocks (setting file-block-kib;
-- docs/decisions/file-storage.md). Blocks already stored keep their size: reads find blocks of any size. Widening a
-- VARBINARY changes only the table's definition, not its rows. Re-runnable (decisions/schema-migrations.md).
ALTER TABLE blob_blocks ALTER COLUMN data SET DATA TYPE VARBINARY(1048576);
