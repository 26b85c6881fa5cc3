package org.parley.client.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;

/** The sign-in dialog's server field: several addresses separated by commas or spaces, bad ones said in words. */
class ServerAddressTest {

    @Test
    void severalAddressesByCommasOrSpacesWithTheDefaultPortWhereNoneIsGiven() {
        assertThat(ServerAddress.parseList(" chat1.example.org:7443, chat2.example.org:7444  chat3.example.org ", 7443))
                .containsExactly(new ServerAddress("chat1.example.org", 7443),
                        new ServerAddress("chat2.example.org", 7444), new ServerAddress("chat3.example.org", 7443));
        assertThat(ServerAddress.parseList("localhost", 7443)).containsExactly(new ServerAddress("localhost", 7443));
        assertThat(ServerAddress.parseList("[::1]:8000,::1", 7443))
                .containsExactly(new ServerAddress("::1", 8000), new ServerAddress("::1", 7443));
    }

    @Test
    void writtenBackAsRead() {
        List<ServerAddress> list = List.of(new ServerAddress("a.example.org", 1), new ServerAddress("::1", 2));
        String text = String.join(", ", list.stream().map(ServerAddress::toString).toList());
        assertThat(text).isEqualTo("a.example.org:1, [::1]:2");
        assertThat(ServerAddress.parseList(text, 7443)).isEqualTo(list);
    }

    @Test
    void aBadEntryIsNamedWithTheReason() {
        assertThatThrownBy(() -> ServerAddress.parseList("chat1.example.org:7443, chat2.example.org:74x3", 7443))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("\"chat2.example.org:74x3\" is not a server address: the port must be a number from 1 "
                        + "to 65535");
        assertThatThrownBy(() -> ServerAddress.parseList("chat.example.org:70000", 7443))
                .hasMessageContaining("from 1 to 65535");
        assertThatThrownBy(() -> ServerAddress.parseList(":7443", 7443)).hasMessageContaining("name is missing");
        assertThatThrownBy(() -> ServerAddress.parseList(" , ", 7443)).hasMessageContaining("no server address");
        assertThatThrownBy(() -> ServerAddress.parseList("[::1", 7443)).hasMessageContaining("no closing ]");
    }
}
