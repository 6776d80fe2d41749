import Accounts
import ArgumentParser

struct AuditList: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "list", abstract: "List audit events, newest first (JSON: one object per line).")
  @OptionGroup var options: GlobalOptions
  @OptionGroup var filters: AuditFilterOptions
  @Option(help: ArgumentHelp("At most this many events.", valueName: "n")) var limit: Int?

  func validate() throws { if let l = limit, l < 1 { throw ValidationError("--limit must be at least 1") } }

  func run() throws {
    try reporting {
      let ctx = Context(options: options)
      let store = try ctx.openStore(write: false)
      let audit = try ReadAudit.run(store)
      let entries = audit.entries
      let names = audit.names
      let f = try filters.filter(store, names: names)
      var shown = 0
      for e in entries.reversed() where f.matches(e) {
        if let l = limit, shown >= l { break }
        shown += 1
        if options.json {
          ctx.printer.json(.object(ObjectJSON.event(e, names: names)))
        } else {
          ctx.printer.essential(auditText(e, names: names))
        }
      }
      if shown == 0 && !options.json { ctx.printer.line("no events") }
    }
  }
}
