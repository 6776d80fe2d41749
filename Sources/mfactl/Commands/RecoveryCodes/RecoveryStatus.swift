import Accounts
import ArgumentParser

struct RecoveryStatus: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "status", abstract: "How many recovery codes a user has left.")
  @OptionGroup var options: GlobalOptions
  @Argument(help: "User name.", completion: .userNames) var user: String
  func validate() throws { try checkUserName(user) }

  func run() throws {
    try reporting {
      let ctx = Context(options: options)
      let store = try ctx.openStore(write: false)
      let u = try store.user(user)
      let set = try RecoveryCodeSet.load(u)
      let remaining = set?.hashes.count ?? 0
      if options.json {
        ctx.printer.json(
          .object([
            ("user", .string(u.name)), ("remaining", .int(Int64(remaining))), ("total", .int(Int64(set?.total ?? 0))),
            ("generated", .time(set?.generatedAt)), ("last_used", .time(set?.lastUsedAt)),
          ]))
      } else if let set = set {
        ctx.printer.line(
          "\(u.name): \(remaining) of \(set.total) recovery codes left (generated \(Time.rfc3339(set.generatedAt)))")
      } else {
        ctx.printer.line("\(u.name) has no recovery codes; make some with: mfactl recovery-codes generate \(u.name)")
      }
    }
  }
}
