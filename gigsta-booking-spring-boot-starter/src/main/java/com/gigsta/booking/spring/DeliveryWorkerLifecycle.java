package com.gigsta.booking.spring;

import com.gigsta.booking.DeliveryWorker;
import java.time.Duration;
import java.util.Objects;
import org.springframework.context.SmartLifecycle;

/**
 * Starts a {@link DeliveryWorker}'s sweeping thread when the application context has started, and stops
 * it, waiting for the sweep under way, when the context closes: before singletons such as the
 * {@code DataSource} are destroyed, so a sweep never runs against a closed pool. What is owed when it
 * stops stays stored and is delivered after the next start. Thread-safe.
 */
public final class DeliveryWorkerLifecycle implements SmartLifecycle {

  private final DeliveryWorker worker;
  private final Duration pollInterval;
  private boolean running;
  private boolean stopped;

  /**
   * Creates the lifecycle of one worker.
   *
   * @param worker the worker to start and stop
   * @param pollInterval how long the worker waits after a sweep that found nothing
   * @throws NullPointerException if an argument is null
   */
  public DeliveryWorkerLifecycle(DeliveryWorker worker, Duration pollInterval) {
    this.worker = Objects.requireNonNull(worker, "worker");
    this.pollInterval = Objects.requireNonNull(pollInterval, "pollInterval");
  }

  /**
   * Starts the worker's thread, unless it runs already.
   *
   * @throws IllegalStateException if it was stopped before: a worker's thread starts only once
   */
  @Override
  public synchronized void start() {
    if (running) {
      return;
    }
    if (stopped) {
      throw new IllegalStateException("a delivery worker's thread starts only once; refresh a new context instead");
    }
    worker.start(pollInterval);
    running = true;
  }

  /** Stops the worker's thread, waiting up to 10 seconds for the sweep under way. */
  @Override
  public synchronized void stop() {
    if (!running) {
      return;
    }
    worker.close();
    running = false;
    stopped = true;
  }

  @Override
  public synchronized boolean isRunning() {
    return running;
  }
}
