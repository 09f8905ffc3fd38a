/**
 * The NamiDB Kubernetes operator: reconciles {@code NamiNamespace} resources into a writer
 * Deployment, Service, backup CronJob and purge Job. It never touches object storage itself.
 */
package io.namidb.operator;
