package org.parley.filetransfer.core;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Names a client saves received files under cannot escape their folder nor lie about what they are. */
class SafeNamesTest {

    @Test
    void namesThatLieAreNeutralised() {
        assertThat(SafeNames.forSaving("invoice\u202egnp.exe")).isEqualTo("invoicegnp.exe");
        assertThat(SafeNames.forSaving("pay\u200bpal.pdf")).isEqualTo("paypal.pdf");
        assertThat(SafeNames.forSaving("\u2066a\u2069\ufeff\u00ad.txt")).isEqualTo("a.txt");
        assertThat(SafeNames.forSaving("CON")).isEqualTo("_CON");
        assertThat(SafeNames.forSaving("lpt1.log")).isEqualTo("_lpt1.log");
        assertThat(SafeNames.forSaving("a.txt:evil.exe")).isEqualTo("a.txt_evil.exe");
        assertThat(SafeNames.forSaving("x.exe.")).isEqualTo("x.exe");
        assertThat(SafeNames.forSaving("x.exe . .")).isEqualTo("x.exe");
        assertThat(SafeNames.forSaving("what?<is>\"this\"|*.txt")).isEqualTo("what__is__this___.txt");
    }

    @Test
    void namesStayInsideTheirFolder() {
        assertThat(SafeNames.forSaving("../../etc/passwd")).isEqualTo("_.._etc_passwd");
        assertThat(SafeNames.forSaving("..")).isEqualTo("file");
        assertThat(SafeNames.forSaving(".hidden")).isEqualTo("hidden");
        assertThat(SafeNames.forSaving("a\u0000b\nc")).isEqualTo("abc");
        assertThat(SafeNames.forSaving("\u200b\u202e")).isEqualTo("file");
        assertThat(SafeNames.forSaving(null)).isEqualTo("file");
        assertThat(SafeNames.forSaving("x".repeat(300) + ".pdf")).hasSize(200).endsWith(".pdf");
        assertThat(SafeNames.forSaving(" résumé 2024.pdf ")).isEqualTo("résumé 2024.pdf");
    }
}
