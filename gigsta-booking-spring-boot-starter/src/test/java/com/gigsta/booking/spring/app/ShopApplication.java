package com.gigsta.booking.spring.app;

import com.gigsta.booking.spi.PaymentHooks;
import com.gigsta.booking.testing.FakeProcessor;
import java.time.Clock;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;

/**
 * A new application with nothing of gigsta-booking's but the starter: its own clock (which the tests move)
 * and payment provider (the library's fake processor); the trail, engine and worker come from the starter.
 */
@SpringBootApplication
public class ShopApplication {

  /** The clock the next context started is given; set by the tests. */
  static volatile Clock nextClock = Clock.systemUTC();

  @Bean
  Clock clock() {
    return nextClock;
  }

  @Bean
  FakeProcessor cardProcessor(Clock clock) {
    return FakeProcessor.builder().withClock(clock).build();
  }

  @Bean
  PaymentHooks paymentHooks(FakeProcessor cardProcessor) {
    return cardProcessor.hooks();
  }
}
