import Accounts
import ArgumentParser

/// `users export --format`: json only (the export is one JSON object); text is refused
/// (64) rather than answered with JSON (docs/json/README.md, "Conventions").
enum UserExportFormat: String, CaseIterable, ExpressibleByArgument {
  case json
}

struct UsersExport: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "export",
    abstract: "Every fact stored about a user, as one JSON object (for a data-subject request).",
    discussion: """
      Authenticators (without secrets), recovery-code counts, trusted devices and sessions \
      (without tokens), policy, and the user's audit events, as one JSON object: the user \
      (as in 'users show') with recovery_codes, devices, sessions, audit_events and exported \
      added (docs/json/users-export.schema.json). The export is itself audited.
      """)
  @OptionGroup var common: CommonOptions
  @Option(help: "Output format: json (the only one).") var format: UserExportFormat = .json
  @Argument(help: "User name.", completion: .userNames) var user: String
  func validate() throws { try checkUserName(user) }

  func run() throws {
    try reporting {
      let ctx = Context(settings: common.settings(format: .json))
      let store = try ctx.openStore(write: true)
      let now = store.now
      // Printed (and flushed) before the export is recorded: a failed write is 74 with
      // nothing changed.
      _ = try ExportUser.run(store, user: user) { x in
        let u = x.user
        // The user object itself, with what it has added: one shape for a user everywhere.
        let obj = JSON.object(
          ObjectJSON.user(u, now: now) + [
            ("recovery_codes", .object(ObjectJSON.recoveryStatus(x.recoveryCodes, user: u.name))),
            ("devices", .array(x.devices.map { .object(ObjectJSON.device($0, user: u.name)) })),
            ("sessions", .array(x.sessions.map { .object(ObjectJSON.session($0, user: u.name)) })),
            ("audit_events", .array(x.events.map { .object(ObjectJSON.event($0, names: x.names)) })),
            ("exported", .time(now)),
          ])
        ctx.printer.json(obj)
        try ctx.printer.flush()
      }
    }
  }
}
