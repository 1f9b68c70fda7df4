package dev.leakhound.core.snapshot;

import dev.leakhound.core.LeakhoundException;
import org.junit.jupiter.api.Test;

import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ReadOptionsTest {
    private static Properties props(String... keyValues) {
        Properties p = new Properties();
        for (int i = 0; i < keyValues.length; i += 2) {
            p.setProperty(keyValues[i], keyValues[i + 1]);
        }
        return p;
    }

    @Test
    void propertiesChangeTheDefaults() {
        assertThat(ReadOptions.fromProperties(props())).isEqualTo(ReadOptions.defaults());
        ReadOptions o = ReadOptions.fromProperties(props("leakhound.sequentialParse", "true",
                "leakhound.parallelParseMinBytes", "0", "leakhound.maxGzipRatio", "7"));
        assertThat(o.fastPath()).isFalse();
        assertThat(o.fastPathMinBytes()).isZero();
        assertThat(o.maxGzipRatio()).isEqualTo(7);
        assertThat(o.readAhead()).isEqualTo(ReadOptions.defaults().readAhead());
        assertThat(ReadOptions.fromProperties(props("leakhound.sequentialParse", "false")).fastPath()).isTrue();
    }

    @Test
    void aPropertyThatIsNotANumberIsAOneLineError() {
        assertThatThrownBy(() -> ReadOptions.fromProperties(props("leakhound.maxGzipRatio", "lots")))
                .isInstanceOf(LeakhoundException.class)
                .hasMessage("system property leakhound.maxGzipRatio=lots is not a whole number of at least 1");
        assertThatThrownBy(() -> ReadOptions.fromProperties(props("leakhound.parallelParseMinBytes", "-1")))
                .isInstanceOf(LeakhoundException.class)
                .hasMessageContaining("leakhound.parallelParseMinBytes=-1");
    }

    @Test
    void valuesOutOfRangeAreRefused() {
        assertThatThrownBy(() -> ReadOptions.defaults().withMaxGzipRatio(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ReadOptions.defaults().withFastPathBuffers(0, 1)).isInstanceOf(IllegalArgumentException.class);
    }
}
