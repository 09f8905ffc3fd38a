package io.namidb.operator.controller;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Clock;

/** CDI producers for what the operator injects but does not own. */
public class OperatorBeans {
  /** The one clock of the operator (condition and event times). */
  @Produces
  @Singleton
  Clock clock() {
    return Clock.systemUTC();
  }
}
