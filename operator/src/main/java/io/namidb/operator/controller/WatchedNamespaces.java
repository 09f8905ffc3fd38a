package io.namidb.operator.controller;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.api.config.ControllerConfigurationOverrider;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/** {@code namidb.operator.watch-namespaces} applied to a controller: all namespaces when empty. */
final class WatchedNamespaces {
  private WatchedNamespaces() {}

  static <R extends HasMetadata> void apply(
      OperatorConfig config, ControllerConfigurationOverrider<R> overrider) {
    Set<String> namespaces =
        config.watchNamespaces().orElse(List.of()).stream()
            .map(String::strip)
            .filter(ns -> !ns.isEmpty())
            .collect(Collectors.toCollection(HashSet::new));
    if (namespaces.isEmpty()) {
      overrider.watchingAllNamespaces();
    } else {
      overrider.settingNamespaces(namespaces);
    }
  }
}
