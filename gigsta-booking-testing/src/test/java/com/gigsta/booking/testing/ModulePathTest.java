package com.gigsta.booking.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.gigsta.booking.spi.AuditTrail;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleDescriptor.Requires;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Shows that this module's tests run on the module path, as a modular implementer's would: the contract
 * and these tests inside the named module {@code com.gigsta.booking.testing}, reading the core and JUnit
 * as named modules. On the class path every one of these classes would sit in the unnamed module.
 */
class ModulePathTest {

  @Test
  void shouldRunInsideTheNamedTestingModule() {
    Module module = getClass().getModule();

    assertThat(module.isNamed()).isTrue();
    assertThat(module.getName()).isEqualTo("com.gigsta.booking.testing");
    assertThat(AuditTrailContract.class.getModule()).isSameAs(module);
  }

  @Test
  void shouldReadTheCoreAndJunitAsNamedModules() {
    Module module = getClass().getModule();
    Module core = AuditTrail.class.getModule();
    Module junit = Test.class.getModule();

    assertThat(core.getName()).isEqualTo("com.gigsta.booking");
    assertThat(junit.getName()).isEqualTo("org.junit.jupiter.api");
    assertThat(module.canRead(core)).isTrue();
    assertThat(module.canRead(junit)).isTrue();
  }

  @Test
  void shouldExportTheContractAndPassOnTheCoreAndJunitToImplementers() {
    ModuleDescriptor descriptor = getClass().getModule().getDescriptor();

    assertThat(descriptor.exports()).singleElement().satisfies(export -> {
      assertThat(export.source()).isEqualTo("com.gigsta.booking.testing");
      assertThat(export.isQualified()).isFalse();
    });
    Map<String, Set<Requires.Modifier>> requires = descriptor.requires().stream()
        .collect(Collectors.toMap(Requires::name, Requires::modifiers));
    assertThat(requires).containsOnlyKeys("java.base", "com.gigsta.booking", "org.junit.jupiter.api",
        "org.assertj.core");
    assertThat(requires.get("com.gigsta.booking")).containsExactly(Requires.Modifier.TRANSITIVE);
    assertThat(requires.get("org.junit.jupiter.api")).containsExactly(Requires.Modifier.TRANSITIVE);
    assertThat(requires.get("org.assertj.core")).isEmpty();
  }
}
