/**
 * Operations: the log format ({@link org.parley.server.ops.LogFormat}), metrics ({@link org.parley.server.ops.Metrics}),
 * health checks and online backups, served by {@link org.parley.server.ops.OpsHttpServer} (docs/operations.md).
 */
package org.parley.server.ops;
