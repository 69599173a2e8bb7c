import GRDB

/// The database schema as an ordered list of forward-only migrations.
///
/// - Important: never edit a migration once it has shipped; add a new one. Tables and columns are
///   named by strings here, not through model types, so later model changes cannot rewrite history.
public enum FleetMigrations {
    /// Identifiers of every migration, oldest first.
    public static var identifiers: [String] { migrator.migrations }

    /// The migrator with every migration registered.
    public static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-inventory") { db in
            try db.create(table: "tenant") { t in
                t.primaryKey("id", .text)
                t.column("name", .text).notNull()
                t.column("kind", .text).notNull()
            }
            try db.create(table: "site") { t in
                t.primaryKey("id", .text)
                t.column("name", .text).notNull()
                t.column("country", .text).notNull().indexed()
                t.column("city", .text).notNull()
                t.column("timeZone", .text).notNull()
                t.column("labels", .jsonText).notNull()
                t.column("status", .text).notNull()
            }
            try db.create(table: "cluster") { t in
                t.primaryKey("id", .text)
                t.column("siteID", .text).notNull().indexed().references("site", onDelete: .cascade)
            }
            try db.create(table: "host") { t in
                t.primaryKey("id", .text)
                t.column("serialNumber", .text).notNull().unique()
                t.column("hostname", .text).notNull()
                t.column("siteID", .text).notNull().indexed().references("site", onDelete: .cascade)
                t.column("clusterID", .text).notNull().indexed().references("cluster", onDelete: .cascade)
                t.column("osName", .text).notNull()
                t.column("osVersion", .text).notNull()
                t.column("kernelRelease", .text).notNull()
                t.column("runtimeName", .text).notNull()
                t.column("runtimeVersion", .text).notNull()
                t.column("agentVersion", .text).notNull()
                t.column("cpuCores", .integer).notNull()
                t.column("memoryBytes", .integer).notNull()
                t.column("diskBytes", .integer).notNull()
                t.column("status", .text).notNull().indexed()
                t.column("lastSeen", .datetime)
            }
        }
        migrator.registerMigration("v2-workloads-events") { db in
            try db.create(table: "application") { t in
                t.column("name", .text).notNull()
                t.column("version", .text).notNull()
                t.column("tenantID", .text).notNull().indexed().references("tenant", onDelete: .cascade)
                t.primaryKey(["name", "version"])
            }
            try db.create(table: "containerInstance") { t in
                t.primaryKey("id", .text)
                t.column("app", .text).notNull().indexed()
                t.column("service", .text).notNull()
                t.column("tenantID", .text).notNull().indexed().references("tenant", onDelete: .cascade)
                t.column("hostID", .text).notNull().indexed().references("host", onDelete: .cascade)
                t.column("runtimeInstanceID", .text).notNull()
                t.column("image", .text).notNull()
                t.column("state", .text).notNull()
                t.column("restarts", .integer).notNull().defaults(to: 0)
                t.column("startedAt", .datetime)
            }
            try db.create(table: "event") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("time", .datetime).notNull().indexed()
                t.column("kind", .text).notNull()
                t.column("severity", .text).notNull()
                t.column("subject", .text).notNull().indexed()
                t.column("message", .text).notNull()
                t.column("actor", .text).notNull()
            }
        }
        migrator.registerMigration("v3-revision") { db in
            // One counter bumped by every write transaction: readers poll it to learn cheaply whether anything changed.
            try db.create(table: "fleetRevision") { t in
                t.primaryKey("id", .integer).check { $0 == 1 }
                t.column("value", .integer).notNull()
            }
            try db.execute(sql: "INSERT INTO fleetRevision (id, value) VALUES (1, 0)")
        }
        migrator.registerMigration("v4-call-home") { db in
            try db.create(table: "enrollmentToken") { t in
                t.primaryKey("tokenHash", .text)
                t.column("siteID", .text).notNull().indexed().references("site", onDelete: .cascade)
                t.column("createdAt", .datetime).notNull()
                t.column("expiresAt", .datetime).notNull()
            }
            try db.create(table: "hostCredential") { t in
                t.primaryKey("hostID", .text).references("host", onDelete: .cascade)
                t.column("credentialHash", .text).notNull().unique()
            }
            try db.create(index: "host_lastSeen", on: "host", columns: ["status", "lastSeen"])
        }
        migrator.registerMigration("v5-reports") { db in
            // The exactly-once ledger: one row per reporting host.
            try db.create(table: "reportCursor") { t in
                t.primaryKey("hostID", .text).references("host", onDelete: .cascade)
                t.column("lastSequence", .integer).notNull()
                t.column("batches", .integer).notNull()
                t.column("records", .integer).notNull()
                t.column("duplicates", .integer).notNull()
                t.column("missing", .integer).notNull()
                t.column("lastReceivedAt", .datetime)
            }
            try db.create(table: "hostMetrics") { t in
                t.primaryKey("hostID", .text).references("host", onDelete: .cascade)
                t.column("time", .datetime).notNull()
                t.column("load1", .double).notNull()
                t.column("memoryAvailableBytes", .integer).notNull()
                t.column("diskFreeBytes", .integer).notNull()
            }
        }
        migrator.registerMigration("v6-approval") { db in
            // Serial numbers an operator registered in advance: such a host is approved on its first call.
            try db.create(table: "preRegistration") { t in
                t.primaryKey("serialNumber", .text)
                t.column("siteID", .text).notNull().indexed().references("site", onDelete: .cascade)
                t.column("createdAt", .datetime).notNull()
                t.column("actor", .text).notNull()
            }
            // An operator's decision on a host that asked to join without a token.
            try db.create(table: "hostApproval") { t in
                t.primaryKey("hostID", .text).references("host", onDelete: .cascade)
                t.column("decision", .text).notNull()
                t.column("decidedAt", .datetime).notNull()
                t.column("actor", .text).notNull()
            }
        }
        migrator.registerMigration("v7-desired-state") { db in
            // Per host: bumped whenever what should run on it changes (the deployment engine writes it).
            try db.create(table: "desiredRevision") { t in
                t.primaryKey("hostID", .text).references("host", onDelete: .cascade)
                t.column("revision", .integer).notNull()
                t.column("updatedAt", .datetime).notNull()
            }
        }
        migrator.registerMigration("v8-deployments") { db in
            try db.alter(table: "containerInstance") { t in
                t.add(column: "version", .text).notNull().defaults(to: "")
                t.add(column: "detail", .text)
            }
            try db.create(index: "containerInstance_app_version", on: "containerInstance", columns: ["app", "version"])
            // Which sites an application-owner tenant may deploy to (site providers may deploy anywhere).
            try db.create(table: "siteAssignment") { t in
                t.column("tenantID", .text).notNull().references("tenant", onDelete: .cascade)
                t.column("siteID", .text).notNull().indexed().references("site", onDelete: .cascade)
                t.primaryKey(["tenantID", "siteID"])
            }
            // Every applied version of an application spec, as JSON.
            try db.create(table: "applicationSpec") { t in
                t.column("name", .text).notNull()
                t.column("version", .text).notNull()
                t.column("tenantID", .text).notNull().references("tenant", onDelete: .cascade)
                t.column("spec", .jsonText).notNull()
                t.column("appliedAt", .datetime).notNull()
                t.column("actor", .text).notNull()
                t.column("gitCommit", .text)
                t.primaryKey(["name", "version"])
            }
            // One deployment per application.
            try db.create(table: "deploymentSpec") { t in
                t.primaryKey("application", .text)
                t.column("spec", .jsonText).notNull()
                t.column("appliedAt", .datetime).notNull()
                t.column("actor", .text).notNull()
                t.column("gitCommit", .text)
            }
            // A rollout's whole state machine (waves, per-site phases and reasons) as JSON.
            try db.create(table: "rollout") { t in
                t.primaryKey("id", .text)
                t.column("application", .text).notNull().indexed()
                t.column("version", .text).notNull()
                t.column("state", .text).notNull().indexed()
                t.column("createdAt", .datetime).notNull()
                t.column("updatedAt", .datetime).notNull()
                t.column("body", .jsonText).notNull()
            }
        }
        migrator.registerMigration("v9-probes") { db in
            // Latency sketches per application and scope (host, site, country, fleet) and time bucket,
            // at minute and hour resolution. Written at ingest, in the transaction that advances the
            // host's report cursor; retention deletes old buckets (minutes after 48 h, hours after 30 days).
            try db.execute(
                sql: """
                    CREATE TABLE probeSeries (
                        app TEXT NOT NULL,
                        scope TEXT NOT NULL,
                        key TEXT NOT NULL,
                        resolution INTEGER NOT NULL,
                        bucket INTEGER NOT NULL,
                        count INTEGER NOT NULL,
                        errors INTEGER NOT NULL,
                        sketch BLOB NOT NULL,
                        PRIMARY KEY (app, scope, resolution, key, bucket)
                    ) WITHOUT ROWID
                    """)
            try db.execute(sql: "CREATE INDEX probeSeries_scan ON probeSeries (scope, resolution, bucket)")
        }
        migrator.registerMigration("v10-probe-app-scan") { db in
            // One application's keys at one scope over a time range (judging an app's hosts, its
            // countries' heatmap): without this, SQLite reads every application's rows in the range.
            try db.execute(sql: "CREATE INDEX probeSeries_appScan ON probeSeries (app, scope, resolution, bucket)")
        }
        migrator.registerMigration("v11-logs") { db in
            // Log lines from every layer with the references the tower attached at ingest, and a
            // trigram full-text index over the messages (substring search, any language).
            try db.execute(
                sql: """
                    CREATE TABLE logLine (
                        id INTEGER PRIMARY KEY,
                        time REAL NOT NULL,
                        severity TEXT NOT NULL,
                        layer TEXT NOT NULL,
                        source TEXT NOT NULL,
                        message TEXT NOT NULL,
                        siteID TEXT NOT NULL,
                        hostID TEXT NOT NULL,
                        container TEXT,
                        runtimeInstance TEXT,
                        tenant TEXT,
                        app TEXT,
                        service TEXT,
                        kernel TEXT NOT NULL,
                        runtime TEXT NOT NULL
                    )
                    """)
            try db.execute(sql: "CREATE INDEX logLine_host ON logLine (hostID, time)")
            try db.execute(sql: "CREATE INDEX logLine_site ON logLine (siteID, time)")
            try db.execute(sql: "CREATE INDEX logLine_container ON logLine (container, time) WHERE container IS NOT NULL")
            try db.execute(sql: "CREATE INDEX logLine_time ON logLine (time)")
            try db.execute(
                sql: "CREATE VIRTUAL TABLE logText USING fts5(message, content = 'logLine', content_rowid = 'id', tokenize = 'trigram')")
            try db.execute(
                sql: """
                    CREATE TRIGGER logLine_indexed AFTER INSERT ON logLine BEGIN
                        INSERT INTO logText (rowid, message) VALUES (new.id, new.message);
                    END
                    """)
            try db.execute(
                sql: """
                    CREATE TRIGGER logLine_unindexed AFTER DELETE ON logLine BEGIN
                        INSERT INTO logText (logText, rowid, message) VALUES ('delete', old.id, old.message);
                    END
                    """)
        }
        migrator.registerMigration("v12-log-patterns") { db in
            // Kernel and runtime lines keep their message with numbers masked (`LogPattern`), indexed
            // by pattern and time: "the same message elsewhere" becomes an index range per pattern
            // instead of a scan of every line in the window.
            try db.execute(sql: "ALTER TABLE logLine ADD COLUMN pattern TEXT")
            let rows = try Row.fetchAll(db, sql: "SELECT id, message FROM logLine WHERE layer IN ('kernel', 'runtime')")
            let update = try db.makeStatement(sql: "UPDATE logLine SET pattern = ? WHERE id = ?")
            for row in rows { try update.execute(arguments: [LogPattern.of(row["message"]), row["id"] as Int64]) }
            try db.execute(sql: "CREATE INDEX logLine_pattern ON logLine (pattern, time) WHERE pattern IS NOT NULL")
        }
        migrator.registerMigration("v13-upgrades") { db in
            // An upgrade plan's whole state machine (waves, per-site host steps and reasons) as JSON.
            try db.create(table: "upgrade") { t in
                t.primaryKey("name", .text)
                t.column("state", .text).notNull().indexed()
                t.column("createdAt", .datetime).notNull()
                t.column("updatedAt", .datetime).notNull()
                t.column("body", .text).notNull()
            }
            // What a host's agent must install (part of its desired state) while it is `upgrading`.
            try db.create(table: "hostUpgradeOrder") { t in
                t.primaryKey("hostID", .text).references("host", onDelete: .cascade)
                t.column("plan", .text).notNull()
                t.column("targets", .text).notNull()
                t.column("orderedAt", .datetime).notNull()
            }
        }
        migrator.registerMigration("v14-security") { db in
            // API tokens: the secret is stored only as its SHA-256.
            try db.create(table: "apiToken") { t in
                t.primaryKey("id", .text)
                t.column("name", .text).notNull()
                t.column("tenantID", .text).notNull().references("tenant", onDelete: .cascade).indexed()
                t.column("role", .text).notNull()
                t.column("secretHash", .text).notNull().unique()
                t.column("createdAt", .datetime).notNull()
                t.column("expiresAt", .datetime).notNull()
                t.column("revokedAt", .datetime)
                t.column("createdBy", .text).notNull()
            }
            // The hash-chained audit trail (append-only; `marquee audit verify` checks it).
            try db.create(table: "auditRecord") { t in
                t.primaryKey("sequence", .integer)
                t.column("timeMillis", .integer).notNull()
                t.column("actor", .text).notNull()
                t.column("action", .text).notNull()
                t.column("target", .text).notNull()
                t.column("reason", .text)
                t.column("previousHash", .text).notNull()
                t.column("hash", .text).notNull()
            }
        }
        migrator.registerMigration("v15-vault") { db in
            // Each tenant's data key, sealed (AES-GCM) with the master key, which is never stored here.
            try db.create(table: "tenantKey") { t in
                t.primaryKey("tenantID", .text).references("tenant", onDelete: .cascade)
                t.column("wrapped", .blob).notNull()
                t.column("masterKeyID", .text).notNull()
            }
            // A vault belongs to the tenant that first wrote to it.
            try db.create(table: "vault") { t in
                t.primaryKey("name", .text)
                t.column("tenantID", .text).notNull().references("tenant", onDelete: .cascade)
            }
            // Values sealed with their tenant's key, bound to tenant, vault and name.
            try db.create(table: "secret") { t in
                t.column("vault", .text).notNull().references("vault", onDelete: .cascade)
                t.column("name", .text).notNull()
                t.column("apps", .text).notNull()
                t.column("bytes", .integer).notNull()
                t.column("sealed", .blob).notNull()
                t.column("updatedAt", .datetime).notNull()
                t.column("updatedBy", .text).notNull()
                t.primaryKey(["vault", "name"])
            }
        }
        migrator.registerMigration("v16-site-keys") { db in
            // Each site's key for secrets at the edge, sealed with the master key; agents hold it
            // only in memory. A new epoch (unlock, master-key change) replaces it.
            try db.create(table: "siteKey") { t in
                t.primaryKey("siteID", .text).references("site", onDelete: .cascade)
                t.column("epoch", .integer).notNull()
                t.column("wrapped", .blob).notNull()
                t.column("masterKeyID", .text).notNull()
                t.column("createdAt", .datetime).notNull()
                // Set by a lockdown: the next key handed out is a new epoch.
                t.column("retired", .boolean).notNull().defaults(to: false)
            }
        }
        migrator.registerMigration("v17-quotas") { db in
            // Per-tenant limits at a site ('' = every site without its own).
            try db.create(table: "tenantQuota") { t in
                t.column("tenantID", .text).notNull().references("tenant", onDelete: .cascade)
                t.column("siteID", .text).notNull()
                t.column("cpu", .double)
                t.column("memoryBytes", .integer)
                t.column("storageBytes", .integer)
                t.column("updatedAt", .datetime).notNull()
                t.column("updatedBy", .text).notNull()
                t.primaryKey(["tenantID", "siteID"])
            }
        }
        registerLogChunks(&migrator)
        registerPeers(&migrator)
        registerLogSegments(&migrator)
        registerHeartbeatIndexes(&migrator)
        registerLogWordSuffixes(&migrator)
        return migrator
    }
}
