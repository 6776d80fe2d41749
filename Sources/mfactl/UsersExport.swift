import Accounts
import ArgumentParser

struct UsersExport: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "export",
    abstract: "Every fact stored about a user, as one JSON object (for a data-subject request).",
    discussion: """
      Authenticators (without secrets), recovery-code counts, trusted devices and sessions \
      (without tokens), policy, and the user's audit events. Always JSON. The export is \
      itself audited.
      """)
  @OptionGroup var options: GlobalOptions
  @Argument(help: "User name.", completion: .userNames) var user: String
  func validate() throws { try checkUserName(user) }

  func run() throws {
    try reporting {
      let ctx = Context(options: options)
      let store = try ctx.openStore(write: true)
      let u = try store.user(user)
      let now = store.now
      let (entries, names, _) = try loadAudit(store)
      let recovery = try RecoveryCodeSet.load(u)
      let obj = JSON.object([
        ("user", userJSON(u, now: now, details: true)),
        ("recovery_codes", .object([
          ("remaining", .int(Int64(recovery?.hashes.count ?? 0))), ("total", .int(Int64(recovery?.total ?? 0))),
          ("generated", .time(recovery?.generatedAt)), ("last_used", .time(recovery?.lastUsedAt)),
        ])),
        ("devices", .array(try Devices.load(u).filter { $0.isLive(at: now) }.map { deviceJSON($0, user: u.name) })),
        ("sessions", .array(try Sessions.load(u).filter { $0.isLive(at: now) }.map { sessionJSON($0, user: u.name) })),
        ("audit_events", .array(entries.filter { $0.userID == u.id }.map { auditJSON($0, names: names) })),
        ("exported", .time(now)),
      ])
      store.record(AccountEvent("user.exported", user: u))
      // Printed (and flushed) before the export is recorded: a failed write is 74 with
      // nothing changed.
      ctx.printer.json(obj)
      try ctx.printer.flush()
      try store.commit()
    }
  }
}
