package org.parley.server.storage;

import org.parley.server.common.DuplicateKeyException;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.parley.server.accounts.Account;
import org.parley.server.accounts.Invitation;
import org.parley.server.accounts.SessionToken;
import org.parley.server.admin.AuditEntry;

/**
 * Invitations, password reset codes, password changes, the contacts-only directory and the audit log (issue 14):
 * what every storage adapter must do unchanged.
 */
public abstract class StorageContractPolicy extends StorageContractSupport {

    private static byte[] hash(int seed) {
        byte[] h = new byte[32];
        for (int i = 0; i < h.length; i++) {
            h[i] = (byte) (seed * 17 + i);
        }
        return h;
    }

    // ---- invitations

    @Test
    void anInvitationRegistersOneAccountUntilItExpires() {
        assertThat(storage.accounts().anyAccount()).isFalse();
        Account root = account("root");
        assertThat(storage.accounts().anyAccount()).isTrue();
        Invitation i = storage.accounts().createInvitation(hash(1), root.id(), 100, 1_000);
        assertThat(i).isEqualTo(new Invitation(i.id(), root.id(), 100, 1_000, 0, 0, false));
        assertThat(storage.accounts().invitationUsable(hash(1), 999)).isTrue();
        assertThat(storage.accounts().invitationUsable(hash(1), 1_000)).as("expired at expiresAt").isFalse();
        assertThat(storage.accounts().invitationUsable(hash(2), 0)).as("unknown").isFalse();
        assertThat(storage.accounts().createInvited("late", "Late", "h", hash(1), 1_000)).isEmpty();
        assertThat(storage.accounts().findByName("late")).isEmpty();

        Account bob = storage.accounts().createInvited("bob", "Bob", "h", hash(1), 500).orElseThrow();
        assertThat(bob.admin()).isFalse();
        assertThat(storage.accounts().findByName("bob")).contains(bob);
        assertThat(storage.accounts().invitationUsable(hash(1), 501)).isFalse();
        assertThat(storage.accounts().createInvited("carol", "Carol", "h", hash(1), 502)).as("single use").isEmpty();
        assertThat(storage.accounts().findByName("carol")).isEmpty();
        assertThat(storage.accounts().invitations(10)).containsExactly(
                new Invitation(i.id(), root.id(), 100, 1_000, bob.id(), 500, false));
        assertThat(storage.accounts().revokeInvitation(i.id())).as("used: nothing to revoke").isFalse();
    }

    @Test
    void aTakenNameLeavesTheInvitationUnusedAndARevokedOneRegistersNobody() {
        Account root = account("root");
        account("bob");
        Invitation i = storage.accounts().createInvitation(hash(3), root.id(), 1, 10_000);
        assertThatThrownBy(() -> storage.accounts().createInvited("bob", "Bob", "h", hash(3), 2))
                .isInstanceOf(DuplicateKeyException.class);
        assertThat(storage.accounts().invitationUsable(hash(3), 3)).isTrue();
        assertThat(storage.accounts().revokeInvitation(i.id())).isTrue();
        assertThat(storage.accounts().revokeInvitation(i.id())).as("once").isFalse();
        assertThat(storage.accounts().revokeInvitation(-1)).isFalse();
        assertThat(storage.accounts().invitationUsable(hash(3), 3)).isFalse();
        assertThat(storage.accounts().createInvited("carol", "Carol", "h", hash(3), 4)).isEmpty();
        Invitation second = storage.accounts().createInvitation(hash(4), root.id(), 5, 10_000);
        assertThat(storage.accounts().invitations(10)).extracting(Invitation::id).as("newest first")
                .containsExactly(second.id(), i.id());
        assertThat(storage.accounts().invitations(10).get(1).revoked()).isTrue();
        assertThat(storage.accounts().invitations(1)).hasSize(1);
    }

    // ---- passwords

    @Test
    void aPasswordChangeKeepsOnlyTheAskingSession() {
        Account ann = account("ann");
        Account bob = account("bob");
        storage.accounts().saveToken(new SessionToken(hash(10), ann.id(), "laptop", 1, 1_000));
        storage.accounts().saveToken(new SessionToken(hash(11), ann.id(), "phone", 1, 1_000));
        storage.accounts().saveToken(new SessionToken(hash(12), bob.id(), "bob's", 1, 1_000));
        storage.accounts().setPasswordHash(ann.id(), "new-hash");
        storage.accounts().deleteTokensOfExcept(ann.id(), hash(10));
        assertThat(storage.accounts().findById(ann.id()).orElseThrow().passwordHash()).isEqualTo("new-hash");
        assertThat(storage.accounts().findToken(hash(10))).isPresent();
        assertThat(storage.accounts().findToken(hash(11))).isEmpty();
        assertThat(storage.accounts().findToken(hash(12))).as("another account's").isPresent();
    }

    @Test
    void aResetCodeWorksOnceBeforeItExpiresAndANewOneReplacesIt() {
        Account ann = account("ann");
        storage.accounts().saveToken(new SessionToken(hash(20), ann.id(), "laptop", 1, 1_000));
        storage.accounts().savePasswordReset(ann.id(), hash(21), 10, 100);
        storage.accounts().savePasswordReset(ann.id(), hash(22), 11, 100);
        assertThat(storage.accounts().usePasswordReset(ann.id(), hash(21), 50, "x")).as("replaced").isFalse();
        assertThat(storage.accounts().usePasswordReset(ann.id(), hash(22), 100, "x")).as("expired").isFalse();
        assertThat(storage.accounts().findById(ann.id()).orElseThrow().passwordHash()).isEqualTo("$argon2id$hash");
        assertThat(storage.accounts().findToken(hash(20))).isPresent();

        assertThat(storage.accounts().usePasswordReset(ann.id(), hash(22), 99, "reset-hash")).isTrue();
        assertThat(storage.accounts().findById(ann.id()).orElseThrow().passwordHash()).isEqualTo("reset-hash");
        assertThat(storage.accounts().findToken(hash(20))).as("every session revoked").isEmpty();
        assertThat(storage.accounts().usePasswordReset(ann.id(), hash(22), 99, "again")).as("once").isFalse();
    }

    @Test
    void aResetCodeIsTheAccountsOwn() {
        Account ann = account("ann");
        Account bob = account("bob");
        storage.accounts().savePasswordReset(ann.id(), hash(30), 1, 100);
        assertThat(storage.accounts().usePasswordReset(bob.id(), hash(30), 2, "x")).isFalse();
        assertThat(storage.accounts().usePasswordReset(ann.id(), hash(30), 2, "x")).isTrue();
    }

    // ---- directory

    @Test
    void searchKnownFindsContactsAndConversationPartnersOnly() {
        Account ann = account("ann");
        Account bob = account("bob");
        Account cat = account("cat");
        Account dan = account("dan");
        Account eve = account("e_ve");
        account("stranger");
        storage.contacts().addContacts(ann.id(), bob.id());
        storage.conversations().createGroup("team", cat.id(), List.of(ann.id(), cat.id()), 1);
        storage.conversations().createGroup("other", dan.id(), List.of(dan.id(), eve.id()), 1);
        storage.conversations().createGroup("mine", ann.id(), List.of(ann.id(), eve.id()), 1);
        storage.accounts().setDisabled(eve.id(), true);

        assertThat(storage.accounts().searchKnown(ann.id(), "", 10)).extracting(Account::name)
                .containsExactly("ann", "bob", "cat");
        assertThat(storage.accounts().searchKnown(ann.id(), "_", 10)).as("LIKE wildcards are plain").isEmpty();
        assertThat(storage.accounts().searchKnown(ann.id(), "B", 10)).extracting(Account::name)
                .containsExactly("bob");
        assertThat(storage.accounts().searchKnown(ann.id(), "", 2)).hasSize(2);
        assertThat(storage.accounts().searchKnown(dan.id(), "", 10)).extracting(Account::name)
                .containsExactly("dan");
        assertThat(storage.accounts().searchKnown(bob.id(), "", 10)).extracting(Account::name)
                .containsExactly("ann");
    }

    // ---- audit log

    @Test
    void theAuditLogPagesNewestFirstAndSurvivesAReopen() {
        AuditEntry first = storage.audit().append(10, "root", "create-account", "ann", "");
        AuditEntry second = storage.audit().append(20, "root", "make-admin", "ann", "detail");
        AuditEntry third = storage.audit().append(30, "ann", "disable-account", "bob", "");
        assertThat(second.id()).isGreaterThan(first.id());
        assertThat(third.id()).isGreaterThan(second.id());
        reopen();
        assertThat(storage.audit().page(0, 10)).containsExactly(third, second, first);
        assertThat(storage.audit().page(0, 2)).containsExactly(third, second);
        assertThat(storage.audit().page(second.id(), 10)).containsExactly(first);
        assertThat(storage.audit().page(first.id(), 10)).isEmpty();
        assertThat(second.detail()).isEqualTo("detail");
        assertThat(second.at()).isEqualTo(20);
    }
}
