import Accounts
import ArgumentParser

struct UsersRemove: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "remove", abstract: "Remove a user, or one of their authenticators (--authenticator ID).")
  @OptionGroup var options: GlobalOptions
  @Argument(help: "User name.", completion: .userNames) var user: String
  @Option(help: ArgumentHelp("Remove only this authenticator.", valueName: "id")) var authenticator: String?
  func validate() throws { try checkUserName(user) }

  func run() throws {
    try reporting {
      let ctx = Context(options: options)
      let u = try RemoveUser.run(
        try ctx.openStore(write: true), RemoveUser.Input(user: user, authenticator: authenticator))
      if let id = authenticator {
        if options.json {
          ctx.printer.json(
            .object([("user", .string(u.name)), ("authenticator", .string(id)), ("removed", .bool(true))]))
        } else {
          ctx.printer.line("removed authenticator \(id) of \(u.name)")
        }
      } else {
        if options.json {
          ctx.printer.json(.object([("user", .string(u.name)), ("user_id", .string(u.id)), ("removed", .bool(true))]))
        } else {
          ctx.printer.line("removed user \(u.name)")
        }
      }
    }
  }
}
