package dev.splitfed.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.splitfed.InvalidInputException;
import org.junit.jupiter.api.Test;

class HostPortTest {

    @Test
    void readsHostAndPortAndRefusesAnythingElseInOneSentence() {
        assertThat(HostPort.parse("localhost:7443", "server")).isEqualTo(new HostPort("localhost", 7443));
        assertThat(HostPort.parse("[::1]:0", "server")).isEqualTo(new HostPort("[::1]", 0));
        assertThat(HostPort.parse("fed.example.org:65535", "server").toString()).isEqualTo("fed.example.org:65535");
        for (String bad : new String[] {"mainhost", ":7443", "host:", "host:65536", "host:port", "host:123456"}) {
            assertThatThrownBy(() -> HostPort.parse(bad, "{main-server}")).isInstanceOf(InvalidInputException.class)
                    .hasMessage("main-server must be HOST:PORT, e.g. localhost:7443, not '" + bad + "'");
        }
        assertThat(((InvalidInputException) org.assertj.core.api.Assertions.catchThrowable(
                () -> HostPort.parse(null, "{server}"))).message(k -> "--" + k))
                .isEqualTo("--server must be HOST:PORT, e.g. localhost:7443, not 'null'");
    }
}
