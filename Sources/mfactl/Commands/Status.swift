import Accounts
import ArgumentParser
import Vault

#if canImport(Glibc)
  import Glibc
#endif

/// `status --format`: text, json, or prometheus (textfile-collector format).
enum StatusFormat: String, CaseIterable, ExpressibleByArgument {
  case text, json, prometheus
}

extension MFACtl {
  struct Status: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "The vault at a glance; --format prometheus for monitoring, --check for alerts.",
      discussion: """
        Users by state, authenticators, live sessions and devices, failed attempts in the \
        last 24 hours, audit log length and chain state, age of the last backup, vault size \
        and format. --check exits 1 and prints one line per problem: broken audit chain, \
        backup older than --max-backup-age (default 1d; never backed up counts), a vault \
        file any group or other user can access, a vault directory others can write to.
        """)
    @OptionGroup(title: "Global options") var common: CommonOptions
    @Option(help: "text, json or prometheus.") var format: StatusFormat = .text
    @Flag(help: "Exit 1, with one line per problem, when something needs attention.") var check = false
    @Option(help: ArgumentHelp("With --check: the oldest acceptable backup (default 1d).", valueName: "duration"))
    var maxBackupAge: String?

    func validate() throws {
      if !check && maxBackupAge != nil { throw ValidationError("--max-backup-age goes with --check") }
      _ = try parseDuration(maxBackupAge, option: "--max-backup-age")
    }

    func run() throws {
      try reporting {
        let ctx = Context(settings: common.settings(format: format == .json ? .json : .text))
        let store = try ctx.openStore(write: false)
        // Bounded (TimeArgument.range) so the ages below cannot overflow, whatever
        // $MFACTL_NOW says.
        let now = min(max(store.now, TimeArgument.range.lowerBound), TimeArgument.range.upperBound)
        let users = try store.allUsers()
        var states: [String: Int] = ["active": 0, "pending": 0, "disabled": 0, "locked": 0, "none": 0]
        var authenticators = 0
        var sessions = 0
        var devices = 0
        for u in users {
          states[stateWord(u, now: now), default: 0] += 1
          authenticators += u.authenticators.count
          sessions += try Sessions.load(u).filter { $0.isLive(at: now) }.count
          devices += try Devices.load(u).filter { $0.isLive(at: now) }.count
        }
        var chainOK = true
        var chainProblem: String? = nil
        var events = 0
        var failures24h = 0
        var lastBackup: Int64? = nil
        do {
          let entries = try ReadAudit.run(store).entries
          events = entries.count
          for e in entries {
            if e.outcome == .failure && e.time >= now - 86400 { failures24h += 1 }
            // A restored vault's log is the backup's, which ends before that backup's
            // own `backup.created`: the restore event names the backup's time instead.
            let backupTime: Int64? =
              e.name == AuditEventName.backupCreated.rawValue
              ? e.time
              : e.name == AuditEventName.backupRestored.rawValue
                ? e.detail.first { $0.key == "backup_created" }.flatMap { Int64($0.value) } : nil
            if let b = backupTime {
              let t = min(max(b, TimeArgument.range.lowerBound), TimeArgument.range.upperBound)
              lastBackup = max(lastBackup ?? t, t)
            }
          }
        } catch let e as VaultError {
          guard case .auditTampered = e else { throw e }
          chainOK = false
          chainProblem = e.description
        }
        let path = store.location
        var st = stat()
        var dst = stat()
        let size: Int64
        var vaultMode: mode_t = 0
        var dirMode: mode_t = 0
        if ctx.isPostgres {
          // The tables' size on the server; file modes do not apply (the database's roles
          // and grants do: docs/postgresql.md).
          size = Int64(try PostgresVault.readHeader(uri: ctx.vaultPath, lockTimeout: ctx.lockTimeout).size)
        } else {
          size = stat(path, &st) == 0 ? Int64(st.st_size) : 0
          vaultMode = st.st_mode & 0o777
          dirMode = stat(FileIO.directory(of: path), &dst) == 0 ? dst.st_mode & 0o777 : 0
        }
        // The file's own version: an older one stays until its next write.
        let formatVersion = Int64(store.formatVersion)
        store.close()

        var problems: [String] = []
        if let p = chainProblem { problems.append(p) }
        let maxAge = try parseDuration(maxBackupAge, option: "--max-backup-age") ?? 86400
        if let b = lastBackup {
          if now - b > maxAge { problems.append("last backup is \(now - b) s old (more than \(maxAge) s)") }
        } else {
          problems.append("no backup recorded in the audit log")
        }
        if vaultMode & 0o077 != 0 {
          problems.append("vault \(path) is mode \(String(vaultMode, radix: 8)): readable by others")
        }
        if dirMode & 0o022 != 0 {
          problems.append("vault directory is mode \(String(dirMode, radix: 8)): writable by others")
        }

        switch format {
        case .prometheus:
          var out = ""
          func metric(_ name: String, _ help: String, _ samples: [(String, Int64)]) {
            out += "# HELP mfactl_\(name) \(help)\n# TYPE mfactl_\(name) gauge\n"
            for (labels, v) in samples { out += "mfactl_\(name)\(labels) \(v)\n" }
          }
          metric("users", "Users by state.", states.keys.sorted().map { ("{state=\"\($0)\"}", Int64(states[$0]!)) })
          metric("authenticators", "Authenticators, active and pending.", [("", Int64(authenticators))])
          metric("sessions_live", "Live sessions.", [("", Int64(sessions))])
          metric("devices_live", "Live trusted devices.", [("", Int64(devices))])
          metric("failures_24h", "Failed attempts in the last 24 hours.", [("", Int64(failures24h))])
          metric("audit_events", "Events in the audit log.", [("", Int64(events))])
          metric("audit_chain_ok", "1 when the audit chain verifies.", [("", chainOK ? 1 : 0)])
          if let b = lastBackup { metric("backup_age_seconds", "Seconds since the last backup.", [("", now - b)]) }
          metric("vault_size_bytes", "Size of the vault file.", [("", size)])
          metric("vault_format_version", "Format version of the vault file.", [("", formatVersion)])
          metric("problems", "Problems status --check reports.", [("", Int64(problems.count))])
          Terminal.stdout(out)
        case .json:
          ctx.printer.json(
            .object([
              ("users", .int(Int64(users.count))),
              ("users_by_state", .object(states.keys.sorted().map { ($0, .int(Int64(states[$0]!))) })),
              ("authenticators_count", .int(Int64(authenticators))), ("sessions_live", .int(Int64(sessions))),
              ("devices_live", .int(Int64(devices))), ("failures_24h", .int(Int64(failures24h))),
              ("audit_events_count", .int(Int64(events))), ("audit_chain_ok", .bool(chainOK)),
              ("last_backup", .time(lastBackup)), ("vault", .string(path)), ("vault_size", .int(size)),
              ("format_version", .int(formatVersion)), ("problems", .array(problems.map { .string($0) })),
            ]))
        case .text:
          let p = ctx.printer
          p.line("vault:          \(path) (format \(formatVersion), \(size) bytes)")
          let byState = states.keys.sorted().filter { states[$0]! > 0 }.map { "\(states[$0]!) \($0)" }
          p.line(
            "users:          \(users.count)" + (byState.isEmpty ? "" : " (" + byState.joined(separator: ", ") + ")"))
          p.line("authenticators: \(authenticators)")
          p.line("sessions:       \(sessions) live; trusted devices: \(devices) live")
          p.line("failures:       \(failures24h) in the last 24 h")
          p.line("audit log:      \(Wording.count(events, "event")), chain \(chainOK ? "intact" : "BROKEN")")
          p.line(
            "last backup:    \(lastBackup.map { "\(Time.rfc3339($0)) (\(Wording.ago(now - $0)))" } ?? "none recorded")")
        }
        if check {
          if format == .text { for p in problems { Terminal.stdout(p + "\n") } }
          if !problems.isEmpty { throw ExitCode(Exit.rejected) }
        }
      }
    }
  }
}
