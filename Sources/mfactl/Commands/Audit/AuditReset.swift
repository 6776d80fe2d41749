import Accounts
import ArgumentParser

struct AuditReset: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "reset",
    abstract: "Start a new audit log when the old one is damaged and cannot be restored.",
    discussion: """
      Every command that records events refuses to append to a log that no longer ends \
      where the vault says (exit 65). Restoring the vault and log from a backup is the \
      first remedy; when there is none, this discards the old events and starts a new log \
      anchored at the vault's head, with an 'audit.reset' event saying so. Needs --force.
      """)
  @OptionGroup var options: GlobalOptions
  @Flag(help: "Yes, discard the old events.") var force = false

  func validate() throws {
    guard force else { throw ValidationError("audit reset discards every event; give --force to confirm") }
  }

  func run() throws {
    try reporting {
      let ctx = Context(options: options)
      let discarded = try ResetAudit.run(try ctx.openStore(write: true))
      if options.json {
        ctx.printer.json(.object([("reset", .bool(true)), ("discarded_up_to", .str(discarded.map { String($0) }))]))
      } else {
        ctx.printer.line("started a new audit log; events up to #\(discarded ?? 0) were discarded")
      }
    }
  }
}
