import Accounts
import ArgumentParser
import Vault

struct AuditPrune: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "prune",
    abstract: "Delete audit events older than a time, keeping the chain verifiable.",
    discussion: """
      The kept events still chain from the last pruned one (the log's anchor), and a new \
      event 'audit.pruned' records how many went and up to when. Export them first if \
      they must be kept elsewhere.
      """)
  @OptionGroup var options: GlobalOptions
  @Option(help: ArgumentHelp("Delete events before this time (RFC 3339 or Unix seconds).", valueName: "time"))
  var before: String

  func validate() throws {
    guard TimeArgument.parse(before) != nil else { throw ValidationError("--before takes RFC 3339 or Unix seconds") }
  }

  func run() throws {
    try reporting {
      let ctx = Context(options: options)
      let cutoff = TimeArgument.parse(before)!
      let pruned = try PruneAudit.run(try ctx.openStore(write: true), before: cutoff).pruned
      guard pruned > 0 else {
        if options.json {
          ctx.printer.json(.object([("pruned", .int(0)), ("before", .time(cutoff))]))
        } else {
          ctx.printer.line("nothing to prune: no events before \(Time.rfc3339(cutoff))")
        }
        return
      }
      if options.json {
        ctx.printer.json(.object([("pruned", .int(Int64(pruned))), ("before", .time(cutoff))]))
      } else {
        ctx.printer.line("pruned \(pruned) events before \(Time.rfc3339(cutoff)); the chain stays verifiable")
      }
    }
  }
}
