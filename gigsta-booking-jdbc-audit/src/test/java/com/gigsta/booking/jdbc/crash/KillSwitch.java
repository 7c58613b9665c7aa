package com.gigsta.booking.jdbc.crash;

import com.gigsta.booking.ChangeConsumer;
import com.gigsta.booking.FeedChange;
import com.gigsta.booking.spi.PaymentHooks;
import com.gigsta.booking.spi.PaymentRequest;
import java.io.PrintStream;
import java.util.Arrays;

/**
 * The point at which a child process waits to be killed. When the armed point is reached for the
 * {@code at}-th time, the child prints {@code KILLPOINT <code> <pid> <detail>} and blocks for good; the
 * parent then kills it with SIGKILL. Every other point passes. Not thread-safe: the crash child runs on
 * one thread.
 */
final class KillSwitch {

  /** Where a child can be killed. */
  enum Point {
    /** (a) perform or requestBooking returned: the change is recorded, nothing of it delivered. */
    AFTER_PERFORM('a', 12),
    /** (b) the worker is about to call the provider for a settlement. */
    BEFORE_PROVIDER('b', 6),
    /** (c) the provider answered a settlement; the worker has not marked it done. */
    AFTER_PROVIDER('c', 6),
    /** (d) the second settlement of one sweep is about to be made; the first is marked done. */
    MID_BATCH('d', 2),
    /** (e) the provider secured payment; the change is not appended. */
    SECURED_UNRECORDED('e', 3),
    /** (f) the consumer committed what it was given; the worker has not marked it done. */
    CONSUMER_RECORDED('f', 12),
    /** (g) a transaction of the trail ran all its statements and is about to commit. */
    BEFORE_COMMIT('g', 24),
    /** (h) a transaction of the trail committed; the trail has not gone on. */
    AFTER_COMMIT('h', 24);

    final char code;
    /** The highest {@code at} the parent picks for this point, so that most children reach it. */
    final int maxAt;

    Point(char code, int maxAt) {
      this.code = code;
      this.maxAt = maxAt;
    }

    static Point of(char code) {
      return Arrays.stream(values()).filter(p -> p.code == code).findFirst()
          .orElseThrow(() -> new IllegalArgumentException("no kill point " + code));
    }
  }

  private final PrintStream out;
  private Point armed;
  private int at;
  private int reached;
  private int settlementsThisSweep;

  /** A switch that arms nothing yet and announces on {@code out}. */
  KillSwitch(PrintStream out) {
    this.out = out;
  }

  /** Blocks at the {@code at}-th time {@code point} is reached from now on; null arms nothing. */
  void arm(Point point, int at) {
    this.armed = point;
    this.at = at;
    this.reached = 0;
  }

  /** Tells the switch a new sweep starts, for {@link Point#MID_BATCH}. */
  void newSweep() {
    settlementsThisSweep = 0;
  }

  /** Passes, or announces the point and blocks until killed. */
  void reach(Point point, String detail) {
    if (point != armed || ++reached != at) {
      return;
    }
    out.println("KILLPOINT " + point.code + " " + ProcessHandle.current().pid() + " " + detail);
    out.flush();
    while (true) {
      try {
        Thread.sleep(Long.MAX_VALUE);
      } catch (InterruptedException e) {
        // Nothing ends this wait but the kill.
      }
    }
  }

  /** Wraps the provider with the provider's kill points. */
  PaymentHooks around(PaymentHooks provider) {
    return new PaymentHooks() {
      @Override
      public void secure(PaymentRequest request) {
        provider.secure(request);
        reach(Point.SECURED_UNRECORDED, request.idempotencyKey());
      }

      @Override
      public void release(PaymentRequest request) {
        settle(request, () -> provider.release(request));
      }

      @Override
      public void refund(PaymentRequest request) {
        settle(request, () -> provider.refund(request));
      }

      @Override
      public void capture(PaymentRequest request) {
        settle(request, () -> provider.capture(request));
      }

      @Override
      public void payout(PaymentRequest request) {
        settle(request, () -> provider.payout(request));
      }
    };
  }

  private void settle(PaymentRequest request, Runnable call) {
    if (++settlementsThisSweep >= 2) {
      reach(Point.MID_BATCH, request.idempotencyKey());
    }
    reach(Point.BEFORE_PROVIDER, request.idempotencyKey());
    call.run();
    reach(Point.AFTER_PROVIDER, request.idempotencyKey());
  }

  /** Wraps the consumer with its kill point. */
  ChangeConsumer around(ChangeConsumer consumer) {
    return change -> {
      consumer.deliver(change);
      reach(Point.CONSUMER_RECORDED, describe(change));
    };
  }

  static String describe(FeedChange change) {
    return change.bookingId() + ":" + change.sequence();
  }
}
