import Accounts
import ArgumentParser
import Sodium
import Vault

struct AuditVerify: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "verify",
    abstract: "Check the whole audit chain: exit 0 with the count and head, or 65 naming the first bad event.")
  @OptionGroup var options: GlobalOptions

  func run() throws {
    try reporting {
      let ctx = Context(options: options)
      let store = try ctx.openStore(write: false)
      let audit = try ReadAudit.run(store)
      let entries = audit.entries
      let uncommitted = audit.uncommitted
      let head = try store.auditHead()
      let headHex = head.map { Sodium.hex($0.tag) } ?? "none"
      if options.json {
        ctx.printer.json(
          .object([
            ("ok", .bool(true)), ("events", .int(Int64(entries.count))), ("head_id", .str(head.map { String($0.seq) })),
            ("head", .string(headHex)), ("uncommitted", .int(Int64(uncommitted))),
          ]))
      } else {
        ctx.printer.line(
          "ok: \(entries.count) event\(entries.count == 1 ? "" : "s"), chain intact, head #\(head?.seq ?? 0) \(headHex)"
        )
        if uncommitted > 0 {
          ctx.printer.line(
            "note: \(uncommitted) event\(uncommitted == 1 ? "" : "s") after the head from an interrupted write; the next write drops them"
          )
        }
      }
    }
  }
}
