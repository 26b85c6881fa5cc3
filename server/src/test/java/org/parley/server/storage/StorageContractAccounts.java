package org.parley.server.storage;

import org.parley.server.common.DuplicateKeyException;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.parley.server.accounts.Account;
import org.parley.server.accounts.SessionToken;

/** Edge cases of the accounts and contacts stores that every adapter must pass unchanged. */
public abstract class StorageContractAccounts extends StorageContractSupport {

    private static byte[] hash(int seed) {
        byte[] h = new byte[32];
        for (int i = 0; i < h.length; i++) {
            h[i] = (byte) (seed * 31 + i);
        }
        return h;
    }

    // ---- accounts

    @Test
    void aFailedDuplicateCreateLeavesTheFirstAccountAndTheStoreUsable() {
        Account ann = storage.accounts().create("ann", "Ann First", "h1", false, 1);
        assertThatThrownBy(() -> storage.accounts().create("ann", "Ann Second", "h2", true, 2))
                .isInstanceOf(DuplicateKeyException.class);
        assertThat(storage.accounts().findByName("ann")).contains(ann);
        Account bob = account("bob");
        assertThat(bob.id()).isNotEqualTo(ann.id());
    }

    @Test
    void createdAccountsCarryEveryField() {
        Account a = storage.accounts().create("root", "The Admin", "$argon2id$v=19$x", true, 123_456_789L);
        assertThat(a.name()).isEqualTo("root");
        assertThat(a.displayName()).isEqualTo("The Admin");
        assertThat(a.passwordHash()).isEqualTo("$argon2id$v=19$x");
        assertThat(a.admin()).isTrue();
        assertThat(a.disabled()).isFalse();
        assertThat(a.createdAt()).isEqualTo(123_456_789L);
    }

    @Test
    void findByIdsReturnsOnlyExistingAccountsAndAcceptsAnEmptyBatch() {
        Account ann = account("ann");
        Account bob = account("bob");
        account("cat");
        assertThat(storage.accounts().findByIds(List.of())).isEmpty();
        assertThat(storage.accounts().findByIds(List.of(bob.id(), ann.id(), -1L)))
                .containsOnlyKeys(ann.id(), bob.id()).containsEntry(bob.id(), bob);
        assertThat(storage.accounts().findById(-1)).isEmpty();
    }

    @Test
    void searchTreatsLikeWildcardsAsPlainCharactersAndOrdersByName() {
        account("a_b");
        account("axb");
        storage.accounts().create("zed", "Mr 100%", "h", false, 1);
        storage.accounts().create("carl", "carl\\x", "h", false, 1);
        assertThat(storage.accounts().search("_", 10)).extracting(Account::name).containsExactly("a_b");
        assertThat(storage.accounts().search("0%", 10)).extracting(Account::name).containsExactly("zed");
        assertThat(storage.accounts().search("\\", 10)).extracting(Account::name).containsExactly("carl");
        assertThat(storage.accounts().search("", 10)).extracting(Account::name)
                .containsExactly("a_b", "axb", "carl", "zed");
        assertThat(storage.accounts().search("nothing-like-this", 10)).isEmpty();
    }

    @Test
    void searchMatchesTheDisplayNameInAnyCase() {
        storage.accounts().create("u1", "Ada LOVELACE", "h", false, 1);
        storage.accounts().create("u2", "lovelace fan", "h", false, 1);
        assertThat(storage.accounts().search("LoveLace", 10)).extracting(Account::name).containsExactly("u1", "u2");
    }

    @Test
    void disabledAndAdminFlagsCanBeCleared() {
        Account ann = account("ann");
        storage.accounts().setDisabled(ann.id(), true);
        storage.accounts().setAdmin(ann.id(), true);
        assertThat(storage.accounts().search("ann", 10)).isEmpty();
        storage.accounts().setDisabled(ann.id(), false);
        storage.accounts().setAdmin(ann.id(), false);
        assertThat(storage.accounts().findById(ann.id())).contains(ann);
        assertThat(storage.accounts().search("ann", 10)).containsExactly(ann);
    }

    // ---- session tokens

    @Test
    void tokensAreFoundOnlyByTheirExactHashAndKeepTheirFields() {
        Account ann = account("ann");
        storage.accounts().saveToken(new SessionToken(hash(1), ann.id(), "laptop", 10, 20));
        SessionToken t = storage.accounts().findToken(hash(1)).orElseThrow();
        assertThat(t.tokenHash()).isEqualTo(hash(1));
        assertThat(t.createdAt()).isEqualTo(10);
        assertThat(t.expiresAt()).isEqualTo(20);
        assertThat(storage.accounts().findToken(hash(2))).isEmpty();
        byte[] almost = hash(1);
        almost[31] ^= 1;
        assertThat(storage.accounts().findToken(almost)).isEmpty();
    }

    @Test
    void aTokensOwnerIsReadWithTheTokenAndFollowsItsAccount() {
        Account ann = account("ann");
        Account bob = account("bob");
        storage.accounts().saveToken(new SessionToken(hash(1), ann.id(), "laptop", 10, 20));
        storage.accounts().saveToken(new SessionToken(hash(2), bob.id(), "phone", 11, 21));
        var owner = storage.accounts().findTokenOwner(hash(1)).orElseThrow();
        assertThat(owner.account()).isEqualTo(ann);
        assertThat(owner.token().tokenHash()).isEqualTo(hash(1));
        assertThat(owner.token().accountId()).isEqualTo(ann.id());
        assertThat(owner.token().device()).isEqualTo("laptop");
        assertThat(owner.token().createdAt()).isEqualTo(10);
        assertThat(owner.token().expiresAt()).isEqualTo(20);
        assertThat(storage.accounts().findTokenOwner(hash(2)).orElseThrow().account()).isEqualTo(bob);
        assertThat(storage.accounts().findTokenOwner(hash(3))).isEmpty();
        // The account as it is now, not as it was when the token was made; a deleted token is gone.
        storage.accounts().setDisabled(ann.id(), true);
        assertThat(storage.accounts().findTokenOwner(hash(1)).orElseThrow().account().disabled()).isTrue();
        storage.accounts().extendToken(hash(1), 5_000);
        assertThat(storage.accounts().findTokenOwner(hash(1)).orElseThrow().token().expiresAt()).isEqualTo(5_000);
        storage.accounts().deleteToken(hash(1));
        assertThat(storage.accounts().findTokenOwner(hash(1))).isEmpty();
    }

    @Test
    void aTokenHashIsStoredOnce() {
        Account ann = account("ann");
        storage.accounts().saveToken(new SessionToken(hash(1), ann.id(), "laptop", 10, 20));
        assertThatThrownBy(() -> storage.accounts().saveToken(new SessionToken(hash(1), ann.id(), "phone", 11, 21)))
                .isInstanceOf(DuplicateKeyException.class);
        assertThat(storage.accounts().findToken(hash(1)).orElseThrow().device()).isEqualTo("laptop");
    }

    @Test
    void extendingMovesOnlyThatTokensExpiryAndSurvivesReopening() {
        Account ann = account("ann");
        storage.accounts().saveToken(new SessionToken(hash(1), ann.id(), "laptop", 10, 20));
        storage.accounts().saveToken(new SessionToken(hash(2), ann.id(), "phone", 10, 20));
        storage.accounts().extendToken(hash(1), 5_000);
        storage.accounts().extendToken(hash(9), 5_000); // unknown: nothing happens
        reopen();
        assertThat(storage.accounts().findToken(hash(1)).orElseThrow().expiresAt()).isEqualTo(5_000);
        assertThat(storage.accounts().findToken(hash(2)).orElseThrow().expiresAt()).isEqualTo(20);
        assertThat(storage.accounts().findToken(hash(9))).isEmpty();
    }

    @Test
    void deletingAnAccountsTokensLeavesOtherAccountsTokens() {
        Account ann = account("ann");
        Account bob = account("bob");
        storage.accounts().saveToken(new SessionToken(hash(1), ann.id(), "a1", 1, 2));
        storage.accounts().saveToken(new SessionToken(hash(2), ann.id(), "a2", 1, 2));
        storage.accounts().saveToken(new SessionToken(hash(3), bob.id(), "b1", 1, 2));
        storage.accounts().deleteTokensOf(ann.id());
        assertThat(storage.accounts().findToken(hash(1))).isEmpty();
        assertThat(storage.accounts().findToken(hash(2))).isEmpty();
        assertThat(storage.accounts().findToken(hash(3))).isPresent();
        storage.accounts().deleteToken(hash(3));
        storage.accounts().deleteToken(hash(3)); // again: nothing happens
        assertThat(storage.accounts().findToken(hash(3))).isEmpty();
    }

    // ---- directory accounts

    @Test
    void aDirectoryAccountKeepsItsDnAndNoPasswordAndSurvivesReopening() {
        Account local = account("ann");
        assertThat(local.directoryDn()).isNull();
        assertThat(local.fromDirectory()).isFalse();
        Account dir = storage.accounts().createFromDirectory("bob", "Bob Directory", "uid=bob,ou=people,dc=x", true,
                42);
        assertThat(dir.fromDirectory()).isTrue();
        assertThat(dir.directoryDn()).isEqualTo("uid=bob,ou=people,dc=x");
        assertThat(dir.passwordHash()).isEmpty();
        assertThat(dir.admin()).isTrue();
        assertThat(dir.createdAt()).isEqualTo(42);
        assertThatThrownBy(() -> storage.accounts().createFromDirectory("ann", "Ann", "uid=ann,dc=x", false, 1))
                .as("a local account's name is taken").isInstanceOf(DuplicateKeyException.class);
        reopen();
        assertThat(storage.accounts().findByName("bob")).contains(dir);
        assertThat(storage.accounts().findById(local.id())).contains(local);
        assertThat(storage.accounts().findByIds(List.of(dir.id())).get(dir.id()).directoryDn())
                .isEqualTo("uid=bob,ou=people,dc=x");
    }

    @Test
    void updatingFromTheDirectorySetsOnlyDisplayNameDnAndAdminOfThatAccount() {
        Account bob = storage.accounts().createFromDirectory("bob", "Bob", "uid=bob,dc=x", false, 1);
        Account cat = storage.accounts().createFromDirectory("cat", "Cat", "uid=cat,dc=x", false, 1);
        storage.accounts().updateFromDirectory(bob.id(), "Robert", "uid=bob,ou=moved,dc=x", true);
        Account after = storage.accounts().findById(bob.id()).orElseThrow();
        assertThat(after).isEqualTo(new Account(bob.id(), "bob", "Robert", "", false, true, 1,
                "uid=bob,ou=moved,dc=x"));
        assertThat(storage.accounts().findById(cat.id())).contains(cat);
        storage.accounts().updateFromDirectory(bob.id(), "Robert", "uid=bob,ou=moved,dc=x", false);
        assertThat(storage.accounts().findById(bob.id()).orElseThrow().admin()).isFalse();
    }

    @Test
    void settingADisplayNameChangesOnlyThatOfThatAccountAndIsKept() {
        Account ann = account("ann");
        Account bob = account("bob");
        assertThat(storage.accounts().setDisplayName(ann.id(), "Ann Archer")).isTrue();
        assertThat(storage.accounts().setDisplayName(ann.id() + bob.id() + 100, "Nobody")).as("no such account")
                .isFalse();
        reopen();
        Account after = storage.accounts().findById(ann.id()).orElseThrow();
        assertThat(after.displayName()).isEqualTo("Ann Archer");
        assertThat(after.passwordHash()).isEqualTo(ann.passwordHash());
        assertThat(storage.accounts().findById(bob.id())).contains(bob);
    }

    @Test
    void directoryAccountsWithSessionsAreOnlyThoseHoldingATokenPagedById() {
        Account local = account("ann");
        storage.accounts().saveToken(new SessionToken(hash(1), local.id(), "", 1, 2));
        Account idle = storage.accounts().createFromDirectory("bob", "Bob", "uid=bob,dc=x", false, 1);
        Account cat = storage.accounts().createFromDirectory("cat", "Cat", "uid=cat,dc=x", false, 1);
        Account dan = storage.accounts().createFromDirectory("dan", "Dan", "uid=dan,dc=x", false, 1);
        storage.accounts().saveToken(new SessionToken(hash(2), cat.id(), "", 1, 2));
        storage.accounts().saveToken(new SessionToken(hash(3), cat.id(), "", 1, 2));
        storage.accounts().saveToken(new SessionToken(hash(4), dan.id(), "", 1, 2));
        assertThat(storage.accounts().directoryAccountsWithSessions(0, 10)).containsExactly(cat, dan);
        assertThat(storage.accounts().directoryAccountsWithSessions(0, 1)).containsExactly(cat);
        assertThat(storage.accounts().directoryAccountsWithSessions(cat.id(), 10)).containsExactly(dan);
        storage.accounts().deleteTokensOf(dan.id());
        assertThat(storage.accounts().directoryAccountsWithSessions(cat.id(), 10)).isEmpty();
        assertThat(idle.fromDirectory()).isTrue();
    }

    // ---- contacts

    @Test
    void acceptingDropsPendingRequestsInBothDirectionsOnlyForThatPair() {
        long ann = account("ann").id();
        long bob = account("bob").id();
        long cat = account("cat").id();
        storage.contacts().addRequest(ann, bob, 1);
        storage.contacts().addRequest(bob, ann, 2);
        storage.contacts().addRequest(cat, bob, 3);
        storage.contacts().addContacts(ann, bob);
        assertThat(storage.contacts().hasRequest(ann, bob)).isFalse();
        assertThat(storage.contacts().hasRequest(bob, ann)).isFalse();
        assertThat(storage.contacts().requestsTo(bob)).containsExactly(cat);
        assertThat(storage.contacts().requestsFrom(cat)).containsExactly(bob);
    }

    @Test
    void requestsAreListedOldestFirstAndCanBeWithdrawn() {
        long ann = account("ann").id();
        long bob = account("bob").id();
        long cat = account("cat").id();
        long dan = account("dan").id();
        storage.contacts().addRequest(dan, ann, 30);
        storage.contacts().addRequest(bob, ann, 10);
        storage.contacts().addRequest(cat, ann, 20);
        assertThat(storage.contacts().requestsTo(ann)).containsExactly(bob, cat, dan);
        storage.contacts().removeRequest(cat, ann);
        storage.contacts().removeRequest(cat, ann); // again: nothing happens
        assertThat(storage.contacts().requestsTo(ann)).containsExactly(bob, dan);
        assertThat(storage.contacts().requestsFrom(cat)).isEmpty();
        assertThat(storage.contacts().requestsTo(dan)).isEmpty();
    }

    @Test
    void contactsAreSymmetricIdempotentAndPairwise() {
        long ann = account("ann").id();
        long bob = account("bob").id();
        long cat = account("cat").id();
        storage.contacts().addContacts(ann, bob);
        storage.contacts().addContacts(bob, ann); // again, the other way round: still one pair
        storage.contacts().addContacts(cat, ann);
        assertThat(storage.contacts().contactsOf(ann)).containsExactlyInAnyOrder(bob, cat);
        assertThat(storage.contacts().contactsOf(bob)).containsExactly(ann);
        assertThat(storage.contacts().areContacts(bob, cat)).isFalse();
        storage.contacts().removeContacts(bob, ann);
        assertThat(storage.contacts().areContacts(ann, bob)).isFalse();
        assertThat(storage.contacts().areContacts(bob, ann)).isFalse();
        assertThat(storage.contacts().contactsOf(ann)).containsExactly(cat);
        assertThat(storage.contacts().contactsOf(cat)).containsExactly(ann);
    }

    @Test
    void contactsAndRequestsSurviveReopening() {
        long ann = account("ann").id();
        long bob = account("bob").id();
        long cat = account("cat").id();
        storage.contacts().addContacts(ann, bob);
        storage.contacts().addRequest(cat, ann, 5);
        reopen();
        assertThat(storage.contacts().areContacts(bob, ann)).isTrue();
        assertThat(storage.contacts().hasRequest(cat, ann)).isTrue();
    }
}
