package io.namidb.writer.service;

import io.namidb.engine.manifest.Manifest;

/**
 * Who holds a namespace, as its newest manifest says (the manifest is the truth, DESIGN §4): what a
 * fenced writer reports about the writer that took the namespace from it.
 *
 * @param writerId the id of the writer that wrote the newest manifest
 * @param epoch that manifest's writer epoch
 * @param manifestVersion the newest manifest's version
 * @param sealed the namespace was purged: nobody may claim it again
 */
public record NamespaceHolder(String writerId, long epoch, long manifestVersion, boolean sealed) {
  static NamespaceHolder of(Manifest manifest) {
    return new NamespaceHolder(
        manifest.writerId(), manifest.writerEpoch(), manifest.version(), manifest.sealed());
  }

  /** {@code writerId=… epoch=… manifestVersion=…} (and {@code sealed=true}), for messages. */
  public String describe() {
    return "writerId="
        + writerId
        + " epoch="
        + epoch
        + " manifestVersion="
        + manifestVersion
        + (sealed ? " sealed=true" : "");
  }
}
