/**
 * The NamiDB engine: a property-graph database whose whole state lives on object storage. A plain
 * Java library with no framework dependency (DESIGN §1); the writer service and CLI build on it.
 */
package io.namidb.engine;
