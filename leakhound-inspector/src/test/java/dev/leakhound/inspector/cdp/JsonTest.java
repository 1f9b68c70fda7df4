package dev.leakhound.inspector.cdp;

import dev.leakhound.inspector.cdp.Json.JsonObj;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class JsonTest {
    @Test
    void parsesTreesWithLongIdsAndWritesThemBack() {
        Object v = Json.parse("{\"a\":[1,2.5,\"x\",true,null,{\"id\":2172998432}],\"b\":{}}");
        JsonObj o = (JsonObj) v;
        List<Object> a = o.arr("a");
        assertThat(a.subList(0, 5)).containsExactly(1L, 2.5, "x", true, null);
        assertThat(((JsonObj) a.get(5)).lng("id", 0)).isEqualTo(2_172_998_432L); // above 2^31
        assertThat(Json.write(v)).isEqualTo("{\"a\":[1,2.5,\"x\",true,null,{\"id\":2172998432}],\"b\":{}}");
    }

    @Test
    void writesDoublesThatAreIntegralAsIntegers() {
        assertThat(Json.write(JsonObj.of("t", 1.7e12, "nan", Double.NaN, "s", "q\"\n"))).isEqualTo("{\"t\":1700000000000,\"nan\":null,\"s\":\"q\\\"\\n\"}");
    }
}
