package org.parley.server.search;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.parley.protocol.ErrorCode;
import org.parley.protocol.message.Message;
import org.parley.protocol.message.Search;
import org.parley.protocol.message.Session;
import org.parley.server.testing.ParleyServerExtension;
import org.parley.server.testing.TestConnection;

/** Searches and FetchAround take tokens from the connection's bucket like every request. */
class SearchRateLimitIT {

    @RegisterExtension
    final ParleyServerExtension server = new ParleyServerExtension().with("--requests-per-second", "1",
            "--request-burst", "20");

    @Test
    void aFloodOfSearchesIsRateLimited() throws Exception {
        TestConnection ann = server.register("ann");
        List<CompletableFuture<Message>> answers = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            answers.add(ann.callAsync(i % 2 == 0 ? new Search.SearchMessages("anything", 0, "", 0)
                    : new Search.FetchAround(1, 1, 5, 5)));
        }
        long limited = answers.stream().map(CompletableFuture::join).filter(m -> m instanceof Session.ErrorReply e
                && e.code() == ErrorCode.RATE_LIMITED).count();
        assertThat(limited).isGreaterThanOrEqualTo(30);
    }
}
