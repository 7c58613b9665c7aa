package com.gigsta.booking;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.nio.file.Path;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class ModuleDescriptorTest {

  private static ModuleDescriptor descriptor() {
    // The finder scans the compiled classes, so it also sees packages the module keeps to itself.
    return ModuleFinder.of(Path.of("target", "classes")).find("com.gigsta.booking").orElseThrow().descriptor();
  }

  @Test
  void shouldExportOnlyTheApiAndTheSpi() {
    ModuleDescriptor module = descriptor();

    assertThat(module.name()).isEqualTo("com.gigsta.booking");
    assertThat(module.exports()).extracting(ModuleDescriptor.Exports::source)
        .containsExactlyInAnyOrder("com.gigsta.booking", "com.gigsta.booking.spi");
    assertThat(module.exports()).allSatisfy(export -> assertThat(export.isQualified()).isFalse());
    assertThat(module.packages()).contains("com.gigsta.booking.internal");
  }

  @Test
  void shouldRequireOnlyStatefulJSlf4jAndJacksonAnnotations() {
    assertThat(descriptor().requires().stream().map(ModuleDescriptor.Requires::name).collect(Collectors.toSet()))
        .containsExactlyInAnyOrder("java.base", "statefulj.fsm", "org.slf4j", "com.fasterxml.jackson.annotation");
  }
}
