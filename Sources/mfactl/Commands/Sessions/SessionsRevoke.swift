import Accounts
import ArgumentParser

struct SessionsRevoke: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "revoke", abstract: "Revoke a session by id, or all of a user's sessions (log out everywhere).")
  @OptionGroup var options: GlobalOptions
  @Argument(help: "Session id (from sessions list).") var id: String?
  @Option(help: "The user whose sessions to revoke (with --all).") var user: String?
  @Flag(help: "Revoke all of --user's sessions.") var all = false

  func validate() throws {
    if let u = user { try checkUserName(u) }
    if id != nil && (all || user != nil) { throw ValidationError("give a session ID, or --user USER --all") }
    if id == nil && !(all && user != nil) { throw ValidationError("give a session ID, or --user USER --all") }
  }

  func run() throws {
    try reporting {
      let ctx = Context(options: options)
      let store = try ctx.openStore(write: true)
      guard let r = try RevokeSessions.run(store, user.map { .allOf(user: $0) } ?? .id(id!)) else {
        // Name the id only when it looks like one, never a pasted token.
        let shown = id!.count == 8 && id!.allSatisfy { $0.isHexDigit } ? " \(id!)" : ""
        throw CLIError("no such session\(shown)", code: Exit.notFound)
      }
      let (owner, revoked) = (r.user, r.revoked)
      if options.json {
        ctx.printer.json(.object([("user", .string(owner.name)), ("revoked", .array(revoked.map { .string($0.id) }))]))
      } else {
        ctx.printer.line("revoked \(revoked.count) session\(revoked.count == 1 ? "" : "s") of \(owner.name)")
      }
    }
  }
}
