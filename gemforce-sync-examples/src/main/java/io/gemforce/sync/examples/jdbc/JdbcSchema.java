package io.gemforce.sync.examples.jdbc;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/** The JDBC sink's tables, created when missing and migrated in place (the same DDL on SQLite and PostgreSQL). */
final class JdbcSchema {
    private JdbcSchema() {
    }

    static void create(Connection c) throws SQLException {
        String bool = "INTEGER";
        try (Statement st = c.createStatement()) {
            st.execute("CREATE TABLE IF NOT EXISTS gs_diamond_event (uid VARCHAR(200) PRIMARY KEY, chain_id BIGINT NOT NULL,"
                    + " network VARCHAR(100) NOT NULL, diamond_address VARCHAR(42) NOT NULL, emitter VARCHAR(42) NOT NULL,"
                    + " event_type VARCHAR(40) NOT NULL, block_number BIGINT NOT NULL, block_hash VARCHAR(66) NOT NULL,"
                    + " transaction_hash VARCHAR(66) NOT NULL, log_index BIGINT NOT NULL, args TEXT NOT NULL)");
            st.execute("CREATE INDEX IF NOT EXISTS gs_diamond_event_block ON gs_diamond_event (chain_id, block_number, log_index)");
            st.execute("CREATE INDEX IF NOT EXISTS gs_diamond_event_diamond ON gs_diamond_event (chain_id, diamond_address, block_number)");
            st.execute("CREATE TABLE IF NOT EXISTS gs_diamond (chain_id BIGINT NOT NULL, address VARCHAR(42) NOT NULL,"
                    + " network VARCHAR(100) NOT NULL, symbol TEXT, name TEXT, factory VARCHAR(42), owner VARCHAR(42),"
                    + " facet_count INTEGER NOT NULL, selector_count INTEGER NOT NULL, created_block BIGINT, created_tx VARCHAR(66),"
                    + " last_synced_block BIGINT NOT NULL, last_synced_block_hash VARCHAR(66), pending_upgrade TEXT,"
                    + " consistent " + bool + " NOT NULL, PRIMARY KEY (chain_id, address))");
            st.execute("CREATE TABLE IF NOT EXISTS gs_facet (chain_id BIGINT NOT NULL, diamond_address VARCHAR(42) NOT NULL,"
                    + " facet_address VARCHAR(42) NOT NULL, position INTEGER NOT NULL, selectors TEXT NOT NULL, functions TEXT,"
                    + " PRIMARY KEY (chain_id, diamond_address, facet_address))");
            st.execute("CREATE TABLE IF NOT EXISTS gs_sync_state (chain_id BIGINT NOT NULL, scope VARCHAR(200) NOT NULL,"
                    + " network VARCHAR(100), block_number BIGINT NOT NULL, block_hash VARCHAR(66) NOT NULL, recent TEXT NOT NULL,"
                    + " PRIMARY KEY (chain_id, scope))");
            st.execute("CREATE TABLE IF NOT EXISTS gs_lease (name VARCHAR(200) PRIMARY KEY, holder VARCHAR(200) NOT NULL,"
                    + " expires_at BIGINT NOT NULL)");
            if (!hasColumn(c, "gs_facet", "functions")) { // stores created before the column existed
                st.execute("ALTER TABLE gs_facet ADD COLUMN functions TEXT");
            }
        }
    }

    private static boolean hasColumn(Connection c, String table, String column) throws SQLException {
        DatabaseMetaData md = c.getMetaData();
        try (ResultSet rs = md.getColumns(null, null, table, column)) {
            return rs.next();
        }
    }
}
