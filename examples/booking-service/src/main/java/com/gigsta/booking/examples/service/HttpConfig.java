package com.gigsta.booking.examples.service;

import jakarta.servlet.DispatcherType;
import org.apache.catalina.Host;
import org.apache.catalina.Lifecycle;
import org.apache.catalina.Valve;
import org.apache.catalina.valves.ErrorReportValve;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.web.embedded.tomcat.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.util.unit.DataSize;

/**
 * The HTTP layer below Spring MVC: the limit on request bodies, and Tomcat's own error reports as problem
 * documents, so that every error the service answers is one.
 */
@Configuration
public class HttpConfig {

  /**
   * Refuses request bodies above {@code gigsta.http.max-body-size} (64 KB: the API's bodies are a few
   * hundred bytes) before Spring Security or Spring MVC reads a byte of them.
   */
  @Bean
  FilterRegistrationBean<RequestBodyLimit> requestBodyLimit(ProblemWriter problems,
      @Value("${gigsta.http.max-body-size:64KB}") DataSize maxBodySize) {
    FilterRegistrationBean<RequestBodyLimit> registration =
        new FilterRegistrationBean<>(new RequestBodyLimit(maxBodySize.toBytes(), problems));
    registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 10);
    registration.setDispatcherTypes(DispatcherType.REQUEST);
    return registration;
  }

  /**
   * Answers {@code Expect: 100-continue} only once the service reads the body, instead of at once: a client
   * that asks first then never sends a body the service refuses by its {@code Content-Length}.
   */
  @Bean
  WebServerFactoryCustomizer<TomcatServletWebServerFactory> continueOnRead() {
    return factory -> factory.addConnectorCustomizers(connector -> connector.setProperty("continueResponseTiming",
        "onRead"));
  }

  /**
   * Replaces Tomcat's error report valve (the HTML page, or the one Spring Boot configures) with
   * {@link ProblemErrorReportValve} on the host, once every customizer has run: just before the host starts.
   */
  @Bean
  WebServerFactoryCustomizer<TomcatServletWebServerFactory> problemErrorReports(ProblemWriter problems) {
    return factory -> factory.addContextCustomizers(context -> {
      Host host = (Host) context.getParent();
      host.addLifecycleListener(event -> {
        if (!Lifecycle.BEFORE_START_EVENT.equals(event.getType())) {
          return;
        }
        for (Valve valve : host.getPipeline().getValves()) {
          if (valve instanceof ErrorReportValve && !(valve instanceof ProblemErrorReportValve)) {
            host.getPipeline().removeValve(valve);
          }
        }
        // The host adds a valve of this class itself when it finds none: it finds this one.
        if (host instanceof org.apache.catalina.core.StandardHost standard) {
          standard.setErrorReportValveClass(ProblemErrorReportValve.class.getName());
        }
        host.getPipeline().addValve(new ProblemErrorReportValve(problems));
      });
    });
  }
}
