import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;

/**
 * The sender's-marks UPDATE of the message writer on the members table as schema V1 had it ("v1") and as V3 has it
 * ("v3"), with the statistics that made V1 walk: account ids nearly distinct when H2 last analyzed the table, then
 * one sender joins 10,000 direct conversations. Prints the plan and the time per UPDATE (autocommit, in memory).
 *
 * <pre>
 * java -cp ~/.m2/repository/com/h2database/h2/2.4.240/h2-2.4.240.jar bench/micro/MembersMarks.java v1|v3
 * </pre>
 */
public class MembersMarks {
    public static void main(String[] a) throws Exception {
        boolean v1 = a[0].equals("v1");
        try (Connection c = DriverManager.getConnection("jdbc:h2:mem:x;ANALYZE_AUTO=0")) {
            Statement st = c.createStatement();
            st.execute("CREATE TABLE accounts (id BIGINT PRIMARY KEY)");
            st.execute("CREATE TABLE conversations (id BIGINT PRIMARY KEY)");
            st.execute("INSERT INTO accounts SELECT X FROM SYSTEM_RANGE(1, 200000)");
            st.execute("INSERT INTO conversations SELECT X FROM SYSTEM_RANGE(1, 200000)");
            if (v1) { // V1__init.sql
                st.execute("CREATE TABLE members (conversation_id BIGINT NOT NULL REFERENCES conversations (id), "
                        + "account_id BIGINT NOT NULL REFERENCES accounts (id), delivered_up_to BIGINT NOT NULL DEFAULT 0, "
                        + "read_up_to BIGINT NOT NULL DEFAULT 0, PRIMARY KEY (conversation_id, account_id))");
                st.execute("CREATE INDEX members_account ON members (account_id)");
            } else { // V3__members_by_account.sql
                st.execute("CREATE TABLE members (conversation_id BIGINT NOT NULL, account_id BIGINT NOT NULL, "
                        + "delivered_up_to BIGINT NOT NULL DEFAULT 0, read_up_to BIGINT NOT NULL DEFAULT 0, "
                        + "PRIMARY KEY (conversation_id, account_id), UNIQUE (account_id, conversation_id))");
            }
            st.execute("INSERT INTO members (conversation_id, account_id) SELECT 100000 + X / 1000, 50000 + X "
                    + "FROM SYSTEM_RANGE(1, 20000)");
            st.execute("ANALYZE");
            st.execute("INSERT INTO members (conversation_id, account_id) SELECT X, 1 FROM SYSTEM_RANGE(1, 10000)");
            st.execute("INSERT INTO members (conversation_id, account_id) SELECT X, 1000 + X FROM SYSTEM_RANGE(1, 10000)");
            String update = "UPDATE members SET delivered_up_to = GREATEST(delivered_up_to, ?), "
                    + "read_up_to = GREATEST(read_up_to, ?) WHERE conversation_id = ? AND account_id = ?";
            try (ResultSet rs = st.executeQuery("EXPLAIN " + update.replace("?", "1"))) {
                rs.next();
                System.out.println(rs.getString(1).replaceAll("\\s+", " "));
            }
            PreparedStatement up = c.prepareStatement(update);
            for (int rep = 1; rep <= 2; rep++) {
                long t0 = System.nanoTime();
                for (int i = 1; i <= 500; i++) {
                    up.setLong(1, rep);
                    up.setLong(2, rep);
                    up.setLong(3, i);
                    up.setLong(4, 1);
                    up.executeUpdate();
                }
                System.out.printf("%s round %d: %.0f us per UPDATE%n", a[0], rep, (System.nanoTime() - t0) / 500 / 1e3);
            }
        }
    }
}
