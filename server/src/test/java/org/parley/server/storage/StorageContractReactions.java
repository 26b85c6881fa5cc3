package org.parley.server.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;
import org.parley.server.reactions.ReactionStore;
import org.parley.server.reactions.ReactionStore.Change;
import org.parley.server.reactions.ReactionStore.Changed;
import org.parley.server.reactions.ReactionStore.Outcome;
import org.parley.server.reactions.StoredReaction;

/** The reactions port: one row per (message, user, emoji), limits, the reaction revision and what changed. */
public abstract class StorageContractReactions extends StorageContractSupport {

    private static final String THUMBS = "\uD83D\uDC4D";
    private static final String PARTY = "\uD83C\uDF89";
    private static final String FAMILY = "\uD83D\uDC69\u200D\uD83D\uDC69\u200D\uD83D\uDC67";

    private long ann;
    private long bob;
    private long group;

    private ReactionStore store() {
        return storage.reactions();
    }

    /** A group of ann and bob with {@code n} messages. */
    private void group(int n) {
        ann = account("ann").id();
        bob = account("bob").id();
        group = storage.conversations().createGroup("g", ann, List.of(bob), 1).id();
        storage.messages().append(IntStream.rangeClosed(1, n).mapToObj(i -> text(group, ann, "m" + i, "x" + i))
                .toList());
    }

    private Change add(long seq, long who, String emoji, long at) {
        return store().add(new StoredReaction(group, seq, who, emoji, at), 3, 2);
    }

    @Test
    void reactionsAreStoredOncePerUserAndEmojiAndListedInOrder() {
        group(3);
        assertThat(add(2, bob, THUMBS, 10)).isEqualTo(new Change(Outcome.CHANGED, 1));
        assertThat(add(2, ann, PARTY, 20)).isEqualTo(new Change(Outcome.CHANGED, 2));
        assertThat(add(2, ann, THUMBS, 30)).isEqualTo(new Change(Outcome.CHANGED, 3));
        assertThat(add(2, bob, THUMBS, 40)).as("a resend").isEqualTo(new Change(Outcome.UNCHANGED, 3));
        assertThat(add(3, ann, FAMILY, 50)).isEqualTo(new Change(Outcome.CHANGED, 4));
        assertThat(store().of(group, List.of(1L, 2L, 3L))).containsExactly(
                new StoredReaction(group, 2, bob, THUMBS, 10), new StoredReaction(group, 2, ann, PARTY, 20),
                new StoredReaction(group, 2, ann, THUMBS, 30), new StoredReaction(group, 3, ann, FAMILY, 50));
        assertThat(store().of(group, List.of())).isEmpty();
        assertThat(store().revision(group)).isEqualTo(4);
        reopen();
        assertThat(store().of(group, List.of(2L))).hasSize(3);
        assertThat(store().revision(group)).isEqualTo(4);
    }

    @Test
    void removingIsExplicitAndARemoveOfNothingChangesNothing() {
        group(2);
        add(1, bob, THUMBS, 10);
        assertThat(store().remove(group, 1, bob, THUMBS)).isEqualTo(new Change(Outcome.CHANGED, 2));
        assertThat(store().remove(group, 1, bob, THUMBS)).isEqualTo(new Change(Outcome.UNCHANGED, 2));
        assertThat(store().remove(group, 1, ann, PARTY)).isEqualTo(new Change(Outcome.UNCHANGED, 2));
        assertThat(store().of(group, List.of(1L))).isEmpty();
    }

    @Test
    void changedSinceFindsEveryMessageChangedAfterARevisionRemovalsIncludedOnceEach() {
        group(3);
        add(1, bob, THUMBS, 10); // 1
        add(2, bob, THUMBS, 20); // 2
        add(1, ann, PARTY, 30); // 3
        store().remove(group, 2, bob, THUMBS); // 4
        assertThat(store().changedSince(group, 0, 10)).containsExactly(new Changed(1, 3), new Changed(2, 4));
        assertThat(store().changedSince(group, 3, 10)).containsExactly(new Changed(2, 4));
        assertThat(store().changedSince(group, 4, 10)).isEmpty();
        assertThat(store().changedSince(group, 0, 1)).containsExactly(new Changed(1, 3));
    }

    @Test
    void theLimitsPerMessageAndPerUserHoldAndRefuseWithoutWriting() {
        group(1);
        add(1, ann, THUMBS, 1);
        add(1, ann, PARTY, 2);
        assertThat(add(1, ann, FAMILY, 3)).isEqualTo(new Change(Outcome.TOO_MANY_FOR_USER, 2));
        add(1, bob, FAMILY, 4);
        assertThat(add(1, bob, "\uD83D\uDE2E", 5)).isEqualTo(new Change(Outcome.TOO_MANY_EMOJI, 3));
        assertThat(add(1, bob, THUMBS, 6)).as("an emoji already there").isEqualTo(new Change(Outcome.CHANGED, 4));
        assertThat(store().of(group, List.of(1L))).hasSize(4);
    }

    @Test
    void aMessageThatDoesNotExistCannotGetAReaction() {
        group(1);
        assertThat(add(2, ann, THUMBS, 1).outcome()).isEqualTo(Outcome.NO_MESSAGE);
        assertThat(add(0, ann, THUMBS, 1).outcome()).isEqualTo(Outcome.NO_MESSAGE);
        assertThat(store().add(new StoredReaction(999_999, 1, ann, THUMBS, 1), 3, 2).outcome())
                .isEqualTo(Outcome.NO_MESSAGE);
        assertThat(store().revision(group)).isZero();
        assertThat(store().revision(999_999)).isZero();
    }

    @Test
    void concurrentChangesGetGapFreeRevisions() {
        group(1);
        List<CompletableFuture<Change>> all = IntStream.range(0, 16).mapToObj(i -> CompletableFuture.supplyAsync(
                () -> store().add(new StoredReaction(group, 1, i % 2 == 0 ? ann : bob,
                        new String[] {THUMBS, PARTY, FAMILY}[i % 3], i), 3, 3))).toList();
        List<Long> revisions = all.stream().map(CompletableFuture::join).filter(c -> c.outcome() == Outcome.CHANGED)
                .map(Change::revision).sorted().toList();
        assertThat(revisions).isEqualTo(IntStream.rangeClosed(1, revisions.size()).mapToObj(i -> (long) i).toList());
        assertThat(store().revision(group)).isEqualTo(revisions.size());
        assertThat(store().of(group, List.of(1L))).hasSize(revisions.size());
    }

    @Test
    void deletingTheGroupDeletesItsReactions() {
        group(1);
        add(1, bob, THUMBS, 1);
        assertThat(storage.conversations().deleteGroup(group)).isTrue();
        assertThat(store().of(group, List.of(1L))).isEmpty();
        assertThat(store().changedSince(group, 0, 10)).isEmpty();
    }
}
