package io.namidb.operator.controller;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Limits how many writers the operator restarts at once for changes of its own: a new default
 * writer image, other operator configuration, a new operator version. Without it, bumping the
 * operator's default image would restart every tenant's writer together.
 *
 * <p><b>Whose change.</b> Each writer Deployment carries two labels: {@value #TEMPLATE_LABEL}, a
 * hash of the pod template the operator last applied, and {@value #INPUTS_LABEL}, a hash of what of
 * the resource shapes that template ({@code spec.storage}, {@code spec.writer}, {@code
 * spec.restore} and whether a restore is pending). Labels, not annotations: a change of a
 * Deployment's annotations bumps its generation (they are copied to its ReplicaSets), so the
 * Deployment would count as rolling out until the controller caught up. A new template with new
 * inputs is the tenant's own change and is applied at once, with the operator's current defaults. A
 * new template with the same inputs is the operator's: it needs a slot.
 *
 * <p><b>Slots.</b> At most {@code namidb.operator.max-concurrent-writer-rollouts} writers ({@code
 * N}, or {@code P%} of the writers that run, rounded up, at least one) roll for the operator's
 * changes at a time. A Deployment rolled in a slot is marked {@value #ROLLOUT_LABEL}{@code
 * =operator} and holds the slot until its updated replica is available; a rollout that never
 * becomes available (a bad new image) keeps its slot, so a broken image stops at {@code N} tenants.
 * Writers that serve nothing (not available, suspended) roll at once and hold no slot: restarting
 * them costs no one anything. The other tenants keep their old template, untouched, and wait in
 * first-come order; their status says {@code RolloutQueued}. When a slot frees, the reconciler
 * wakes the next ones in line ({@link #next}).
 *
 * <p>State that is not in the Deployments (the queue, slots granted a moment ago whose Deployment
 * update is not in the informer cache yet) lives in this object: one per operator process, which is
 * right because only the leader reconciles. A new leader rebuilds the queue as it reconciles every
 * resource at start; the slots in use are read from the labels.
 */
final class WriterRollouts {
  static final String TEMPLATE_LABEL = "namidb.io/writer-template";
  static final String INPUTS_LABEL = "namidb.io/writer-inputs";
  static final String ROLLOUT_LABEL = "namidb.io/rollout";
  static final String ROLLOUT_OPERATOR = "operator";

  /** Reason of a tenant whose writer waits for a slot. */
  static final String ROLLOUT_QUEUED = "RolloutQueued";

  /** A grant whose Deployment update never showed up (the update failed) is dropped after this. */
  private static final Duration GRANT_TTL = Duration.ofMinutes(2);

  /** A queued tenant not seen again for this long (deleted, or no change any more) leaves it. */
  static final Duration QUEUE_RECHECK = Duration.ofSeconds(30);

  private static final Duration QUEUE_STALE = QUEUE_RECHECK.multipliedBy(3);

  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();
  private static final ObjectMapper CANONICAL =
      new ObjectMapper().configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);

  private final Limit limit;
  private final Clock clock;

  /** Slots granted whose Deployment does not show the grant in the cache yet. */
  private final Map<ResourceID, Grant> granted = new LinkedHashMap<>();

  /** Tenants waiting for a slot, in the order they first asked; the value: when last asked. */
  private final LinkedHashMap<ResourceID, Instant> queue = new LinkedHashMap<>();

  private record Grant(String template, Instant at) {}

  WriterRollouts(Limit limit, Clock clock) {
    this.limit = limit;
    this.clock = clock;
  }

  /**
   * What to do with a tenant's writer Deployment.
   *
   * @param apply whether to apply the desired Deployment (false: leave it as it is, queued)
   * @param holdsSlot whether the applied Deployment is marked as rolling in a slot
   * @param queuedMessage why it waits, when queued
   */
  record Decision(boolean apply, boolean holdsSlot, String queuedMessage) {
    static Decision apply(boolean holdsSlot) {
      return new Decision(true, holdsSlot, null);
    }
  }

  /**
   * Decides for tenant {@code id}, whose Deployment is {@code actual} (empty: not created yet) and
   * should be {@code desired}, with template hash {@code template} and inputs hash {@code inputs}.
   *
   * @param fleet every writer Deployment the operator manages (the informer's cache)
   */
  synchronized Decision decide(
      ResourceID id,
      Optional<Deployment> actual,
      Deployment desired,
      String template,
      String inputs,
      List<Deployment> fleet) {
    settle(fleet);
    if (actual.isEmpty()) {
      queue.remove(id);
      return Decision.apply(false); // a new writer: nothing restarts
    }
    Deployment d = actual.get();
    boolean holding = holdsSlot(d);
    if (template.equals(label(d, TEMPLATE_LABEL))) {
      queue.remove(id);
      return Decision.apply(holding || granted.containsKey(id));
    }
    String before = label(d, INPUTS_LABEL);
    boolean tenantChanged = before != null && !before.equals(inputs);
    boolean serving =
        replicas(desired) > 0 && replicas(d) > 0 && StatusAggregator.available(Optional.of(d));
    if (tenantChanged || !serving || holding) {
      // the tenant's own change, or no serving writer to protect, or already rolling in a slot
      queue.remove(id);
      return Decision.apply(holding || granted.containsKey(id));
    }
    if (granted.containsKey(id)) {
      return Decision.apply(true);
    }
    Instant now = clock.instant();
    queue.put(id, now); // keeps its place when already queued
    pruneQueue(now);
    int position = 0;
    for (ResourceID waiting : queue.keySet()) {
      if (waiting.equals(id)) {
        break;
      }
      position++;
    }
    if (position < free(fleet)) {
      queue.remove(id);
      granted.put(id, new Grant(template, now));
      return Decision.apply(true);
    }
    return new Decision(false, false, queuedMessage(d, desired));
  }

  /**
   * The queued tenants that may take a slot now, first in line first: the reconciler triggers their
   * reconciliation.
   */
  synchronized List<ResourceID> next(List<Deployment> fleet) {
    settle(fleet);
    pruneQueue(clock.instant());
    int free = free(fleet);
    List<ResourceID> next = new ArrayList<>();
    for (Iterator<ResourceID> it = queue.keySet().iterator(); it.hasNext() && free > 0; free--) {
      next.add(it.next());
    }
    return next;
  }

  /** Whether {@code id} waits for a slot. */
  synchronized boolean queued(ResourceID id) {
    return queue.containsKey(id);
  }

  /** A deleted tenant leaves the queue and gives back a slot granted a moment ago. */
  synchronized void forget(ResourceID id) {
    queue.remove(id);
    granted.remove(id);
  }

  private int free(List<Deployment> fleet) {
    long running = fleet.stream().filter(d -> replicas(d) > 0).count();
    long holding = fleet.stream().filter(WriterRollouts::holdsSlot).count();
    return limit.slots(running) - (int) holding - granted.size();
  }

  /** Grants whose Deployment now shows them leave the in-memory list; so do stale ones. */
  private void settle(List<Deployment> fleet) {
    Instant now = clock.instant();
    granted
        .entrySet()
        .removeIf(
            entry ->
                entry.getValue().at().plus(GRANT_TTL).isBefore(now)
                    || fleet.stream()
                        .anyMatch(
                            d ->
                                entry.getKey().equals(tenantOf(d))
                                    && entry
                                        .getValue()
                                        .template()
                                        .equals(label(d, TEMPLATE_LABEL))));
  }

  private void pruneQueue(Instant now) {
    queue.values().removeIf(seen -> seen.plus(QUEUE_STALE).isBefore(now));
  }

  /** A Deployment rolled in a slot whose updated replica is not available yet. */
  static boolean holdsSlot(Deployment d) {
    return ROLLOUT_OPERATOR.equals(label(d, ROLLOUT_LABEL))
        && d.getMetadata().getDeletionTimestamp() == null
        && replicas(d) > 0
        && !StatusAggregator.available(Optional.of(d));
  }

  private String queuedMessage(Deployment actual, Deployment desired) {
    String from = writerImage(actual);
    String to = writerImage(desired);
    String change =
        Objects.equals(from, to)
            ? "the operator's pod template for this writer changed (its configuration or version)"
            : "the operator's default writer image changed to " + to + " (running " + from + ")";
    return change
        + " and waits for a rollout slot: at most "
        + limit
        + " writers restart at a time for the operator's changes"
        + " (namidb.operator.max-concurrent-writer-rollouts). The writer keeps serving its current"
        + " pod template meanwhile; a change of this resource's spec.writer, spec.storage or"
        + " spec.restore rolls at once. deployment="
        + actual.getMetadata().getName();
  }

  private static String writerImage(Deployment d) {
    if (d.getSpec() == null || d.getSpec().getTemplate() == null) {
      return null;
    }
    return d.getSpec().getTemplate().getSpec().getContainers().stream()
        .filter(c -> Constants.WRITER_CONTAINER.equals(c.getName()))
        .map(Container::getImage)
        .findFirst()
        .orElse(null);
  }

  /** The NamiNamespace a writer Deployment belongs to (its instance label). */
  private static ResourceID tenantOf(Deployment d) {
    Map<String, String> labels = d.getMetadata().getLabels();
    String instance = labels == null ? null : labels.get(Constants.INSTANCE_LABEL);
    return new ResourceID(instance, d.getMetadata().getNamespace());
  }

  static String label(Deployment d, String key) {
    Map<String, String> labels = d.getMetadata().getLabels();
    return labels == null ? null : labels.get(key);
  }

  private static int replicas(Deployment d) {
    return d.getSpec() == null || d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas();
  }

  /**
   * A short hash of {@code value}'s JSON with object keys sorted, so that the order of a map built
   * from configuration does not change it.
   */
  static String hash(Object value) {
    try {
      Object plain = CANONICAL.readValue(SERIALIZATION.asJson(value), Object.class);
      byte[] json = CANONICAL.writeValueAsString(plain).getBytes(StandardCharsets.UTF_8);
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(json), 0, 12);
    } catch (JsonProcessingException | NoSuchAlgorithmException e) {
      throw new IllegalStateException("cannot hash " + value.getClass().getSimpleName(), e);
    }
  }

  /**
   * {@code namidb.operator.max-concurrent-writer-rollouts}: a count ({@code 2}) or a share of the
   * writers that run ({@code 10%}, rounded up); at least one slot either way.
   */
  record Limit(int count, int percent) {
    static Limit parse(String value) {
      String v = value == null ? "" : value.strip();
      try {
        if (v.endsWith("%")) {
          int percent = Integer.parseInt(v.substring(0, v.length() - 1).strip());
          if (percent >= 1 && percent <= 100) {
            return new Limit(0, percent);
          }
        } else {
          int count = Integer.parseInt(v);
          if (count >= 1) {
            return new Limit(count, 0);
          }
        }
      } catch (NumberFormatException e) {
        // below
      }
      throw new IllegalArgumentException(
          "invalid namidb.operator.max-concurrent-writer-rollouts: expected a count of at least 1"
              + " (e.g. 2) or a percentage from 1% to 100% (e.g. 10%). value="
              + value);
    }

    int slots(long runningWriters) {
      if (percent == 0) {
        return count;
      }
      return (int) Math.max(1, (runningWriters * percent + 99) / 100);
    }

    @Override
    public String toString() {
      return percent == 0 ? Integer.toString(count) : percent + "% of the running";
    }
  }
}
