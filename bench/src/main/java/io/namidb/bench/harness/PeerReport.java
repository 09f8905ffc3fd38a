package io.namidb.bench.harness;

import java.util.List;

/**
 * What an engine run produced: its figures and its answers to the probes. Peer programs write it as
 * JSON with the same field names.
 */
public record PeerReport(List<Measurement> measurements, Answers answers) {}
