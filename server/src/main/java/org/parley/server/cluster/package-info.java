/**
 * Several server nodes on one database: {@link org.parley.server.cluster.ClusterNode} carries what must cross
 * nodes (pushes, presence, membership invalidations, stored conversations, who is online where) as events over a
 * {@link org.parley.server.cluster.ClusterBus}, whose adapter is NATS ({@link org.parley.server.cluster.NatsBus}).
 * Nothing here is constructed with {@code cluster=off}. See docs/scale-out.md and
 * docs/decisions/cluster-messaging.md.
 */
package org.parley.server.cluster;
