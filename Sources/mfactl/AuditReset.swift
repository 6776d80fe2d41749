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
      let store = try ctx.openStore(write: true)
      let head = try store.auditHead()
      try store.pruneAudit(
        keepingFrom: (head?.seq ?? 0) + 1,
        event: AccountEvent(.auditReset, detail: ["discarded_up_to": String(head?.seq ?? 0)]))
      try store.commit()
      if options.json {
        ctx.printer.json(.object([("reset", .bool(true)), ("discarded_up_to", .str(head.map { String($0.seq) }))]))
      } else {
        ctx.printer.line("started a new audit log; events up to #\(head?.seq ?? 0) were discarded")
      }
    }
  }
}
