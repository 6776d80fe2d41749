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
      let store = try ctx.openStore(write: true)
      var u = try store.user(user)
      if let id = authenticator {
        _ = try u.removeAuthenticator(id: id)
        try store.revokeAccess(&u, reason: "authenticator removed")
        try store.save(u, event: AccountEvent(.authenticatorRemoved, user: u, detail: ["authenticator": id]))
        try store.commit()
        if options.json { ctx.printer.json(.object([("user", .string(u.name)), ("authenticator", .string(id)), ("removed", .bool(true))])) }
        else { ctx.printer.line("removed authenticator \(id) of \(u.name)") }
      } else {
        try store.revokeAccess(&u, reason: "user removed")
        store.remove(u, event: AccountEvent(.userRemoved, user: u))
        try store.commit()
        if options.json { ctx.printer.json(.object([("user", .string(u.name)), ("user_id", .string(u.id)), ("removed", .bool(true))])) }
        else { ctx.printer.line("removed user \(u.name)") }
      }
    }
  }
}
