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
    assertThat(module.exports()).filteredOn(export -> !export.isQualified())
        .extracting(ModuleDescriptor.Exports::source)
        .containsExactlyInAnyOrder("com.gigsta.booking", "com.gigsta.booking.spi");
    // The leaf argument checks are shared with the library's own modules and no one else.
    assertThat(module.exports()).filteredOn(ModuleDescriptor.Exports::isQualified)
        .singleElement().satisfies(export -> {
          assertThat(export.source()).isEqualTo("com.gigsta.booking.internal");
          assertThat(export.targets()).isSubsetOf("com.gigsta.booking.jdbc", "com.gigsta.booking.testing");
        });
  }

  @Test
  void shouldRequireOnlyStatefulJSlf4jAndJacksonAnnotations() {
    assertThat(descriptor().requires().stream().map(ModuleDescriptor.Requires::name).collect(Collectors.toSet()))
        .containsExactlyInAnyOrder("java.base", "statefulj.fsm", "org.slf4j", "com.fasterxml.jackson.annotation");
  }
}
