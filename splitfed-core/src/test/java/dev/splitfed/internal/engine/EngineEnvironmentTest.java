package dev.splitfed.internal.engine;

import static org.assertj.core.api.Assertions.assertThat;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The allocator settings are written in three places; they must be the same settings. */
class EngineEnvironmentTest {

    @Test
    void theLauncherScriptSetsTheEngineSettings() throws IOException {
        String script = Files.readString(Path.of("../tools/engine-env.sh"));
        Matcher m = Pattern.compile("GLIBC_TUNABLES:=([^}\"]+)}").matcher(script);
        assertThat(m.find()).as("tools/engine-env.sh defaults GLIBC_TUNABLES").isTrue();
        assertThat(m.group(1)).isEqualTo(Torch.ALLOCATOR_SETTINGS);
        assertThat(Files.readString(Path.of("../splitfed"))).contains(". \"$root/tools/engine-env.sh\"");
    }

    @Test
    void theTestsRunUnderTheEngineSettings() {
        // Set by the root pom's surefire configuration.
        assertThat(System.getenv("GLIBC_TUNABLES")).isEqualTo(Torch.ALLOCATOR_SETTINGS);
    }

    @Test
    void onlyAJvmOnLinuxWithoutSettingsIsAdvised() {
        boolean linux = System.getProperty("os.name").startsWith("Linux");
        assertThat(Torch.adviseAllocator(null)).isEqualTo(linux);
        assertThat(Torch.adviseAllocator("")).isEqualTo(linux);
        assertThat(Torch.adviseAllocator(Torch.ALLOCATOR_SETTINGS)).isFalse();
        assertThat(Torch.adviseAllocator("glibc.malloc.arena_max=2")).isFalse();
    }

    @Test
    void glibcTakesEverySetting() throws IOException, InterruptedException {
        // The dynamic loader lists the tunables as the process would get them: a setting glibc
        // does not know, or a value outside its bounds, shows up as left at its default.
        Path loader = Path.of("/lib64/ld-linux-x86-64.so.2");
        assumeTrue(Files.isExecutable(loader), "an x86-64 glibc system");
        ProcessBuilder pb = new ProcessBuilder(loader.toString(), "--list-tunables").redirectErrorStream(true);
        pb.environment().put("GLIBC_TUNABLES", Torch.ALLOCATOR_SETTINGS);
        Process p = pb.start();
        String listed = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).isZero();
        assertThat(listed)
                .contains("glibc.malloc.mmap_threshold: 0x2000000 ")
                .contains("glibc.malloc.top_pad: 0x4000000 ")
                .contains("glibc.malloc.trim_threshold: 0x100000000 ");
    }
}
