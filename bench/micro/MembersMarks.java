import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;

/**
 * The two membership statements of the reconnect storm on the members table as schema V1 had it ("v1"), as V3's
 * first form had it ("v3-unique": UNIQUE (account_id, conversation_id), which H2 backs with the primary key's index)
 * and as V3 has it ("v3"), with the statistics that made V1 walk: account ids nearly distinct when H2 last analyzed
 * the table, then one sender joins 10,000 direct conversations. Prints each plan and the time per statement
 * (autocommit, in memory): the sender's-marks UPDATE (storing the missed messages) and an account's conversations
 * (every client's resync), the latter in the form the server used with that schema.
 *
 * <pre>
 * java -cp ~/.m2/repository/com/h2database/h2/2.4.240/h2-2.4.240.jar bench/micro/MembersMarks.java v1|v3-unique|v3
 * </pre>
 */
public class MembersMarks {
    public static void main(String[] a) throws Exception {
        String schema = a[0];
        try (Connection c = DriverManager.getConnection("jdbc:h2:mem:x;ANALYZE_AUTO=0")) {
            Statement st = c.createStatement();
            st.execute("CREATE TABLE accounts (id BIGINT PRIMARY KEY)");
            st.execute("CREATE TABLE conversations (id BIGINT PRIMARY KEY, last_seq BIGINT NOT NULL DEFAULT 0, "
                    + "created_at BIGINT NOT NULL DEFAULT 0)");
            st.execute("CREATE TABLE messages (conversation_id BIGINT NOT NULL, seq BIGINT NOT NULL, ts BIGINT NOT NULL, "
                    + "PRIMARY KEY (conversation_id, seq))");
            st.execute("INSERT INTO accounts SELECT X FROM SYSTEM_RANGE(1, 200000)");
            st.execute("INSERT INTO conversations (id) SELECT X FROM SYSTEM_RANGE(1, 200000)");
            switch (schema) {
                case "v1" -> { // V1__init.sql
                    st.execute("CREATE TABLE members (conversation_id BIGINT NOT NULL REFERENCES conversations (id), "
                            + "account_id BIGINT NOT NULL REFERENCES accounts (id), delivered_up_to BIGINT NOT NULL "
                            + "DEFAULT 0, read_up_to BIGINT NOT NULL DEFAULT 0, PRIMARY KEY (conversation_id, account_id))");
                    st.execute("CREATE INDEX members_account ON members (account_id)");
                }
                case "v3-unique" -> st.execute("CREATE TABLE members (conversation_id BIGINT NOT NULL, account_id "
                        + "BIGINT NOT NULL, delivered_up_to BIGINT NOT NULL DEFAULT 0, read_up_to BIGINT NOT NULL "
                        + "DEFAULT 0, PRIMARY KEY (conversation_id, account_id), UNIQUE (account_id, conversation_id))");
                case "v3" -> { // V3__members_by_account.sql
                    st.execute("CREATE TABLE members (conversation_id BIGINT NOT NULL, account_id BIGINT NOT NULL, "
                            + "delivered_up_to BIGINT NOT NULL DEFAULT 0, read_up_to BIGINT NOT NULL DEFAULT 0, "
                            + "PRIMARY KEY (conversation_id, account_id))");
                    st.execute("CREATE UNIQUE INDEX members_by_account ON members (account_id, conversation_id)");
                }
                default -> throw new IllegalArgumentException(schema);
            }
            st.execute("INSERT INTO members (conversation_id, account_id) SELECT 100000 + X / 1000, 50000 + X "
                    + "FROM SYSTEM_RANGE(1, 20000)");
            st.execute("ANALYZE");
            st.execute("INSERT INTO members (conversation_id, account_id) SELECT X, 1 FROM SYSTEM_RANGE(1, 10000)");
            st.execute("INSERT INTO members (conversation_id, account_id) SELECT X, 1000 + X FROM SYSTEM_RANGE(1, 10000)");
            String update = "UPDATE members SET delivered_up_to = GREATEST(delivered_up_to, ?), "
                    + "read_up_to = GREATEST(read_up_to, ?) WHERE conversation_id = ? AND account_id = ?";
            String order = " ORDER BY COALESCE((SELECT x.ts FROM messages x WHERE x.conversation_id = c.id "
                    + "AND x.seq = c.last_seq), c.created_at) DESC, c.id DESC";
            String conversationsOf = schema.equals("v3") // JdbcConversationStore.conversationsOf(H2Dialect)
                    ? "SELECT c.id FROM conversations c WHERE c.id IN (SELECT m.conversation_id FROM members m "
                            + "USE INDEX (members_by_account) WHERE m.account_id = ?)" + order
                    : "SELECT c.id FROM members m JOIN conversations c ON c.id = m.conversation_id "
                            + "WHERE m.account_id = ?" + order;
            for (String sql : new String[] {update, conversationsOf}) {
                try (ResultSet rs = st.executeQuery("EXPLAIN " + sql.replace("?", "1"))) {
                    rs.next();
                    System.out.println(rs.getString(1).replaceAll("\\s+", " ").replaceAll(" ORDER BY COALESCE.*", ""));
                }
            }
            PreparedStatement up = c.prepareStatement(update);
            PreparedStatement of = c.prepareStatement(conversationsOf);
            for (int rep = 1; rep <= 2; rep++) {
                long t0 = System.nanoTime();
                for (int i = 1; i <= 500; i++) {
                    up.setLong(1, rep);
                    up.setLong(2, rep);
                    up.setLong(3, i);
                    up.setLong(4, 1);
                    up.executeUpdate();
                }
                long t1 = System.nanoTime();
                int rows = 0;
                for (int i = 1; i <= 500; i++) { // the sender's partners: one conversation each
                    of.setLong(1, 1000 + i);
                    try (ResultSet rs = of.executeQuery()) {
                        while (rs.next()) {
                            rows++;
                        }
                    }
                }
                long t2 = System.nanoTime();
                System.out.printf("%s round %d: %.0f us per UPDATE, %.0f us per conversationsOf (%d rows)%n", schema,
                        rep, (t1 - t0) / 500 / 1e3, (t2 - t1) / 500 / 1e3, rows);
            }
        }
    }
}
